"""The catalogue page /<lang>/courses: the published courses listed, each filter, and the counts beside
each option (a facet ignores only its own selection)."""
from __future__ import annotations

from datetime import datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest

from tests.catalog.catalogue_page import NOTICE, day, get, ids, results
from tests.factories import make_course, make_session, make_session_at, now

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

