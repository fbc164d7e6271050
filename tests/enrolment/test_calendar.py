"""The .ics file: RFC 5545 shape, the session's time zone with its rules, only for the learner."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import icalendar
import pytest

from app.enrolment import services
from app.enrolment.calendar import escape_text, event_calendar, fold, transitions
from tests.factories import make_client, make_course, make_session, make_session_at, make_user, sign_in


def _year() -> int:
    return datetime.now(timezone.utc).year + 1


def test_download_parses_back_with_the_right_zone(client, db_session):
    start = datetime(_year(), 7, 1, 8, 0, tzinfo=timezone.utc)  # 10:00 in Berlin, summer time
    course = make_course(sessions=[], title_en="Safety; handling, and storage", title_ja="安全な取り扱い")
    s = make_session_at(course, start, tz="Europe/Berlin", venue_city="Aachen", venue_country="DE")
    learner = make_user()
    e = services.enrol(learner, s).enrolment
    sign_in(client, learner)
    response = client.get(f"/en/me/enrolments/{e.id}.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar" and "attachment" in response.headers["Content-Disposition"]
    raw = response.data
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    cal = icalendar.Calendar.from_ical(raw)
    [event] = cal.walk("VEVENT")
    assert str(event["UID"]) == f"enrolment-{e.id}@localhost"
    assert str(event["SUMMARY"]) == "Safety; handling, and storage"
    assert str(event["LOCATION"]) == "Aachen, Germany"
    assert str(event["URL"]) == f"http://localhost/en/courses/{course.id}"
    assert event["DTSTAMP"] and str(event["STATUS"]) == "CONFIRMED"
    dtstart = event["DTSTART"].dt
    assert dtstart.utcoffset() == timedelta(hours=2) and dtstart.hour == 10
    assert dtstart == start and event["DTEND"].dt == s.ends_at
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    [tz] = cal.walk("VTIMEZONE")
    assert str(tz["TZID"]) == "Europe/Berlin"
    kinds = {c.name for c in tz.subcomponents}
    assert kinds == {"STANDARD", "DAYLIGHT"}
    # Japanese page: title in Japanese, "Online" for online sessions
    ja = client.get(f"/ja/me/enrolments/{e.id}.ics").data
    assert str(icalendar.Calendar.from_ical(ja).walk("VEVENT")[0]["SUMMARY"]) == "安全な取り扱い"


def test_the_zone_rules_match_zoneinfo():
    """Every DST change of the session's year is in the VTIMEZONE, at the local time zoneinfo says."""
    year = _year()
    text = event_calendar(uid="x@y", starts_at=datetime(year, 3, 10, 12, tzinfo=timezone.utc),
                          ends_at=datetime(year, 3, 10, 14, tzinfo=timezone.utc), tzid="America/New_York",
                          summary="s", location="l", url="https://example.com/")
    cal = icalendar.Calendar.from_ical(text)
    [tz] = cal.walk("VTIMEZONE")
    zone = ZoneInfo("America/New_York")
    found = transitions(zone, datetime(year, 1, 1, tzinfo=timezone.utc), datetime(year + 1, 1, 1, tzinfo=timezone.utc))
    assert len(found) == 2
    onsets = {(c.name, c["DTSTART"].dt.replace(tzinfo=None)) for c in tz.subcomponents}
    for instant in found:
        before = (instant - timedelta(minutes=1)).astimezone(zone)
        kind = "DAYLIGHT" if instant.astimezone(zone).dst() else "STANDARD"
        assert (kind, (instant + before.utcoffset()).replace(tzinfo=None)) in onsets
    daylight = next(c for c in tz.subcomponents if c.name == "DAYLIGHT")
    assert daylight["TZOFFSETFROM"].td == timedelta(hours=-5) and daylight["TZOFFSETTO"].td == timedelta(hours=-4)
    # And icalendar, reading our VTIMEZONE, puts the event at the right instant.
    event = cal.walk("VEVENT")[0]
    assert event["DTSTART"].dt.astimezone(timezone.utc) == datetime(year, 3, 10, 12, tzinfo=timezone.utc)


def test_a_zone_without_daylight_saving_has_one_standard_rule():
    text = event_calendar(uid="x@y", starts_at=datetime(_year(), 5, 1, 0, tzinfo=timezone.utc),
                          ends_at=datetime(_year(), 5, 1, 8, tzinfo=timezone.utc), tzid="Asia/Tokyo",
                          summary="s", location="l", url="https://example.com/")
    [tz] = icalendar.Calendar.from_ical(text).walk("VTIMEZONE")
    [rule] = tz.subcomponents
    assert rule.name == "STANDARD" and rule["TZOFFSETTO"].td == timedelta(hours=9)
    assert "DTSTART;TZID=Asia/Tokyo:" in text and text.count("BEGIN:VEVENT") == 1


def test_folding_and_escaping():
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    long = "SUMMARY:" + "電池" * 40
    folded = fold(long)
    parts = folded.split("\r\n")
    assert all(len(p.encode()) <= 75 for p in parts) and all(p.startswith(" ") for p in parts[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == long


@pytest.mark.parametrize("status, expected", [("waitlisted", "TENTATIVE"), ("cancelled", "CANCELLED")])
def test_status_follows_the_enrolment(client, db_session, status, expected):
    s = make_course(sessions=[make_session(capacity=1, online=True, join_url="https://meet.example.com/r")]).sessions[0]
    services.enrol(make_user(), s)
    learner = make_user()
    e = services.enrol(learner, s).enrolment
    if status == "cancelled":
        services.cancel(e)
    sign_in(client, learner)
    event = icalendar.Calendar.from_ical(client.get(f"/en/me/enrolments/{e.id}.ics").data).walk("VEVENT")[0]
    assert str(event["STATUS"]) == expected and str(event["LOCATION"]) == "Online"
    assert "meet.example.com" not in str(event.get("DESCRIPTION", ""))  # the link is for confirmed learners


def test_only_the_learner_downloads(app, db_session):
    s = make_course(sessions=[make_session()]).sessions[0]
    e = services.enrol(make_user(), s).enrolment
    for user in (make_user(), make_user("staff"), make_user("admin")):
        c = make_client(app)
        sign_in(c, user)
        assert c.get(f"/en/me/enrolments/{e.id}.ics").status_code == 404
