"""iCalendar (RFC 5545) feeds: many VEVENTs, one VTIMEZONE for each zone they use.

The line writer of app/enrolment/calendar.py (escaping, folding at 75 octets, VTIMEZONE from zoneinfo) is
reused as it is; this module only generalises one event to a list of them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from app.enrolment.calendar import _local, _utc, escape_text, fold, vtimezone

PRODID = "-//Battery Talent Bridge//Session feed//EN"


@dataclass(frozen=True)
class Event:
    uid: str
    starts_at: datetime
    ends_at: datetime
    tzid: str
    summary: str
    location: str
    url: str
    stamp: datetime
    status: str = "CONFIRMED"
    description: str = ""


def event_lines(event: Event) -> list[str]:
    zone = ZoneInfo(event.tzid)
    lines = [
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"DTSTAMP:{_utc(event.stamp)}",
        f"DTSTART;TZID={event.tzid}:{_local(event.starts_at.astimezone(zone))}",
        f"DTEND;TZID={event.tzid}:{_local(event.ends_at.astimezone(zone))}",
        f"SUMMARY:{escape_text(event.summary)}",
        f"LOCATION:{escape_text(event.location)}",
        f"URL:{event.url}",
        f"STATUS:{event.status}",
    ]
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    return lines + ["END:VEVENT"]


def feed_calendar(events: list[Event], *, name: str) -> str:
    """The whole feed as text: CRLF line endings, folded; a VTIMEZONE (read around the zone's first
    event) for every zone the events use, in order of first use."""
    first_in_zone: dict[str, datetime] = {}
    for event in events:
        if event.tzid not in first_in_zone or event.starts_at < first_in_zone[event.tzid]:
            first_in_zone[event.tzid] = event.starts_at
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{escape_text(name)}"]
    for tzid, around in first_in_zone.items():
        lines += vtimezone(tzid, around)
    for event in events:
        lines += event_lines(event)
    lines.append("END:VCALENDAR")
    return "\r\n".join(fold(line) for line in lines) + "\r\n"


def latest(*values: datetime | None) -> datetime:
    """The latest of the given times (DTSTAMP: when the event's information last changed)."""
    known = [v for v in values if v is not None]
    return max(known) if known else datetime(1970, 1, 1, tzinfo=timezone.utc)
