"""iCalendar feeds of upcoming sessions: /sessions.ics and /<lang>/providers/<id>/sessions.ics."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import icalendar

from app.catalog.models import CourseSession
from app.opendata.feeds import Event, feed_calendar
from app.platform.extensions import db
from tests.factories import make_course, make_provider, make_session_at


def _start(month: int, day: int, hour: int) -> datetime:
    return datetime(datetime.now(UTC).year + 1, month, day, hour, tzinfo=UTC)


def _events(response) -> dict[str, icalendar.Event]:
    cal = icalendar.Calendar.from_ical(response.data)
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_site_feed_lists_upcoming_published_sessions_in_their_zones(client):
    course = make_course(title_en="Cell safety; storage, handling", title_ja="セルの安全な取り扱い", sessions=0)
    tokyo = make_session_at(course, _start(7, 1, 1), hours=3, tz="Asia/Tokyo", venue_country="JP", venue_city="Tokyo")
    berlin = make_session_at(course, _start(7, 2, 8), hours=2, tz="Europe/Berlin")
    make_session_at(course, datetime.now(UTC) - timedelta(days=2))  # past
    make_session_at(course, _start(7, 3, 8), status="cancelled")
    draft = make_course(status="draft", sessions=0)
    make_session_at(draft, _start(7, 4, 8))

    response = client.get("/sessions.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Cache-Control"] == "public, max-age=300"
    assert b"\r\n" in response.data and b"\n" not in response.data.replace(b"\r\n", b"")
    cal = icalendar.Calendar.from_ical(response.data)
    assert str(cal["VERSION"]) == "2.0" and str(cal["PRODID"]) and str(cal["X-WR-CALNAME"])
    assert {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")} == {"Asia/Tokyo", "Europe/Berlin"}
    events = _events(response)
    assert set(events) == {f"session-{tokyo.id}@localhost", f"session-{berlin.id}@localhost"}
    event = events[f"session-{tokyo.id}@localhost"]
    assert event["DTSTART"].params["TZID"] == "Asia/Tokyo"
    assert event["DTSTART"].dt.hour == 10 and event["DTSTART"].dt == tokyo.starts_at
    assert event["DTEND"].dt == tokyo.ends_at
    assert str(event["SUMMARY"]) == "Cell safety; storage, handling"
    assert str(event["URL"]) == f"http://localhost/en/courses/{course.id}"
    assert str(event["LOCATION"]) == "Tokyo, Japan" and str(event["STATUS"]) == "CONFIRMED"
    assert event["DTSTAMP"]
    berlin_event = events[f"session-{berlin.id}@localhost"]
    assert berlin_event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert berlin_event["DTSTART"].dt.hour == 10  # 08:00 UTC in summer is 10:00 in Berlin


def test_site_feed_in_japanese(client):
    course = make_course(title_en="Recycling", title_ja="リサイクル入門", sessions=0)
    s = make_session_at(course, _start(5, 1, 8), online=True, venue_country=None, venue_city=None, tz="Asia/Tokyo")
    [event] = _events(client.get("/sessions.ics?lang=ja")).values()
    assert str(event["SUMMARY"]) == "リサイクル入門"
    assert str(event["URL"]) == f"http://localhost/ja/courses/{course.id}"
    assert str(event["UID"]) == f"session-{s.id}@localhost"
    # An unknown language is English.
    [event] = _events(client.get("/sessions.ics?lang=xx")).values()
    assert str(event["SUMMARY"]) == "Recycling"


def test_provider_feed_has_only_that_providers_sessions(client):
    mine, other = make_provider(name_ja="電池研究所"), make_provider()
    course = make_course(mine, title_ja="電池の基礎", sessions=0)
    s = make_session_at(course, _start(6, 1, 8))
    make_session_at(make_course(other, sessions=0), _start(6, 2, 8))
    response = client.get(f"/ja/providers/{mine.id}/sessions.ics")
    assert response.status_code == 200
    cal = icalendar.Calendar.from_ical(response.data)
    assert "電池研究所" in str(cal["X-WR-CALNAME"])
    events = _events(response)
    assert list(events) == [f"session-{s.id}@localhost"]
    assert str(events[f"session-{s.id}@localhost"]["SUMMARY"]) == "電池の基礎"


def test_provider_feed_404s_for_unknown_or_non_provider(client):
    non_provider = make_provider(kind="association")
    assert client.get("/en/providers/999999/sessions.ics").status_code == 404
    assert client.get(f"/en/providers/{non_provider.id}/sessions.ics").status_code == 404
    assert client.get("/en/providers/99999999999/sessions.ics").status_code == 404


def test_etag_answers_304(client):
    make_course(sessions=2)
    first = client.get("/sessions.ics")
    etag = first.headers["ETag"]
    again = client.get("/sessions.ics", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert client.get("/sessions.ics", headers={"If-None-Match": '"other"'}).status_code == 200


def test_query_count_does_not_grow_with_sessions(client, count_queries):
    provider = make_provider()

    def measure(total: int) -> int:
        course = make_course(provider, sessions=0)
        while db.session.query(CourseSession).count() < total:
            make_session_at(course, _start(8, 1, 8) + timedelta(hours=db.session.query(CourseSession).count()))
        db.session.expire_all()
        with count_queries() as counter:
            assert client.get("/sessions.ics").status_code == 200
        site = counter.count
        with count_queries() as counter:
            assert client.get(f"/en/providers/{provider.id}/sessions.ics").status_code == 200
        return site, counter.count

    assert measure(5) == measure(50)


def test_feed_lines_are_folded_and_zones_shared():
    events = [Event(uid=f"e{i}@x", starts_at=_start(9, 1, 8), ends_at=_start(9, 1, 9), tzid="Europe/Berlin",
                    summary="ー" * 60, location="l", url="https://example.com/", stamp=_start(1, 1, 1))
              for i in range(3)]
    text = feed_calendar(events, name="n").decode("utf-8")
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))
    assert text.count("BEGIN:VTIMEZONE") == 1 and text.count("BEGIN:VEVENT") == 3


def test_feed_limit(client, monkeypatch):
    from app.opendata import queries

    course = make_course(sessions=0)
    for day in range(1, 5):
        make_session_at(course, _start(10, day, 8))
    monkeypatch.setattr(queries, "FEED_LIMIT", 2)
    assert len(_events(client.get("/sessions.ics"))) == 2
