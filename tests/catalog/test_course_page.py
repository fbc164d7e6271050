"""The course page /<lang>/courses/<id>: the course, its sessions in their own time zones, prices."""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.catalog.models import Course
from app.platform.extensions import db
from tests.factories import make_course, make_provider, make_session, make_session_at, now


def page(client, course_id: int, lang: str = "en") -> str:
    response = client.get(f"/{lang}/courses/{course_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def sections(text: str) -> tuple[str, str]:
    """(upcoming section, past-and-cancelled section) of a course page."""
    upcoming = re.search(r'<section aria-labelledby="upcoming-title">.*?</section>', text, re.S).group(0)
    past = re.search(r'<section aria-labelledby="past-title">.*?</section>', text, re.S)
    return upcoming, past.group(0) if past else ""


def future(month: int, day: int, hour: int, tz: str) -> datetime:
    """A fixed local time in a year safely ahead, in the given zone."""
    return datetime(now().year + 2, month, day, hour, 0, tzinfo=ZoneInfo(tz))


# --- not found -----------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "ja"])
def test_unknown_course_is_404(client, lang):
    course = make_course()
    assert client.get(f"/{lang}/courses/{course.id + 1000}").status_code == 404
    assert client.get(f"/{lang}/courses/0").status_code == 404


@pytest.mark.parametrize("status", ["draft", "pending_review"])
def test_unpublished_course_is_404(client, status):
    course = make_course(status=status, title_en="Not yet")
    assert client.get(f"/en/courses/{course.id}").status_code == 404
    assert client.get(f"/ja/courses/{course.id}").status_code == 404


@pytest.mark.parametrize("path", [
    "/en/courses/99999999999999999999", "/en/courses/2147483648", "/en/courses/9223372036854775808",
    "/en/courses/-1", "/en/courses/abc", "/en/courses/1.0", "/en/courses/%00", "/en/courses/1%00",
    "/ja/courses/99999999999999999999999999999999999999",
])
def test_absurd_course_ids_are_404(client, path):
    assert client.get(path).status_code == 404


def test_unknown_language_prefix_is_404(client):
    course = make_course()
    assert client.get(f"/fr/courses/{course.id}").status_code == 404


# --- the course ----------------------------------------------------------------------------------

def test_shows_the_course_in_the_readers_language(client):
    provider = make_provider(name_en="Akkuwerk Academy", name_ja="アクヴェルク・アカデミー")
    course = make_course(provider, title_en="Black mass recycling", title_ja="ブラックマスのリサイクル",
                         summary_en="From shredding to leaching.", summary_ja="破砕から浸出まで。",
                         description_en="Line one\nLine two", skills=("recycling", "safety"),
                         languages=("en", "ja"), eqf_level=5, kind="workshop")
    course_id, provider_id = course.id, provider.id
    en = page(client, course_id, "en")
    assert "<h1>Black mass recycling</h1>" in en
    assert "From shredding to leaching." in en
    assert "Line one<br>Line two" in en
    assert "Akkuwerk Academy" in en and f'href="/en/providers/{provider_id}"' in en
    assert "Recycling &amp; black mass" in en and 'href="/en/courses?skill=recycling"' in en
    assert "Workshop" in en
    assert '<html lang="en"' in en
    assert 'hreflang="ja"' in en and f'/ja/courses/{course_id}"' in en
    ja = page(client, course_id, "ja")
    assert "<h1>ブラックマスのリサイクル</h1>" in ja
    assert "破砕から浸出まで。" in ja
    assert "アクヴェルク・アカデミー" in ja
    assert "リサイクル・ブラックマス" in ja and 'href="/ja/courses?skill=recycling"' in ja
    assert '<html lang="ja"' in ja
    # the English description exists only in English: shown on /ja/ marked as English
    assert '<span lang="en">Line one<br>Line two</span> <span class="lang-marker">' in ja


def test_japanese_only_course_on_the_english_page(client):
    course = make_course(title_en=None, title_ja="全固体電池の基礎", summary_ja="硫化物系電解質を学ぶ",
                         languages=("ja",))
    en = page(client, course.id, "en")
    assert '<span lang="ja">全固体電池の基礎</span> <span class="lang-marker">Japanese only</span>' in en
    assert '<span lang="ja">硫化物系電解質を学ぶ</span> <span class="lang-marker">Japanese only</span>' in en
    assert "<title>全固体電池の基礎" in en
    ja = page(client, course.id, "ja")
    assert "<h1>全固体電池の基礎</h1>" in ja
    assert "lang-marker" not in ja


def test_english_only_course_on_the_japanese_page(client):
    course = make_course(title_en="Cell formation", title_ja=None)
    ja = page(client, course.id, "ja")
    assert re.search(r'<h1><span lang="en">Cell formation</span> <span class="lang-marker">[^<]+</span></h1>', ja)
    assert "<h1>Cell formation</h1>" in page(client, course.id, "en")


# --- sessions ------------------------------------------------------------------------------------

def test_upcoming_session_in_its_time_zone_named_in_english(client):
    course = make_course(sessions=[])
    start = future(11, 25, 9, "Asia/Tokyo")
    make_session_at(course, start, hours=8, venue_city="Tokyo", venue_country="JP")
    en = page(client, course.id, "en")
    upcoming, _past = sections(en)
    assert f"25 Nov {start.year}, 09:00–17:00 (Japan Standard Time)" in upcoming
    assert "Tokyo, Japan" in upcoming


def test_upcoming_session_in_its_time_zone_named_in_japanese(client):
    course = make_course(sessions=[])
    start = future(11, 25, 9, "Asia/Tokyo")
    make_session_at(course, start, hours=8, venue_city="東京", venue_country="JP")
    ja = page(client, course.id, "ja")
    upcoming, _past = sections(ja)
    assert f"{start.year}年11月25日 9:00–17:00(日本標準時)" in upcoming
    assert "東京(日本)" in upcoming


def test_session_shown_in_the_venue_zone_not_utc(client):
    course = make_course(sessions=[])
    # 23:30 in Berlin in winter is 22:30 UTC; the day is the Berlin day
    start = future(1, 10, 23, "Europe/Berlin") + timedelta(minutes=30)
    make_session_at(course, start, hours=2)
    upcoming, _ = sections(page(client, course.id, "en"))
    assert f"10 Jan {start.year}, 23:30–next day 01:30 (Central European Standard Time)" in upcoming


def test_session_in_summer_time_names_the_summer_zone(client):
    course = make_course(sessions=[])
    start = future(7, 1, 10, "Europe/Berlin")
    make_session_at(course, start, hours=6)
    upcoming, _ = sections(page(client, course.id, "en"))
    assert f"1 Jul {start.year}, 10:00–16:00 (Central European Summer Time)" in upcoming


def test_seats_left(client):
    course = make_course(sessions=[])
    make_session_at(course, future(3, 1, 9, "Europe/Berlin"), capacity=20, seats_taken=7, venue_city="Aachen")
    make_session_at(course, future(3, 8, 9, "Europe/Berlin"), capacity=12, seats_taken=12, venue_city="Ulm")
    make_session_at(course, future(3, 15, 9, "Europe/Berlin"), capacity=1500, seats_taken=0,
                    venue_city="Essen", requires_approval=True)
    upcoming, _ = sections(page(client, course.id, "en"))
    rows = re.findall(r"<tr>.*?</tr>", upcoming, re.S)[1:]
    assert len(rows) == 3
    assert "Aachen" in rows[0] and "13 of 20 left" in rows[0]
    assert "Ulm" in rows[1] and "Full" in rows[1]
    assert "Essen" in rows[2] and "1,500 of 1,500" in rows[2] and "Provider approves each enrolment" in rows[2]


def test_upcoming_sessions_in_date_order_with_deadline(client):
    course = make_course(sessions=[])
    later = future(6, 1, 9, "Europe/Berlin")
    sooner = future(5, 1, 9, "Europe/Berlin")
    make_session_at(course, later, venue_city="Later-City")
    make_session_at(course, sooner, venue_city="Sooner-City",
                    enrolment_deadline=sooner - timedelta(days=14))
    upcoming, _ = sections(page(client, course.id, "en"))
    assert upcoming.index("Sooner-City") < upcoming.index("Later-City")
    assert f"17 Apr {sooner.year}" in upcoming


def test_online_session(client):
    course = make_course(sessions=[])
    make_session_at(course, future(4, 2, 10, "Europe/Paris"), online=True, venue_city=None, venue_country=None,
                    join_url="https://meet.example/secret-room")
    en = page(client, course.id, "en")
    upcoming, _ = sections(en)
    assert "Online" in upcoming
    assert "secret-room" not in en  # only confirmed learners see the join link


def test_past_and_cancelled_sessions_are_apart(client):
    course = make_course(sessions=[
        make_session(days_ahead=30, city="Osaka", country="JP", tz="Asia/Tokyo"),
        make_session(days_ahead=-30, city="Kyoto", country="JP", tz="Asia/Tokyo", status="completed"),
        make_session(days_ahead=-400, city="Sapporo", country="JP", tz="Asia/Tokyo"),
        make_session(days_ahead=60, city="Nagoya", country="JP", tz="Asia/Tokyo", status="cancelled"),
    ])
    for lang in ("en", "ja"):
        upcoming, past = sections(page(client, course.id, lang))
        assert "Osaka" in upcoming
        for city in ("Kyoto", "Sapporo", "Nagoya"):
            assert city not in upcoming and city in past
        assert "Osaka" not in past
        # the most recent first; the cancelled one is marked
        assert past.index("Nagoya") < past.index("Kyoto") < past.index("Sapporo")
        nagoya = re.search(r"<li>[^<]*Nagoya.*?</li>", past, re.S).group(0)
        assert 'class="tag tag-warn"' in nagoya
        kyoto = re.search(r"<li>[^<]*Kyoto.*?</li>", past, re.S).group(0)
        assert "tag-warn" not in kyoto


def test_no_upcoming_session(client):
    course = make_course(sessions=[make_session(days_ahead=-3, city="Graz", country="AT")])
    upcoming, past = sections(page(client, course.id, "en"))
    assert "No upcoming session is scheduled" in upcoming and "<table" not in upcoming
    assert "Graz" in past


def test_no_sessions_at_all(client):
    course = make_course(sessions=[])
    upcoming, past = sections(page(client, course.id, "en"))
    assert "No upcoming session is scheduled" in upcoming and past == ""


# --- prices --------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang, amount, currency, shown", [
    ("en", 120000, "EUR", "€1,200.00"),
    ("en", 99, "EUR", "€0.99"),
    ("ja", 150000, "JPY", "￥150,000"),
    ("en", 150000, "JPY", "JP¥150,000"),  # CLDR en_GB tells the yen from the yuan
    ("ja", 120000, "EUR", "€1,200.00"),
])
def test_price_formatted_for_the_locale(client, lang, amount, currency, shown):
    course = make_course(price_amount=amount, currency=currency)
    text = page(client, course.id, lang)
    # the price is the first fact of the "at a glance" list
    price = re.search(r'<dl class="facts">\s*<div><dt>[^<]+</dt><dd><span class="price">'
                      r'<span class="amount">([^<]*)</span>', text).group(1)
    assert price == shown


