"""Session days: consecutive days with their own hours, the reader's clock beside the venue's, and the
hours a session states come from its days (issue 14, point 2)."""
from __future__ import annotations

import importlib.util
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import sqlalchemy as sa

from app.catalog.models import CourseSession, SessionDay
from app.platform.extensions import db
from tests.factories import make_client, make_course, make_provider, make_session_at, make_user, now, sign_in

BERLIN = ZoneInfo("Europe/Berlin")


def _winter(day: int, hour: int) -> datetime:
    return datetime(now().year + 1, 12, day, hour, 0, tzinfo=BERLIN)


def two_days(course=None, **kw):
    """"21–22 Dec, 8:00–16:00" in Berlin, made from one start and one end (as the demo and the API do)."""
    course = course or make_course(sessions=[], **kw)
    return make_session_at(course, _winter(21, 8), hours=32, tz="Europe/Berlin")


def test_a_session_made_from_one_start_and_end_gets_consecutive_days():
    s = two_days()
    assert [(d.day.day, d.starts_at.astimezone(BERLIN).hour, d.ends_at.astimezone(BERLIN).hour) for d in s.days] == [
        (21, 8, 16), (22, 8, 16)]
    assert s.total_hours == 16  # not 32


def test_an_overnight_session_stays_one_block():
    course = make_course(sessions=[])
    s = make_session_at(course, _winter(21, 22), hours=4, tz="Europe/Berlin")
    assert len(s.days) == 1 and s.total_hours == 4


