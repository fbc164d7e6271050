"""Full-text search over the catalogue: Japanese by 2+ character substrings, Latin by 3+ character
substrings (shorter Latin terms match word starts), NFKC and case folded, terms ANDed, both languages
and the skill-area names indexed, only published courses found."""
from __future__ import annotations

import re
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from app.catalog.models import CourseGram, CourseSearch
from app.catalog.queries import catalogue_version
from app.catalog.search import gram_keys, normalise, parse_terms
from app.catalog.services import reindex_courses
from app.platform.extensions import db
from tests.factories import make_course, make_provider, make_session

_CARD_LINK = re.compile(r'href="/(?:en|ja)/courses/(\d+)"')


def found(client, q: str, lang: str = "en", **params) -> set[int]:
    """The ids of the courses the catalogue page lists for this query (all fit on one page here)."""
    url = f"/{lang}/courses?q={quote(q)}"
    for name, value in params.items():
        url += f"&{name}={quote(str(value))}"
    response = client.get(url)
    assert response.status_code == 200, (q, response.status_code)
    return {int(i) for i in _CARD_LINK.findall(response.get_data(as_text=True))}


@pytest.fixture
def provider():
    # Neutral names and no city: provider names and cities are indexed too, and must not match the queries below.
    return make_provider(name_en="Nordwerk", name_ja="ノルトヴェルク", city=None)


def course(provider, **kw):
    """A published course whose only text is what the test gives (no default titles)."""
    kw.setdefault("title_en", None)
    kw.setdefault("title_ja", None)
    if kw["title_en"] is None and kw["title_ja"] is None:
        kw["title_en"] = "Untitled"
    if "sessions" not in kw:  # venue cities are indexed too: an online session has none
        kw["sessions"] = [make_session(online=True)]
    return make_course(provider, **kw)


# --- Japanese ------------------------------------------------------------------------------------

def test_two_character_japanese_term_finds_any_substring(client, provider):
    cell = course(provider, title_ja="リチウムイオン電池の基礎")
    middle = course(provider, title_en="Cells", summary_ja="車載用の電池パックを学ぶ")
    other = course(provider, title_ja="燃料電気の安全")
    assert found(client, "電池") == {cell.id, middle.id}
    assert found(client, "電池", lang="ja") == {cell.id, middle.id}
    assert other.id not in found(client, "電池")


def test_two_character_japanese_term_is_served_by_the_gram_table(client, provider, count_queries):
    """`電池` goes through course_gram: with that course's gram rows gone, it is no longer found,
    while a 3-character term (trigram index) still finds it."""
    cell = course(provider, title_ja="全固体電池の量産")
    cell_id = cell.id
    with count_queries() as counter:
        assert found(client, "電池") == {cell_id}
    assert any("course_gram" in s for s in counter.statements)
    db.session.execute(sa.delete(CourseGram).where(CourseGram.course_id == cell_id, CourseGram.gram == "電池"))
    assert found(client, "電池") == set()
    assert found(client, "固体電") == {cell_id}


def test_three_or_more_japanese_characters(client, provider):
    cathode = course(provider, title_ja="正極材の評価技術", summary_ja="三元系正極材料の合成")
    anode = course(provider, title_ja="負極材の評価技術")
    assert found(client, "正極材") == {cathode.id}
    assert found(client, "評価技術") == {cathode.id, anode.id}
    assert found(client, "元系正極材料の合") == {cathode.id}
    assert found(client, "正極材料の評価") == set()  # not a substring of any text


def test_single_japanese_character_matches(client, provider):
    pool = course(provider, title_ja="電池の基礎")
    course(provider, title_ja="安全講習")
    assert found(client, "池") == {pool.id}


def test_japanese_matches_in_description_and_learning_outcomes(client, provider):
    described = course(provider, title_en="Formation", description_ja="化成工程とエージングを扱います")
    outcomes = course(provider, title_en="Coating", learning_outcomes_ja="塗工ムラを見分けられる")
    assert found(client, "エージング") == {described.id}
    assert found(client, "塗工") == {outcomes.id}


def test_half_width_katakana_finds_full_width_and_back(client, provider):
    full = course(provider, title_ja="バッテリー管理の基本")
    half = course(provider, title_ja="ﾊﾞｯﾃﾘｰ診断入門")
    assert found(client, "ﾊﾞｯﾃﾘｰ") == {full.id, half.id}
    assert found(client, "バッテリー") == {full.id, half.id}
    assert found(client, "ﾃﾘ") == {full.id, half.id}  # 2 characters after NFKC: the gram table