def test_free_course(client):
    course = make_course(price_amount=None, currency=None)
    assert re.search(r'<dt>Price</dt><dd><span class="price">Free</span></dd>', page(client, course.id, "en"))


def test_facts(client):
    course = make_course(delivery_mode="blended", languages=("de", "en"), audience="technician",
                         duration_hours=16, certification="assessed", validity_months=24, eqf_level=6)
    en = page(client, course.id, "en")
    assert "<dd>Blended</dd>" in en
    assert "German and English" in en
    assert "16 hours" in en
    assert "<dd>Technician</dd>" in en
    assert "valid for 24 months" in en
    assert "<dd>6</dd>" in en


# --- query count ---------------------------------------------------------------------------------

def test_query_count_does_not_grow_with_sessions(client, count_queries):
    small = make_course(skills=("recycling",), sessions=1)
    large = make_course(skills=("recycling", "safety", "rnd"), languages=("en", "ja", "de"), sessions=[
        make_session(days_ahead=d, status="cancelled" if d % 7 == 0 else "scheduled") for d in range(-15, 15)
    ])
    counts = []
    for course_id in (small.id, large.id):
        page(client, course_id)
        with count_queries() as counter:
            page(client, course_id)
        counts.append(counter.count)
    assert counts[0] == counts[1] <= 6
    assert len(db.session.get(Course, large.id).sessions) == 30