def test_the_migration_splits_existing_sessions_the_same_way():
    path = Path(__file__).resolve().parents[2] / "migrations" / "versions" / "0010_session_days.py"
    spec = importlib.util.spec_from_file_location("m0010", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    start = _winter(21, 8).astimezone(UTC).replace(tzinfo=None)
    rows = module._days(start, start + timedelta(hours=32), "Europe/Berlin")
    assert [(on.day, s.hour, e.hour) for on, s, e in rows] == [(21, 7, 15), (22, 7, 15)]  # UTC, naive
    assert len(module._days(start, start + timedelta(hours=4), "Europe/Berlin")) == 1


def test_anonymous_japanese_reader_sees_japan_time_with_the_day_change(client):
    course = make_course(sessions=[], delivery_mode="online")
    make_session_at(course, _winter(14, 13), hours=4, tz="Europe/Berlin", online=True, venue_country=None,
                    venue_city=None)
    ja = client.get(f"/ja/courses/{course.id}").get_data(as_text=True)
    assert "13:00–17:00(中央ヨーロッパ標準時)/日本時間 21:00–翌日 1:00" in ja
    en = client.get(f"/en/courses/{course.id}").get_data(as_text=True)  # Brussels keeps Berlin's clock
    assert "13:00–17:00 (Central European Standard Time)" in en and "next day" not in en


def test_signed_in_reader_sees_their_profile_zone(app):
    course = make_course(sessions=[])
    make_session_at(course, _winter(14, 13), hours=4, tz="Europe/Berlin")
    c = make_client(app)
    sign_in(c, make_user(timezone="America/New_York"))
    page = c.get(f"/en/courses/{course.id}").get_data(as_text=True)
    assert "13:00–17:00 (Central European Standard Time) · Eastern Standard Time: 07:00–11:00" in page


def test_course_page_lists_the_days_and_their_total_hours(client):
    course = make_course(sessions=[])
    two_days(course)
    page = client.get(f"/en/courses/{course.id}").get_data(as_text=True)
    assert f"21–22 Dec {now().year + 1} (2 days), 08:00–16:00" in page and "16 hours in total" in page
    assert '<ul class="session-days">' not in page  # the same hours every day: the dates line says it all


def test_the_feed_has_one_event_per_day(client):
    s = two_days()
    cal = icalendar.Calendar.from_ical(client.get("/sessions.ics").data)
    mine = [e for e in cal.walk("VEVENT") if str(e["UID"]).startswith(f"session-{s.id}-")]
    assert [(e["DTSTART"].dt.hour, e["DTEND"].dt.hour) for e in mine] == [(8, 16), (8, 16)]
    assert {e["DTSTART"].params["TZID"] for e in mine} == {"Europe/Berlin"}


# --- the provider's form ---------------------------------------------------------------------------

def _provider(client):
    org = make_provider(country="DE", city="Berlin")
    sign_in(client, make_user("member", organisation=org))
    return make_course(org, sessions=0)


def _form(**changes) -> dict:
    data = {"starts_local": _winter(21, 8).strftime("%Y-%m-%dT%H:%M"),
            "ends_local": _winter(23, 16).strftime("%Y-%m-%dT%H:%M"), "timezone": "Europe/Berlin",
            "venue_city": "Berlin", "venue_country": "DE", "capacity": "20"}
    data.update(changes)
    return data


def _days(session_id: int) -> list[tuple]:
    db.session.expire_all()
    rows = db.session.scalars(sa.select(SessionDay).where(SessionDay.session_id == session_id)
                              .order_by(SessionDay.starts_at))
    return [(d.day.day, d.starts_at.astimezone(BERLIN).time(), d.ends_at.astimezone(BERLIN).time()) for d in rows]


def test_the_form_makes_three_days_and_each_day_can_have_its_own_hours(client):
    course = _provider(client)
    assert client.post(f"/en/provider/courses/{course.id}/sessions/new", data=_form()).status_code == 302
    session_id = db.session.scalar(sa.select(CourseSession.id).where(CourseSession.course_id == course.id))
    assert _days(session_id) == [(d, time(8), time(16)) for d in (21, 22, 23)]
    page = client.get(f"/en/provider/sessions/{session_id}/edit").get_data(as_text=True)
    assert 'name="day_hours-2-starts"' in page and "Each day" in page

    rows = {f"day_hours-{i}-day": _winter(21 + i, 8).date().isoformat() for i in range(3)}
    rows.update({f"day_hours-{i}-starts": "08:00" for i in range(3)})
    rows.update({"day_hours-0-ends": "16:00", "day_hours-1-ends": "16:00", "day_hours-2-ends": "12:00"})
    response = client.post(f"/en/provider/sessions/{session_id}/edit", data=_form(each_day="y", **rows))
    assert response.status_code == 302
    assert _days(session_id) == [(21, time(8), time(16)), (22, time(8), time(16)), (23, time(8), time(12))]
    assert db.session.get(CourseSession, session_id).total_hours == 20
    shown = client.get(f"/en/provider/courses/{course.id}").get_data(as_text=True)
    assert "hours vary by day" in shown and shown.count("<li>") >= 3 and "08:00–12:00" in shown
    page = client.get(f"/en/provider/sessions/{session_id}/edit").get_data(as_text=True)
    assert 'name="each_day" type="checkbox" value="y" checked' in page or "checked" in page


def test_a_day_without_hours_is_refused_and_changes_nothing(client):
    course = _provider(client)
    client.post(f"/en/provider/courses/{course.id}/sessions/new", data=_form())
    session_id = db.session.scalar(sa.select(CourseSession.id).where(CourseSession.course_id == course.id))
    before = _days(session_id)
    rows = {"day_hours-0-day": _winter(21, 8).date().isoformat(), "day_hours-0-starts": "09:00"}
    response = client.post(f"/ja/provider/sessions/{session_id}/edit", data=_form(each_day="y", **rows))
    assert response.status_code == 400
    assert "すべての日に開始時刻と終了時刻を入力してください。" in response.get_data(as_text=True)
    assert _days(session_id) == before
    rows = {"day_hours-0-day": "not a day", "day_hours-0-starts": "09:00", "day_hours-0-ends": "10:00"}
    assert client.post(f"/en/provider/sessions/{session_id}/edit",
                       data=_form(each_day="y", **rows)).status_code == 400
    assert _days(session_id) == before


# --- no query per session ----------------------------------------------------------------------------

def _count(client, count_queries, url: str) -> int:
    assert client.get(url).status_code == 200
    with count_queries() as counter:
        assert client.get(url).status_code == 200
    return counter.count


def test_pages_with_days_do_not_query_per_session(app, count_queries):
    org = make_provider()
    member = make_user("member", organisation=org)
    course = make_course(org, sessions=[])
    c = make_client(app)
    sign_in(c, member)
    urls = [f"/en/courses/{course.id}", f"/ja/provider/courses/{course.id}", "/en/courses"]
    two_days(course)
    small = [_count(c, count_queries, url) for url in urls]
    for i in range(5):
        make_session_at(course, _winter(1 + i * 3, 9), hours=56, tz="Europe/Berlin")
        two_days(make_course(org, sessions=[]))
    db.session.flush()
    assert [_count(c, count_queries, url) for url in urls] == small


def test_mail_lists_days_with_their_own_hours_in_the_learners_zone(outbox):
    from app.catalog.session_days import pattern_days, set_days
    from app.enrolment import notify, services

    s = two_days()
    days = pattern_days(s.starts_on, 2, time(8), time(16), "Europe/Berlin")
    days[1] = (days[1][0], days[1][1], days[1][2] - timedelta(hours=4))
    set_days(s, days)
    db.session.flush()
    notify.notify_outcome(services.enrol(make_user(preferred_language="ja", timezone="Asia/Tokyo"), s))
    text = outbox[0].get_body(("plain",)).get_content()
    assert "時間は日ごとに異なります" in text and "- " in text and "日本時間 16:00–20:00" in text