def test_full_width_latin_finds_ascii_and_back(client, provider):
    ascii_course = course(provider, title_en="abc analysis for inventory")
    wide_course = course(provider, title_ja="ＡＢＣ分析の実践")
    assert found(client, "ＡＢＣ") == {ascii_course.id, wide_course.id}
    assert found(client, "abc") == {ascii_course.id, wide_course.id}
    assert found(client, "ABC") == {ascii_course.id, wide_course.id}


def test_case_is_ignored(client, provider):
    upper = course(provider, title_en="LITHIUM IRON PHOSPHATE")
    lower = course(provider, title_en="lithium metal anodes")
    assert found(client, "Lithium") == {upper.id, lower.id}
    assert found(client, "PHOSPHATE") == {upper.id}
    assert found(client, "Li") == {upper.id, lower.id}


# --- Latin ---------------------------------------------------------------------------------------

def test_latin_substring_of_three_or_more_anywhere_in_a_word(client, provider):
    recycling = course(provider, title_en="Black mass recycling")
    cycling = course(provider, title_en="Cycle life testing")
    assert found(client, "ycl") == {recycling.id, cycling.id}
    assert found(client, "ecycl") == {recycling.id}
    assert found(client, "ass") == {recycling.id}  # inside "mass"
    assert found(client, "ycling") == {recycling.id}


def test_short_latin_terms_match_word_starts_only(client, provider):
    bms = course(provider, title_en="BMS design")
    other = course(provider, title_en="Systems thinking")
    assert found(client, "bm") == {bms.id}
    assert found(client, "ms") == set()  # inside "BMS" and "systems", never at a word start
    assert found(client, "b") == {bms.id}
    assert found(client, "s") == {other.id}
    assert found(client, "de") == {bms.id}
    assert found(client, "th") == {other.id}
    assert found(client, "ys") == set()


def test_latin_words_inside_japanese_text_start_at_the_latin_letter(client, provider):
    mixed = course(provider, title_ja="BMS設計の基礎")
    assert found(client, "bm") == {mixed.id}
    assert found(client, "設計") == {mixed.id}


# --- Combining terms -------------------------------------------------------------------------------

def test_several_terms_are_anded(client, provider):
    both = course(provider, title_en="Black mass recycling", summary_en="Hydrometallurgy basics")
    only_recycling = course(provider, title_en="Recycling law")
    only_hydro = course(provider, title_en="Hydrometallurgy for refiners")
    assert found(client, "recycling") == {both.id, only_recycling.id}
    assert found(client, "recycling hydrometallurgy") == {both.id}
    assert found(client, "hydrometallurgy recycling") == {both.id}
    assert found(client, "recycling nothing-like-this") == set()
    assert only_hydro.id in found(client, "hydrometallurgy")


def test_full_width_space_separates_terms(client, provider):
    both = course(provider, title_ja="正極材のリサイクル")
    course(provider, title_ja="正極材の合成")
    assert found(client, "正極　リサイクル") == {both.id}


def test_mixed_english_and_japanese_query(client, provider):
    bilingual = course(provider, title_en="Cathode recycling", title_ja="正極材のリサイクル")
    english = course(provider, title_en="Recycling plant operations")
    japanese = course(provider, title_ja="正極の設計")
    assert found(client, "recycling 正極") == {bilingual.id}
    assert found(client, "正極 recycling", lang="ja") == {bilingual.id}
    assert found(client, "recycling") == {bilingual.id, english.id}
    assert found(client, "正極") == {bilingual.id, japanese.id}


def test_japanese_query_finds_english_only_course_through_its_skill_area(client, provider):
    english_only = course(provider, title_en="Hydrometallurgical recovery", skills=("recycling",))
    unrelated = course(provider, title_en="Pack assembly", skills=("pack-bms",))
    japanese_only = course(provider, title_ja="単セルの組立", skills=("pack-bms",))
    # recycling is named 「リサイクル・ブラックマス」 in Japanese
    assert found(client, "リサイクル") == {english_only.id}
    assert found(client, "ブラックマス", lang="ja") == {english_only.id}
    assert found(client, "ブラ") == {english_only.id}
    # and an English query finds a Japanese-only course through the English skill-area name
    assert found(client, "battery management") == {unrelated.id, japanese_only.id}


