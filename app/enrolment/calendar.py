"""iCalendar (RFC 5545) files written with the `icalendar` library: one VEVENT for each day of a session,
in the session's own time zone, with a VTIMEZONE for every zone used (read from zoneinfo around the
events). Used for one enrolment (the learner's download) and for the public session feeds."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar

PRODID = "-//Battery Talent Bridge//Enrolments//EN"


@dataclass(frozen=True)
class Event:
    """A session as calendar entries; `days` holds each day's (start, end), else the one start and end."""

    uid: str
    starts_at: datetime
    ends_at: datetime
    tzid: str
    summary: str
    location: str
    url: str
    stamp: datetime | None = None
    status: str = "CONFIRMED"
    description: str = ""
    days: Sequence[tuple[datetime, datetime]] = field(default_factory=tuple)


def day_uid(uid: str, day: datetime, count: int) -> str:
    """A one-day session keeps its UID; each day of a longer one gets its own (calendars update it)."""
    if count == 1:
        return uid
    local, _, host = uid.partition("@")
    return f"{local}-{day:%Y%m%d}@{host}" if host else f"{uid}-{day:%Y%m%d}"


def vevents(event: Event) -> list[icalendar.Event]:
    zone = ZoneInfo(event.tzid)
    days = list(event.days) or [(event.starts_at, event.ends_at)]
    stamp = (event.stamp or datetime.now(UTC)).astimezone(UTC)
    found = []
    for start, end in days:
        start, end = start.astimezone(zone), end.astimezone(zone)
        vevent = icalendar.Event()
        vevent.add("uid", day_uid(event.uid, start, len(days)))
        vevent.add("dtstamp", stamp)
        vevent.add("dtstart", start)
        vevent.add("dtend", end)
        vevent.add("summary", event.summary)
        vevent.add("location", event.location)
        vevent.add("url", event.url)
        vevent.add("status", event.status)
        if event.description:
            vevent.add("description", event.description)
        found.append(vevent)
    return found


def calendar_bytes(events: Sequence[Event], *, prodid: str = PRODID, name: str | None = None) -> bytes:
    """The whole file: CRLF lines folded at 75 octets, text escaped (all by icalendar)."""
    cal = icalendar.Calendar()
    for key, value in (("prodid", prodid), ("version", "2.0"), ("calscale", "GREGORIAN"), ("method", "PUBLISH")):
        cal.add(key, value)
    if name:
        cal.add("x-wr-calname", name)
    for event in events:
        for vevent in vevents(event):
            cal.add_component(vevent)
    starts = [e.starts_at for e in events] or [datetime.now(UTC)]
    ends = [e.ends_at for e in events] or starts
    # Observances from a year before the first event to a year after the last, not 1970-2038.
    cal.add_missing_timezones(first_date=(min(starts) - timedelta(days=366)).date(),
                              last_date=(max(ends) + timedelta(days=366)).date())
    return cal.to_ical()


def event_calendar(**values) -> bytes:
    """One enrolment's file."""
    return calendar_bytes([Event(**values)])
