"""Venues in English and Japanese: the course page names the city and address in the reader's language
with a plain map link, the country once; cities and kana-folded text are searchable both ways."""
from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from app.catalog.search import normalise
from app.i18n.scripts import split_by_language, text_language
from tests.factories import make_course, make_provider, make_session

_CARD_LINK = re.compile(r'href="/(?:en|ja)/courses/(\d+)"')
KOBE = dict(venue_country="JP", venue_city_en="Kobe", venue_city_ja="神戸",
            venue_address_en="6-9-1 Minatojima-nakamachi, Chuo-ku, Kobe", venue_address_ja="兵庫県神戸市中央区港島中町6-9-1")


def kobe_course(**kw):
    return make_course(make_provider(name_en="Nordwerk", name_ja="ノルトヴェルク"),
                       sessions=[make_session(tz="Asia/Tokyo", country="JP", city=None, **KOBE)], **kw)


def found(client, q: str, lang: str = "en") -> set[int]:
    response = client.get(f"/{lang}/courses?q={quote(q)}")
    assert response.status_code == 200
    return {int(i) for i in _CARD_LINK.findall(response.get_data(as_text=True))}


@pytest.mark.parametrize(("text", "lang"), [("神戸", "ja"), ("Kobe", "en"), ("Skellefteå", "en"), ("ﾐｭﾝﾍﾝ", "ja"),
                                            ("東京 Big Sight", "ja"), ("", None), ("  ", None), (None, None)])
def test_text_language_by_script(text, lang):
    assert text_language(text) == lang


def test_one_city_value_goes_to_its_language():
    assert split_by_language(" 神戸 ") == (None, "神戸")
    assert split_by_language("Kobe") == ("Kobe", None)
    session = make_session(city="大阪")
    assert (session.venue_city_en, session.venue_city_ja) == (None, "大阪")


def test_course_page_names_the_venue_in_the_readers_language_with_a_map_link(client):
    course = kobe_course()
    ja = client.get(f"/ja/courses/{course.id}").get_data(as_text=True)
    en = client.get(f"/en/courses/{course.id}").get_data(as_text=True)
    assert "神戸(日本)" in ja and "Kobe(日本)" not in ja and "兵庫県神戸市中央区港島中町6-9-1" in ja
    assert "Kobe, Japan" in en and "神戸, Japan" not in en and "6-9-1 Minatojima-nakamachi" in en
    # A plain link, searching the address as Japan writes it; the page loads nothing from the map site.
    link = re.search(r'<a href="(https://www\.openstreetmap\.org/search\?query=[^"]+)"', en).group(1)
    assert "%E5%85%B5%E5%BA%AB" in link  # 兵庫
    assert "openstreetmap" not in re.sub(r'<a href="[^"]*"', "", en)


def test_online_session_shows_no_address(client):
    course = make_course(delivery_mode="online", sessions=[make_session(online=True, venue_address_en="x street")])
    html = client.get(f"/en/courses/{course.id}").get_data(as_text=True)
    assert "x street" not in html and "openstreetmap" not in html


def test_provider_pages_name_japan_once(client):
    org = make_provider(name_en="Kansai Cells", name_ja="関西セル", country="JP", city="神戸")
    html = client.get(f"/ja/providers/{org.id}").get_data(as_text=True)
    assert "神戸(日本)" in html and "神戸(日本) · 日本" not in html
    listing = client.get("/ja/providers").get_data(as_text=True)
    assert "神戸(日本) · 日本" not in listing


def test_cities_are_searchable_in_both_languages(client):
    course = kobe_course()
    make_course(make_provider(name_en="Nordwerk", name_ja="ノルトヴェルク"))
    for q, lang in (("神戸", "ja"), ("神戸", "en"), ("kobe", "ja"), ("KOBE", "en")):
        assert found(client, q, lang) == {course.id}, q


def test_cancelled_sessions_city_is_not_indexed(client):
    from app.catalog.services import reindex_courses

    course = kobe_course()
    course.sessions[0].status = "cancelled"
    reindex_courses([course.id])
    assert found(client, "神戸") == set()


def test_hiragana_finds_katakana_and_back(client):
    recycling = make_course(title_en=None, title_ja="リサイクル入門", sessions=[make_session(online=True)])
    hiragana = make_course(title_en=None, title_ja="はじめての電池", sessions=[make_session(online=True)])
    assert found(client, "りさいくる", "ja") == {recycling.id}
    assert found(client, "りさ", "ja") == {recycling.id}  # two characters: the short-term keys
    assert found(client, "ハジメテ", "ja") == {hiragana.id}
    assert found(client, "ﾘｻｲｸﾙ", "ja") == {recycling.id}
    assert normalise("りさいくる") == normalise("リサイクル") == normalise("ﾘｻｲｸﾙ")


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_venue_pages_query_count_does_not_grow_with_sessions(client, count_queries, lang):
    few = kobe_course()
    many = make_course(sessions=[make_session(days_ahead=d, tz="Asia/Tokyo", country="JP", city=None, **KOBE)
                                 for d in range(1, 13)])
    counts = []
    for course_id in (few.id, many.id):
        client.get(f"/{lang}/courses/{course_id}")
        with count_queries() as counter:
            assert client.get(f"/{lang}/courses/{course_id}").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1] <= 6
    client.get(f"/{lang}/courses?q=kobe")
    with count_queries() as counter:
        assert client.get(f"/{lang}/courses?q=kobe&page=1").status_code == 200
    assert counter.count <= 12


def test_new_session_form_offers_the_last_venue_in_both_languages(client):
    from tests.factories import make_user, sign_in

    course = kobe_course()
    sign_in(client, make_user("member", organisation=course.provider))
    page = client.get(f"/ja/provider/courses/{course.id}/sessions/new").get_data(as_text=True)
    assert 'value="Kobe"' in page and 'value="神戸"' in page and 'value="兵庫県神戸市中央区港島中町6-9-1"' in page