def test_terms_may_match_different_fields(client, provider):
    spread = course(provider, title_en="Thermal runaway", summary_ja="安全対策の演習", skills=("safety",))
    assert found(client, "runaway 演習 高電圧") == {spread.id}  # title, summary, skill area (JA)


def test_duplicate_terms_and_extra_spaces_change_nothing(client, provider):
    target = course(provider, title_en="Electrolyte filling")
    assert found(client, "  electrolyte   electrolyte  ") == {target.id}


# --- What is never found -------------------------------------------------------------------------

@pytest.mark.parametrize("status", ["draft", "pending_review", "archived"])
def test_a_course_that_is_not_published_is_never_found(client, provider, status):
    hidden = course(provider, status=status, title_en="Secret electrolyte", title_ja="秘密の電解液")
    shown = course(provider, title_en="Public electrolyte", title_ja="公開の電解液")
    for q in ("electrolyte", "電解液", "電解", "el", "secret", "秘"):
        assert hidden.id not in found(client, q), q
    assert found(client, "electrolyte") == {shown.id}
    page = client.get("/en/courses").get_data(as_text=True)
    assert f"/en/courses/{hidden.id}\"" not in page
    assert f"/en/courses/{shown.id}\"" in page


def test_query_of_only_symbols_or_controls_does_not_fail(client, provider):
    target = course(provider, title_en="Formation")
    for q in ('"', '""', '"""', "*", "AND", "NEAR(", "%", "_", "\\", "'; --", "^", "a\"b", "{}:"):
        assert target.id not in found(client, q), q
    # control characters are blanks: a query of nothing else lists everything
    assert found(client, "\x01\x02") == {target.id}


def test_like_wildcards_are_literal(client, provider):
    percent = course(provider, title_en="State of charge 100%")
    plain = course(provider, title_en="State of health")
    assert found(client, "100%") == {percent.id}
    assert found(client, "o_h") == set()  # "_" is not a wildcard
    assert plain.id not in found(client, "%")


# --- Keeping the index in step -------------------------------------------------------------------

def test_reindexing_after_a_title_change(client, provider):
    target = course(provider, title_en="Sodium-ion basics", title_ja="ナトリウム電池入門")
    target_id = target.id
    version = catalogue_version()
    assert found(client, "sodium") == {target_id}
    assert found(client, "ナト") == {target_id}

    target = db.session.get(type(target), target_id)
    target.title_en = "Lithium-ion basics"
    target.title_ja = "リチウム電池入門"
    reindex_courses([target_id])

    assert catalogue_version() > version
    assert found(client, "sodium") == set()
    assert found(client, "ナト") == set()
    assert found(client, "ナトリウム") == set()
    assert found(client, "lithium") == {target_id}
    assert found(client, "リチ") == {target_id}
    assert found(client, "リチウム電池") == {target_id}
    rows = db.session.scalars(sa.select(CourseSearch.title).where(CourseSearch.course_id == target_id)).all()
    assert rows == ["lithium-ion basics\nリチウム電池入門"]


def test_reindex_picks_up_new_skill_areas(client, provider):
    from tests.factories import skill

    target = course(provider, title_en="Plant tour")
    target_id = target.id
    assert found(client, "リサイクル") == set()
    target = db.session.get(type(target), target_id)
    target.skill_areas = [skill("recycling")]
    reindex_courses([target_id])
    assert found(client, "リサイクル") == {target_id}


# --- The pure helpers ----------------------------------------------------------------------------

def test_normalise_folds_width_and_case():
    assert normalise("ﾊﾞｯﾃﾘｰ") == "バッテリー"
    assert normalise("ＡＢＣ") == "abc"
    assert normalise("Straße") == "strasse"
    assert normalise(None) == ""


def test_gram_keys():
    keys = gram_keys(normalise("BMS設計 black mass"))
    assert {"設計", "s設", "^b", "^bm", "^bl", "^m", "^ma"} <= keys
    assert "ms" not in keys and "^ms" not in keys and "^s" not in keys


def test_parse_terms_limits_and_dedupes():
    assert [t.text for t in parse_terms("A a  Ｂ\x00c")] == ["a", "b", "c"]
    assert len(parse_terms(" ".join(f"w{i}" for i in range(50)))) == 8
    assert [t.kind for t in parse_terms("電池 正極材 bm x 池 recycling")] == [
        "gram", "long", "prefix", "prefix", "scan", "long"
    ]
