"""The catalogue page /<lang>/courses: sorting, pagination, the empty state, and a query count that does
not grow with the data."""
from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from app.catalog.models import Course
from app.catalog.services import reindex_courses
from app.platform.extensions import db
from app.providers.models import Organisation
from tests.catalog.catalogue_page import EMPTY, day, get
from tests.factories import make_course, make_courses, make_provider, make_session, now

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

