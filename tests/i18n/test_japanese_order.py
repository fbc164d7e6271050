"""Japanese lists in gojūon order of the reading: organisations by their stored reading (フリガナ), countries and
languages by their CLDR name read in kana; 日本 and 日本語 first. English lists stay alphabetical."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.catalog.forms import INSTRUCTION_LANGUAGES
from app.catalog.labels import language_options
from app.i18n.countries import country_choices
from app.i18n.reading import kana_key, normalise_reading
from app.platform.extensions import db
from app.providers.models import Organisation, ProviderApplication
from tests.factories import make_client, make_course, make_provider, make_user, sign_in

KANA_START = re.compile(r"[\u3041-\u309f\u30a0-\u30ffA-Za-z]")


def codes(pairs) -> list[str]:
    return [code for code, _name in pairs]


def test_countries_in_japanese_start_with_japan_and_read_kanji():
    order = codes(country_choices("ja"))
    assert order[0] == "JP"
    # 韓国 (かんこく) among the カ names, 中国 (ちゅうごく) among the チ names, not after every katakana name.
    assert order.index("CA") < order.index("KR") < order.index("CY")  # カナダ < 韓国 < キプロス
    assert order.index("TD") < order.index("CN") < order.index("CL")  # チャド < 中国 < チリ
    assert all(KANA_START.match(kana_key(name)) for _code, name in country_choices("ja")), "a kanji name has no reading"
    assert codes(country_choices("en"))[:2] == ["AF", "AX"]


def test_languages_in_japanese_start_with_japanese():
    order = codes(language_options(INSTRUCTION_LANGUAGES, "ja"))
    assert order[0] == "ja"
    assert order.index("it") < order.index("en") < order.index("nl")  # イタリア語 < 英語 (えいご) < オランダ語
    assert order.index("ko") < order.index("el")  # 韓国語 (かんこく) < ギリシャ語
    assert codes(language_options(INSTRUCTION_LANGUAGES, "en"))[:3] == ["zh", "cs", "da"]  # Chinese, Czech, Danish


def test_reading_is_stored_in_katakana():
    assert normalise_reading(" かんさい　でんち ") == "カンサイ デンチ"
    assert normalise_reading("ｶﾝｻｲ") == "カンサイ"


@pytest.fixture
def three(db_session):
    """Reading order (ア, コ, ワ) differs from English order and from the kanji's code points."""
    return [make_provider(name_en="Zeta Safety Academy", name_ja="安全学院", name_reading="アンゼンガクイン"),
            make_provider(name_en="Mid Kobe Institute", name_ja="神戸電池", name_reading="コウベデンチ"),
            make_provider(name_en="Alpha Cells", name_ja="和光電池", name_reading="ワコウデンチ")]


def positions(page: str, names) -> list[int]:
    return [page.index(name) for name in names]


def test_provider_directory_and_catalogue_filter_by_reading(app, three):
    for org in three:
        make_course(org)
    db.session.commit()
    client = make_client(app)
    ja = client.get("/ja/providers").get_data(as_text=True)
    assert positions(ja, ["安全学院", "神戸電池", "和光電池"]) == sorted(positions(ja, ["安全学院", "神戸電池", "和光電池"]))
    en = client.get("/en/providers").get_data(as_text=True)
    names = ["Alpha Cells", "Mid Kobe Institute", "Zeta Safety Academy"]
    assert positions(en, names) == sorted(positions(en, names))
    select = client.get("/ja/courses").get_data(as_text=True).split('name="provider"')[1].split("</select>")[0]
    assert positions(select, ["安全学院", "神戸電池", "和光電池"]) == sorted(positions(select, ["安全学院", "神戸電池", "和光電池"]))


def test_staff_organisation_list_by_reading(app, three):
    client = make_client(app)
    sign_in(client, make_user("staff"))
    page = client.get("/ja/staff/organisations").get_data(as_text=True)
    assert positions(page, ["安全学院", "神戸電池", "和光電池"]) == sorted(positions(page, ["安全学院", "神戸電池", "和光電池"]))


def test_staff_form_takes_a_reading_in_kana_only(app, db_session):
    client = make_client(app)
    sign_in(client, make_user("staff"))
    data = {"kind": "company", "name_en": "Kanto Cells", "name_ja": "関東セル", "country": "JP"}
    response = client.post("/ja/staff/organisations/new", data={**data, "name_reading": "関東"})
    assert response.status_code == 400 and "フリガナはカタカナまたはひらがなで入力してください。" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(Organisation).where(Organisation.name_en == "Kanto Cells")) is None
    assert client.post("/ja/staff/organisations/new", data={**data, "name_reading": "かんとうせる"}).status_code == 302
    org = db.session.scalar(sa.select(Organisation).where(Organisation.name_en == "Kanto Cells"))
    assert org.name_reading == "カントウセル"


def test_provider_application_carries_the_reading(app, db_session):
    client = make_client(app)
    user = make_user()
    sign_in(client, user)
    assert "日本語名のフリガナ" in client.get("/ja/provider/apply").get_data(as_text=True)
    client.post("/ja/provider/apply", data={"name_en": "Kansai Battery School", "name_ja": "関西電池スクール",
                                            "name_reading": "カンサイデンチスクール", "kind": "training_provider",
                                            "country": "JP"})
    application = db.session.scalar(sa.select(ProviderApplication).where(ProviderApplication.applicant_id == user.id))
    assert application.name_reading == "カンサイデンチスクール"


def test_long_vowels_and_vu_sort_as_read():
    names = ["ポルトガル", "ポーランド", "ヴィスワ", "ブルガリア", "ビール"]
    # ヴ is a voiced ウ (JIS X 4061): among the う names.
    assert sorted(names, key=kana_key) == ["ヴィスワ", "ビール", "ブルガリア", "ポーランド", "ポルトガル"]
