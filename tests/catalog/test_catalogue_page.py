"""The catalogue page /<lang>/courses: filters, their counts, sorting, pagination, bad input, query count."""
from __future__ import annotations

import html
import re
from dataclasses import replace
from datetime import datetime, timedelta
from html.parser import HTMLParser
from urllib.parse import parse_qs, parse_qsl, quote, urlencode, urlsplit
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from app.catalog.models import Course
from app.catalog.params import LANGUAGE_CODES, PageNotFound, parse_filters
from app.catalog.search import parse_terms
from app.catalog.services import reindex_courses
from app.platform.extensions import db
from app.providers.models import Organisation
from tests.factories import (
    make_client,
    make_course,
    make_courses,
    make_provider,
    make_session,
    make_session_at,
    now,
)

NOTICE = "were not recognised"
EMPTY = "Nothing matches these filters."


@pytest.fixture
def client(app):
    """Each request with a fresh `g` and identity map, as in production."""
    return make_client(app)


# --- reading the page ----------------------------------------------------------------------------

class _Form(HTMLParser):
    """Options of every <select> (value → (count, selected)), checkboxes, and result-card ids in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.selects: dict[str, dict[str, tuple[int | None, bool]]] = {}
        self.checkboxes: dict[str, dict[str, bool]] = {}
        self.inputs: dict[str, str] = {}
        self.cards: list[int] = []
        self._select: str | None = None
        self._option: tuple[str, bool] | None = None
        self._text = ""
        self._in_card = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "select":
            self._select = a.get("name")
            self.selects[self._select] = {}
        elif tag == "option" and self._select:
            self._option = (a.get("value", ""), "selected" in a)
            self._text = ""
        elif tag == "input" and a.get("type") == "checkbox":
            self.checkboxes.setdefault(a["name"], {})[a["value"]] = "checked" in a
        elif tag == "input" and a.get("name"):
            self.inputs[a["name"]] = a.get("value") or ""
        elif tag == "article" and "course-card" in (a.get("class") or ""):
            self._in_card = True
        elif tag == "a" and self._in_card:
            m = re.fullmatch(r"/(?:en|ja)/courses/(\d+)", a.get("href", ""))
            if m:
                self.cards.append(int(m.group(1)))
                self._in_card = False

    def handle_data(self, data):
        if self._option is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None:
            value, selected = self._option
            m = re.search(r"\(([\d,]+)\)\s*$", self._text)
            count = int(m.group(1).replace(",", "")) if m else None
            self.selects[self._select][value] = (count, selected)
            self._option = None
        elif tag == "select":
            self._select = None


class Page:
    def __init__(self, response) -> None:
        self.status = response.status_code
        self.text = response.get_data(as_text=True)
        form = _Form()
        form.feed(self.text)
        self.selects, self.checkboxes, self.inputs, self.cards = (
            form.selects, form.checkboxes, form.inputs, form.cards
        )

    def counts(self, name: str) -> dict[str, int]:
        """{option value: count} of a select, leaving out the "Any" option."""
        return {v: n for v, (n, _sel) in self.selects[name].items() if v}

    def selected(self, name: str) -> str | None:
        chosen = [v for v, (_n, sel) in self.selects[name].items() if sel]
        return chosen[0] if chosen else None

    def skill_counts(self) -> dict[str, int]:
        """Non-zero counts (every skill area is listed, those with no match as 0)."""
        out = {}
        for code, n in re.findall(
            r'<label for="skill-([\w-]+)">[^<]*<span class="count">\(([\d,]+)\)</span>', self.text
        ):
            if int(n.replace(",", "")):
                out[code] = int(n.replace(",", ""))
        return out

    def free_count(self) -> int:
        m = re.search(r'<label for="f-free">[^<]*<span class="count">\(([\d,]+)\)</span>', self.text)
        return int(m.group(1).replace(",", ""))

    def links(self, rel: str | None = None) -> list[str]:
        nav = re.search(r'<nav class="pagination".*?</nav>', self.text, re.S)
        if not nav:
            return []
        pattern = r'<a [^>]*href="([^"]+)"' if rel is None else rf'<a href="([^"]+)" rel="{rel}"'
        return [html.unescape(h) for h in re.findall(pattern, nav.group(0))]


def get(client, url: str) -> Page:
    page = Page(client.get(url))
    assert page.status == 200, (url, page.status)
    return page


def day(days: float) -> str:
    return (now() + timedelta(days=days)).date().isoformat()


# --- a small catalogue with one course per filter value --------------------------------------------

@pytest.fixture
def cat():
    """Five published courses and one draft, each different along every filter.

    c1 training  in person  en     EQF4 engineer   recycling        P1  DE +10d   €1,200
    c2 training  online     ja     EQF5 operator   safety           P2  JP +40d   free
    c3 workshop  blended    en+ja  EQF4 manager    recycling,safety P1  FR +70d   free
    c4 conference in person en     -    researcher data-passport    P2  IT past only, ES cancelled   ¥
    c5 exhibition in person de     EQF6 technician -                P3  online +20d (no venue country)
    draft: training, in person, en, EQF4, engineer, recycling, P1, DE +5d, free
    """
    p1 = make_provider(name_en="Akkuwerk Academy", name_ja="アクヴェルク・アカデミー", country="DE")
    p2 = make_provider(name_en="Kansai Battery School", name_ja="関西バッテリースクール", country="JP")
    p3 = make_provider(name_en="Expo Nordic", name_ja="エキスポ・ノルディック", country="SE")
    c1 = make_course(p1, kind="training", delivery_mode="in_person", languages=("en",), eqf_level=4,
                     audience="engineer", skills=("recycling",), price_amount=120000, currency="EUR",
                     title_en="Black mass basics", title_ja=None,
                     sessions=[make_session(days_ahead=10, country="DE", city="Berlin")])
    c2 = make_course(p2, kind="training", delivery_mode="online", languages=("ja",), eqf_level=5,
                     audience="operator", skills=("safety",), title_en=None, title_ja="高電圧安全教育",
                     sessions=[make_session(days_ahead=40, country="JP", city="Osaka", tz="Asia/Tokyo")])
    c3 = make_course(p1, kind="workshop", delivery_mode="blended", languages=("en", "ja"), eqf_level=4,
                     audience="manager", skills=("recycling", "safety"),
                     title_en="Recycling safety workshop", title_ja="リサイクル安全ワークショップ",
                     sessions=[make_session(days_ahead=70, country="FR", city="Lyon", tz="Europe/Paris")])
    c4 = make_course(p2, kind="conference", delivery_mode="in_person", languages=("en",),
                     audience="researcher", skills=("data-passport",), price_amount=30000, currency="JPY",
                     title_en="Battery passport conference", title_ja="バッテリーパスポート会議",
                     sessions=[make_session(days_ahead=-30, country="IT", city="Milan", tz="Europe/Rome"),
                               make_session(days_ahead=50, country="ES", city="Madrid", tz="Europe/Madrid",
                                            status="cancelled")])
    c5 = make_course(p3, kind="exhibition", delivery_mode="in_person", languages=("de",), eqf_level=6,
                     audience="technician", title_en="Nordic battery fair", title_ja=None,
                     sessions=[make_session(days_ahead=20, online=True)])
    draft = make_course(p1, status="draft", kind="training", delivery_mode="in_person", languages=("en",),
                        eqf_level=4, audience="engineer", skills=("recycling",),
                        title_en="Draft black mass", sessions=[make_session(days_ahead=5, country="DE")])
    ids = {name: c.id for name, c in dict(c1=c1, c2=c2, c3=c3, c4=c4, c5=c5, draft=draft).items()}
    ids.update(p1=p1.id, p2=p2.id, p3=p3.id)
    return ids


def results(page: Page) -> set[int]:
    return set(page.cards)


def ids(cat, *names) -> set[int]:
    return {cat[n] for n in names}


# --- listing -------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "ja"])
def test_lists_published_courses_only(client, cat, lang):
    page = get(client, f"/{lang}/courses")
    assert results(page) == ids(cat, "c1", "c2", "c3", "c4", "c5")
    assert f'lang="{lang}"' in page.text


def test_result_count_heading(client, cat):
    assert "5 courses and events" in get(client, "/en/courses").text
    assert "1 course or event" in get(client, "/en/courses?kind=workshop").text


# --- each filter ----------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "ja"])
def test_filter_by_one_skill_and_by_several(client, cat, lang):
    assert results(get(client, f"/{lang}/courses?skill=recycling")) == ids(cat, "c1", "c3")
    assert results(get(client, f"/{lang}/courses?skill=safety")) == ids(cat, "c2", "c3")
    both = get(client, f"/{lang}/courses?skill=recycling&skill=data-passport")
    assert results(both) == ids(cat, "c1", "c3", "c4")  # any of the selected
    assert both.checkboxes["skill"]["recycling"] and both.checkboxes["skill"]["data-passport"]
    assert not both.checkboxes["skill"]["safety"]


def test_skill_counts_ignore_the_skill_selection(client, cat):
    page = get(client, "/en/courses?skill=recycling")
    assert page.skill_counts() == {"recycling": 2, "safety": 2, "data-passport": 1}
    # but follow the other filters
    page = get(client, "/en/courses?skill=recycling&kind=training")
    assert page.skill_counts() == {"recycling": 1, "safety": 1}


def test_filter_by_kind_and_counts_ignore_kind(client, cat):
    page = get(client, "/en/courses?kind=workshop")
    assert results(page) == ids(cat, "c3")
    assert page.counts("kind") == {"training": 2, "workshop": 1, "conference": 1, "exhibition": 1}
    assert page.selected("kind") == "workshop"
    assert "Training course (2)" in page.text
    # the other facets count the workshop only
    assert page.counts("mode") == {"blended": 1}
    assert page.counts("audience") == {"manager": 1}
    assert page.skill_counts() == {"recycling": 1, "safety": 1}


def test_kind_counts_on_the_japanese_page(client, cat):
    page = get(client, "/ja/courses?kind=workshop")
    assert results(page) == ids(cat, "c3")
    assert page.counts("kind") == {"training": 2, "workshop": 1, "conference": 1, "exhibition": 1}


def test_filter_by_delivery_mode(client, cat):
    page = get(client, "/en/courses?mode=online")
    assert results(page) == ids(cat, "c2")
    assert page.counts("mode") == {"in_person": 3, "online": 1, "blended": 1}
    assert page.counts("kind") == {"training": 1}
    assert results(get(client, "/en/courses?mode=in_person")) == ids(cat, "c1", "c4", "c5")


def test_filter_by_language_of_instruction(client, cat):
    page = get(client, "/en/courses?language=ja")
    assert results(page) == ids(cat, "c2", "c3")
    assert page.counts("language") == {"en": 3, "ja": 2, "de": 1}
    assert page.selected("language") == "ja"
    assert "Japanese (2)" in page.text and "German (1)" in page.text
    assert results(get(client, "/en/courses?language=de")) == ids(cat, "c5")
    # a valid language nobody teaches in: no result, the option stays selected
    page = get(client, "/en/courses?language=fr")
    assert results(page) == set() and page.selected("language") == "fr" and NOTICE not in page.text


def test_filter_by_eqf_level(client, cat):
    page = get(client, "/en/courses?level=4")
    assert results(page) == ids(cat, "c1", "c3")
    assert page.counts("level") == {"4": 2, "5": 1, "6": 1}
    assert page.selected("level") == "4"
    assert results(get(client, "/en/courses?level=8")) == set()


def test_filter_by_audience(client, cat):
    page = get(client, "/en/courses?audience=manager")
    assert results(page) == ids(cat, "c3")
    assert page.counts("audience") == {
        "engineer": 1, "operator": 1, "manager": 1, "researcher": 1, "technician": 1
    }


def test_filter_by_country_of_an_upcoming_session(client, cat):
    page = get(client, "/en/courses?country=FR")
    assert results(page) == ids(cat, "c3")
    # past (IT), cancelled (ES) and online sessions give no country
    assert page.counts("country") == {"DE": 1, "JP": 1, "FR": 1}
    assert page.selected("country") == "FR"
    assert "France (1)" in page.text
    assert results(get(client, "/en/courses?country=jp")) == ids(cat, "c2")
    for past_or_cancelled in ("IT", "ES"):
        page = get(client, f"/en/courses?country={past_or_cancelled}")
        assert results(page) == set() and NOTICE not in page.text


def test_filter_by_provider(client, cat):
    page = get(client, f"/en/courses?provider={cat['p1']}")
    assert results(page) == ids(cat, "c1", "c3")
    assert page.counts("provider") == {str(cat["p1"]): 2, str(cat["p2"]): 2, str(cat["p3"]): 1}
    assert page.selected("provider") == str(cat["p1"])
    assert "Akkuwerk Academy (2)" in page.text
    # a selected provider with nothing left under the other filters stays selected, at zero
    page = get(client, f"/en/courses?provider={cat['p3']}&kind=workshop")
    assert results(page) == set()
    assert page.selected("provider") == str(cat["p3"]) and page.counts("provider")[str(cat["p3"])] == 0
    assert "アクヴェルク・アカデミー (2)" in get(client, f"/ja/courses?provider={cat['p1']}").text


def test_filter_by_session_dates(client, cat):
    assert results(get(client, f"/en/courses?from={day(25)}")) == ids(cat, "c2", "c3")
    assert results(get(client, f"/en/courses?to={day(55)}")) == ids(cat, "c1", "c2", "c5")
    page = get(client, f"/en/courses?from={day(25)}&to={day(55)}")
    assert results(page) == ids(cat, "c2")
    assert page.inputs["from"] == day(25) and page.inputs["to"] == day(55)
    # country counts follow the dates (they ignore only the country selection)
    assert page.counts("country") == {"JP": 1}
    page = get(client, f"/en/courses?from={day(25)}&country=DE")
    assert results(page) == set()
    assert page.counts("country") == {"JP": 1, "FR": 1, "DE": 0}
    # the past session of c4 is never within dates, even a range around it
    assert results(get(client, f"/en/courses?from={day(-40)}&to={day(-20)}")) == set()


def test_country_counts_count_courses_not_sessions(client):
    course = make_course(sessions=[make_session(days_ahead=d, country="NL", city="Delft") for d in (5, 15, 25)])
    page = get(client, "/en/courses")
    assert page.counts("country") == {"NL": 1}
    assert results(get(client, "/en/courses?country=NL")) == {course.id}


def test_date_filters_use_the_venues_calendar_day(client):
    course = make_course(sessions=[])
    # 00:30 in Tokyo on the 10th is still the 9th in UTC
    start = datetime(now().year + 1, 3, 10, 0, 30, tzinfo=ZoneInfo("Asia/Tokyo"))
    make_session_at(course, start, venue_country="JP", venue_city="Tokyo")
    y = start.year
    assert results(get(client, f"/en/courses?from={y}-03-10&to={y}-03-10")) == {course.id}
    assert results(get(client, f"/en/courses?to={y}-03-09")) == set()
    assert results(get(client, f"/en/courses?from={y}-03-11")) == set()


def test_filter_free_only(client, cat):
    page = get(client, "/en/courses?free=1")
    assert results(page) == ids(cat, "c2", "c3", "c5")
    assert page.free_count() == 3
    assert page.checkboxes["free"]["1"]
    assert page.counts("kind") == {"training": 1, "workshop": 1, "exhibition": 1}


def test_each_facet_ignores_only_its_own_selection(client, cat):
    page = get(client, "/en/courses?kind=training&free=1")
    assert results(page) == ids(cat, "c2")
    assert page.counts("kind") == {"training": 1, "workshop": 1, "exhibition": 1}  # free, any kind
    assert page.free_count() == 1  # training, free or not: c1, c2 → free among them: 1
    page = get(client, "/en/courses?kind=training")
    assert page.free_count() == 1
    page = get(client, "/en/courses?kind=training&language=en")
    assert results(page) == ids(cat, "c1")
    assert page.counts("language") == {"en": 1, "ja": 1}
    assert page.counts("kind") == {"training": 1, "workshop": 1, "conference": 1}


def test_filters_combine_with_search(client, cat):
    page = get(client, "/en/courses?q=" + quote("安全") + "&kind=training")
    assert results(page) == ids(cat, "c2")
    assert page.counts("kind") == {"training": 1, "workshop": 1}
    assert page.inputs["q"] == "安全"


def test_selected_option_with_no_results_stays_visible(client, cat):
    page = get(client, "/en/courses?kind=workshop&mode=online")
    assert results(page) == set()
    assert page.selected("mode") == "online" and page.counts("mode")["online"] == 0
    assert page.selected("kind") == "workshop"


# --- sorting -------------------------------------------------------------------------------------

@pytest.fixture
def sortable():
    p = make_provider(name_en="Sorter", name_ja="ソーター")
    t = now()
    soon = make_course(p, title_en="Lithium handling", summary_en="Soon", published_at=t - timedelta(days=30),
                       sessions=[make_session(days_ahead=5), make_session(days_ahead=90)])
    later = make_course(p, title_en="Handling cells", summary_en="About lithium", published_at=t - timedelta(days=1),
                        sessions=[make_session(days_ahead=3, status="cancelled"), make_session(days_ahead=20)])
    none_ = make_course(p, title_en="Lithium newest", published_at=t, sessions=[make_session(days_ahead=-5)])
    middle = make_course(p, title_en="Lithium middle", published_at=t - timedelta(days=10),
                         sessions=[make_session(days_ahead=12)])
    return {"soon": soon.id, "later": later.id, "none": none_.id, "middle": middle.id}


def test_sort_soonest_by_default_and_courses_without_upcoming_session_last(client, sortable):
    s = sortable
    assert get(client, "/en/courses").cards == [s["soon"], s["middle"], s["later"], s["none"]]
    assert get(client, "/en/courses?sort=soonest").cards == [s["soon"], s["middle"], s["later"], s["none"]]


def test_sort_newest_keeps_courses_without_upcoming_session_last(client, sortable):
    s = sortable
    page = get(client, "/en/courses?sort=newest")
    assert page.cards == [s["later"], s["middle"], s["soon"], s["none"]]
    assert page.selects["sort"]["newest"][1]


def test_sort_relevance_puts_title_hits_first(client, sortable):
    s = sortable
    page = get(client, "/en/courses?q=lithium")
    assert page.selected("sort") == "relevance"
    # title hits (soon, middle) before the summary hit (later); no upcoming session still last
    assert page.cards == [s["soon"], s["middle"], s["later"], s["none"]]
    assert get(client, "/en/courses?q=lithium&sort=soonest").cards == [
        s["soon"], s["middle"], s["later"], s["none"]
    ]
    # "later" is sooner than "middle" within 15 days, but relevance ranks it below title hits
    assert get(client, f"/en/courses?q=lithium&to={day(25)}").cards == [s["soon"], s["middle"], s["later"]]


def test_sort_relevance_beats_soonest_date(client):
    p = make_provider(name_en="Rel", name_ja="レル")
    body_hit = make_course(p, title_en="Cell formation", description_en="Electrolyte wetting",
                           sessions=[make_session(days_ahead=2)])
    title_hit = make_course(p, title_en="Electrolyte design", sessions=[make_session(days_ahead=60)])
    assert get(client, "/en/courses?q=electrolyte").cards == [title_hit.id, body_hit.id]
    assert get(client, "/en/courses?q=electrolyte&sort=soonest").cards == [body_hit.id, title_hit.id]


def test_sort_options_without_query_hide_relevance(client, sortable):
    page = get(client, "/en/courses")
    assert set(page.selects["sort"]) == {"soonest", "newest"}
    assert set(get(client, "/en/courses?q=lithium").selects["sort"]) == {"relevance", "soonest", "newest"}


# --- pagination ----------------------------------------------------------------------------------

@pytest.fixture
def many():
    p = make_provider(name_en="Bulk", name_ja="バルク")
    courses = make_courses(25, p, skills=("recycling",), title_ja="電池リサイクル講座")
    return [c.id for c in courses]


def test_second_page_has_the_rest(client, many):
    first = get(client, "/en/courses")
    second = get(client, "/en/courses?page=2")
    assert len(first.cards) == 20 and len(second.cards) == 5
    assert set(first.cards) | set(second.cards) == set(many)
    assert not set(first.cards) & set(second.cards)
    assert "25 courses and events" in second.text
    assert 'aria-current="page"' in second.text


@pytest.mark.parametrize("page", ["3", "10000", "0", "-1", "abc", "99999999999999999999", "1e3", "1.0",
                                  "%EF%BC%92", "0x2", "%2B2", "%00abc", "2.5"])
def test_bad_or_out_of_range_page_is_404(client, many, page):
    assert client.get(f"/en/courses?page={page}").status_code == 404
    assert client.get(f"/ja/courses?page={page}").status_code == 404


def test_page_past_the_end_of_an_empty_result_is_404_but_page_one_is_fine(client):
    assert client.get("/en/courses?q=nothing-at-all").status_code == 200
    assert client.get("/en/courses?q=nothing-at-all&page=2").status_code == 404


def test_page_of_whitespace_or_nothing_is_page_one(client, many):
    # An empty field is dropped by a redirect to the short address.
    assert client.get("/en/courses?page=").headers["Location"] == "/en/courses"
    assert get(client, "/en/courses?page=%20").cards == get(client, "/en/courses").cards
    assert get(client, "/en/courses?page=%202%20").cards == get(client, "/en/courses?page=2").cards


def test_pagination_links_keep_the_filter_state(client, many):
    url = ("/ja/courses?q=" + quote("電池") + "&skill=recycling&skill=safety&kind=training&mode=in_person"
           "&language=en&audience=engineer&country=DE&from=" + day(1) + "&to=" + day(400) + "&free=1&sort=newest")
    first = get(client, url)
    assert len(first.cards) == 20
    (next_url,) = first.links("next")
    parts = urlsplit(next_url)
    assert parts.path == "/ja/courses"
    assert parse_qs(parts.query) == {
        "q": ["電池"], "skill": ["recycling", "safety"], "kind": ["training"], "mode": ["in_person"],
        "language": ["en"], "audience": ["engineer"], "country": ["DE"], "from": [day(1)], "to": [day(400)],
        "free": ["1"], "sort": ["newest"], "page": ["2"],
    }
    second = get(client, next_url)
    assert len(second.cards) == 5 and not set(second.cards) & set(first.cards)
    (prev_url,) = second.links("prev")
    assert get(client, prev_url).cards == first.cards
    # the sort chosen is the sort shown again
    assert second.selected("sort") == "newest"


def test_the_other_language_link_keeps_the_filter_state(client, many):
    page = get(client, "/en/courses?kind=training&skill=recycling&page=2")
    assert 'href="/ja/courses?kind=training&amp;skill=recycling&amp;page=2"' in page.text


# --- empty state ---------------------------------------------------------------------------------

def test_empty_state(client, cat):
    page = get(client, "/en/courses?q=zeppelin")
    assert page.cards == []
    assert EMPTY in page.text
    assert "0 courses and events" in page.text
    assert 'href="/en/courses"' in page.text  # a way back to everything
    assert EMPTY not in get(client, "/en/courses").text


def test_empty_catalogue(client):
    page = get(client, "/ja/courses")
    assert page.cards == []
    page = get(client, "/en/courses")
    assert EMPTY in page.text


# --- bad input -----------------------------------------------------------------------------------

PARAMS = ["q", "skill", "kind", "mode", "language", "level", "audience", "country", "provider", "from", "to",
          "free", "sort", "page"]


@pytest.mark.parametrize("name", PARAMS)
def test_nul_bytes_in_any_parameter_never_fail(client, cat, name):
    for url in (f"/en/courses?{name}=%00", f"/en/courses?{name}=a%00b", f"/en/courses?{name}=training%00",
                f"/ja/courses?{name}=%00%00", f"/en/courses?q=x&{name}=2%00026-01-01"):
        status = client.get(url).status_code
        assert status == 200 or (name == "page" and status == 404), (url, status)
    if name == "page":  # a NUL is dropped: nothing left is page 1, letters left are a 404
        assert client.get("/en/courses?page=%00").status_code == 200
        assert client.get("/en/courses?page=a%00b").status_code == 404


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_ten_thousand_character_query(client, cat, lang):
    cases = {
        "a" * 10_000: set(),
        "電" * 10_000: set(),
        "black mass " * 1000: ids(cat, "c1", "c3"),  # c3 through its skill area "Recycling & black mass"
        "電池 " * 5000: ids(cat, "c4"),  # through 「電池データ・…」
    }
    for q, expected in cases.items():
        page = get(client, f"/{lang}/courses?q={quote(q)}")
        assert results(page) == expected
        assert q.startswith(page.inputs["q"]) and 0 < len(page.inputs["q"]) <= 200


def test_a_long_query_is_cut_not_refused(client, cat):
    # the first terms of a very long query still search; what lies past the cut is not searched for
    page = get(client, "/en/courses?q=" + quote("black mass " + "x" * 9990))
    assert page.cards == []
    page = get(client, "/en/courses?q=" + quote("black basics " + " " * 9990 + "zeppelin"))
    assert results(page) == ids(cat, "c1")


@pytest.mark.parametrize("query", [
    "kind=spaceship", "mode=teleport", "language=xx", "language=english", "level=9", "level=0", "level=abc",
    "level=4.0", "audience=ceo", "country=XX", "country=Germany", "country=D", "provider=abc", "provider=0",
    "provider=-3", "provider=99999999999999", "sort=random", "skill=unknown", "skill=recycling&skill=nope",
    "from=2026-02-30", "from=garbage", "to=2026/01/01", "from=20260101", "to=01-01-2026",
])
def test_unknown_filter_values_give_a_notice(client, cat, query):
    page = get(client, f"/en/courses?{query}")
    assert NOTICE in page.text


@pytest.mark.parametrize("query", ["", "kind=training", "skill=recycling", "free=1", "country=de", "page=1"])
def test_known_values_give_no_notice(client, cat, query):
    assert NOTICE not in get(client, f"/en/courses?{query}").text


def test_unknown_value_is_dropped_and_the_rest_applies(client, cat):
    page = get(client, "/en/courses?kind=spaceship&skill=recycling&skill=nope&mode=blended")
    assert NOTICE in page.text
    assert results(page) == ids(cat, "c3")
    assert page.selected("kind") is None


def test_unknown_value_on_the_japanese_page(client, cat):
    page = get(client, "/ja/courses?kind=spaceship")
    assert results(page) == ids(cat, "c1", "c2", "c3", "c4", "c5")
    assert 'class="notice"' in page.text


def test_to_before_from_is_dropped_with_a_notice(client, cat):
    page = get(client, f"/en/courses?from={day(25)}&to={day(5)}")
    assert NOTICE in page.text
    assert results(page) == ids(cat, "c2", "c3")  # "from" still applies
    assert page.inputs["from"] == day(25) and page.inputs["to"] == ""


@pytest.mark.parametrize("query", [
    "from=0001-01-01", "to=9999-12-31", "from=0001-01-01&to=9999-12-31", "from=2026-W01-1",
])
def test_extreme_dates_never_fail(client, cat, query):
    assert client.get(f"/en/courses?{query}").status_code == 200


def test_repeated_parameters(client, cat):
    page = get(client, "/en/courses?kind=workshop&kind=training&page=1&page=2&sort=newest&sort=bad&free=1&free=0")
    assert results(page) == ids(cat, "c3")  # the first of each
    assert page.selected("kind") == "workshop"
    assert results(get(client, "/en/courses?skill=recycling&skill=recycling")) == ids(cat, "c1", "c3")
    many_skills = "&".join(["skill=safety"] * 200)
    assert results(get(client, f"/en/courses?{many_skills}")) == ids(cat, "c2", "c3")


@pytest.mark.parametrize("query", [
    "q=%ff%fe", "q=%c3%28", "q=%e9t%e9", "kind=%ff", "skill=%e9", "country=%ff%ff", "from=%ff",
    "sort=%80", "free=%ff", "provider=%ff", "q=%ed%a0%80", "q=%f4%90%80%80", "q=%", "q=%zz", "q=%%%",
    "%ff=%ff", "q", "=x", "&&&", "q=a&&=&kind",
])
def test_malformed_percent_encoding_never_fails(client, cat, query):
    for lang in ("en", "ja"):
        # Empty fields are dropped by a redirect to the short address, which then answers.
        response = client.get(f"/{lang}/courses?{query}", follow_redirects=True)
        assert response.status_code == 200, query


def test_malformed_page_encoding_is_404(client, cat):
    assert client.get("/en/courses?page=%ff").status_code == 404
    assert client.get("/en/courses/%ff").status_code == 404


def test_search_input_echoes_the_query_escaped(client, cat):
    page = get(client, "/en/courses?q=" + quote('<script>alert("x")</script>'))
    assert "<script>alert" not in page.text
    assert page.inputs["q"] == '<script>alert("x")</script>'


# --- query count ---------------------------------------------------------------------------------

def _big_catalogue(n: int, providers: list) -> None:
    make_courses(n, providers, skills=("recycling", "safety"), languages=("en", "ja"),
                 title_ja="電池リサイクルの講座", summary_en="Black mass recycling", reindex=False)


def _statements(client, count_queries, url: str) -> int:
    assert client.get(url).status_code == 200  # warm up (first-use statements are not the page's)
    with count_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200
    return counter.count


def test_catalogue_query_count_does_not_grow_with_the_data(client, count_queries):
    providers = [make_provider(country=c) for c in ("DE", "FR", "JP", "IT", "SE")]
    _big_catalogue(10, providers)
    reindex_courses(db.session.scalars(db.select(Course.id)).all())
    urls = [
        "/en/courses",
        "/ja/courses?page=1",
        "/en/courses?q=" + quote("電池 recycling"),
        "/ja/courses?q=" + quote("リサ bl"),
        "/en/courses?skill=recycling&kind=training&language=ja&country=DE&free=1&from=" + day(1),
        "/en/courses?sort=newest&mode=in_person&audience=engineer",
    ]
    small = {url: _statements(client, count_queries, url) for url in urls}
    providers = [db.session.get(Organisation, p.id) for p in providers]  # the requests detached them
    _big_catalogue(490, providers)
    reindex_courses(db.session.scalars(db.select(Course.id)).all())
    large = {url: _statements(client, count_queries, url) for url in urls}
    assert large == small
    assert all(n <= 12 for n in large.values()), large
    # and every page actually showed a full page of results
    for url in urls[:2] + urls[2:4]:
        assert len(get(client, url).cards) == 20, url


# --- any input -----------------------------------------------------------------------------------

SKILL_CODES = {"recycling", "safety", "data-passport", "pack-bms"}
_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
_values = st.one_of(
    _text,
    st.sampled_from(["training", "workshop", "online", "ja", "en", "4", "9", "JP", "de", "recycling", "1",
                     "newest", "relevance", "2031-01-01", "2031-02-30", "0", "-1", "%00", "\x00", " 2 "]),
)
_args = st.lists(st.tuples(st.sampled_from(PARAMS + ["other"]), _values), max_size=8)


@settings(max_examples=300, deadline=None)
@given(_args)
def test_any_arguments_parse_to_a_state_whose_url_gives_the_same_state(pairs):
    try:
        state = parse_filters(MultiDict(pairs), SKILL_CODES, LANGUAGE_CODES)
    except PageNotFound:
        return
    query = urlencode(state.to_args(), doseq=True)
    again = parse_filters(MultiDict(parse_qsl(query, keep_blank_values=True)), SKILL_CODES, LANGUAGE_CODES)
    assert again.ignored == ()  # what the page links to is always understood
    assert [t.text for t in parse_terms(again.q)] == [t.text for t in parse_terms(state.q)]
    assert replace(again, q=state.q) == state


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pairs=_args)
def test_any_arguments_never_make_the_page_fail(client, cat, pairs):
    response = client.get("/en/courses?" + urlencode(pairs), follow_redirects=True)
    assert response.status_code in (200, 404)
    if response.status_code == 404:
        assert any(name == "page" for name, _ in pairs)
