"""The .ics file: RFC 5545 shape, the session's time zone with its rules, only for the learner."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import icalendar
import pytest

from app.enrolment import services
from app.enrolment.calendar import event_calendar
from tests.factories import make_client, make_course, make_session, make_session_at, make_user, sign_in


def _year() -> int:
    return datetime.now(UTC).year + 1


def test_download_parses_back_with_the_right_zone(client, db_session):
    start = datetime(_year(), 7, 1, 8, 0, tzinfo=UTC)  # 10:00 in Berlin, summer time
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
    """The VTIMEZONE has the zone's summer and winter rules, and the event lands at the right instant."""
    year = _year()
    text = event_calendar(uid="x@y", starts_at=datetime(year, 3, 10, 12, tzinfo=UTC),
                          ends_at=datetime(year, 3, 10, 14, tzinfo=UTC), tzid="America/New_York",
                          summary="s", location="l", url="https://example.com/")
    cal = icalendar.Calendar.from_ical(text)
    [tz] = cal.walk("VTIMEZONE")
    assert {c.name for c in tz.subcomponents} == {"STANDARD", "DAYLIGHT"}
    daylight = next(c for c in tz.subcomponents if c.name == "DAYLIGHT")
    assert daylight["TZOFFSETTO"].td == timedelta(hours=-4)
    assert {c["TZOFFSETTO"].td for c in tz.subcomponents if c.name == "STANDARD"} == {timedelta(hours=-5)}
    # And icalendar, reading our VTIMEZONE, puts the event at the right instant.
    event = cal.walk("VEVENT")[0]
    assert event["DTSTART"].dt.astimezone(UTC) == datetime(year, 3, 10, 12, tzinfo=UTC)


def test_a_zone_without_daylight_saving_has_one_standard_rule():
    text = event_calendar(uid="x@y", starts_at=datetime(_year(), 5, 1, 0, tzinfo=UTC),
                          ends_at=datetime(_year(), 5, 1, 8, tzinfo=UTC), tzid="Asia/Tokyo",
                          summary="s", location="l", url="https://example.com/")
    [tz] = icalendar.Calendar.from_ical(text).walk("VTIMEZONE")
    assert {rule.name for rule in tz.subcomponents} == {"STANDARD"}
    assert all(rule["TZOFFSETTO"].td == timedelta(hours=9) for rule in tz.subcomponents)
    assert b"DTSTART;TZID=Asia/Tokyo:" in text and text.count(b"BEGIN:VEVENT") == 1


def test_long_text_is_folded_and_escaped_by_the_library():
    text = event_calendar(uid="x@y", starts_at=datetime(_year(), 5, 1, 0, tzinfo=UTC),
                          ends_at=datetime(_year(), 5, 1, 8, tzinfo=UTC), tzid="Asia/Tokyo",
                          summary="電池" * 40 + ",;\\", location="l", url="https://example.com/")
    assert all(len(line) <= 75 for line in text.split(b"\r\n"))
    [event] = icalendar.Calendar.from_ical(text).walk("VEVENT")
    assert str(event["SUMMARY"]) == "電池" * 40 + ",;\\"


def test_a_two_day_session_is_two_events_with_its_daily_hours(client, db_session):
    """"21–22 Dec, 8:00–16:00" is two events of eight hours, not one of thirty-two."""
    start = datetime(_year(), 12, 21, 7, 0, tzinfo=UTC)  # 08:00 in Berlin
    course = make_course(sessions=[])
    s = make_session_at(course, start, hours=32, tz="Europe/Berlin")
    learner = make_user()
    e = services.enrol(learner, s).enrolment
    sign_in(client, learner)
    cal = icalendar.Calendar.from_ical(client.get(f"/en/me/enrolments/{e.id}.ics").data)
    events = cal.walk("VEVENT")
    assert [(ev["DTSTART"].dt.hour, ev["DTEND"].dt.hour, ev["DTSTART"].dt.day) for ev in events] == [
        (8, 16, 21), (8, 16, 22)]
    assert len({str(ev["UID"]) for ev in events}) == 2


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
