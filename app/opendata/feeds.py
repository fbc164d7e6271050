"""iCalendar feeds of many sessions: app/enrolment/calendar.py writes them (one VEVENT per session day,
one VTIMEZONE per zone used)."""
from __future__ import annotations

from datetime import UTC, datetime

from app.enrolment.calendar import Event, calendar_bytes

PRODID = "-//Battery Talent Bridge//Session feed//EN"

__all__ = ["Event", "feed_calendar", "latest"]


def feed_calendar(events: list[Event], *, name: str) -> bytes:
    return calendar_bytes(events, prodid=PRODID, name=name)


def latest(*values: datetime | None) -> datetime:
    """The latest of the given times (DTSTAMP: when the event's information last changed)."""
    known = [v for v in values if v is not None]
    return max(known) if known else datetime(1970, 1, 1, tzinfo=UTC)
