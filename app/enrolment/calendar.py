"""An RFC 5545 calendar file for one enrolment: one VEVENT in the session's own time zone.

Written by hand (it is small): CRLF line endings, lines folded at 75 octets without splitting a UTF-8
character, TEXT values escaped, and a VTIMEZONE whose STANDARD/DAYLIGHT observances are read from
zoneinfo around the session (so the file says what the zone database says, also for zones that change).
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

PRODID = "-//Battery Talent Bridge//Enrolments//EN"


def escape_text(value: str) -> str:
    """TEXT escaping (RFC 5545 3.3.11): backslash, semicolon, comma, newline."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def fold(line: str) -> str:
    """Fold a content line at 75 octets (3.1); continuation lines start with one space."""
    raw = line.encode("utf-8")
    if len(raw) <= 75:
        return line
    parts, current, limit = [], b"", 75
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > limit:
            parts.append(current.decode("utf-8"))
            current, limit = b"", 74  # the leading space counts
        current += encoded
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _utc(value: datetime) -> str:
    return value.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _local(value: datetime) -> str:
    return value.strftime("%Y%m%dT%H%M%S")


def _offset(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}{mins:02d}"


def transitions(zone: ZoneInfo, start: datetime, end: datetime) -> list[datetime]:
    """UTC instants in [start, end) where the zone's offset or name changes, to the minute."""
    def state(t: datetime):
        local = t.astimezone(zone)
        return local.utcoffset(), local.tzname()

    found, t = [], start
    step = timedelta(days=1)
    while t < end:
        nxt = min(t + step, end)
        if state(t) != state(nxt):
            lo, hi = t, nxt  # bisect to the minute: state(lo) != state(hi)
            while hi - lo > timedelta(minutes=1):
                mid = lo + (hi - lo) / 2
                mid = mid.replace(second=0, microsecond=0)
                if mid <= lo:
                    break
                if state(mid) == state(lo):
                    lo = mid
                else:
                    hi = mid
            found.append(hi)
        t = nxt
    return found


def vtimezone(tzid: str, around: datetime) -> list[str]:
    """VTIMEZONE lines for `tzid`, with every observance from a year before `around` to a year after."""
    zone = ZoneInfo(tzid)
    start = datetime(around.year - 1, 1, 1, tzinfo=timezone.utc)
    end = datetime(around.year + 2, 1, 1, tzinfo=timezone.utc)
    lines = ["BEGIN:VTIMEZONE", f"TZID:{tzid}"]
    changes = transitions(zone, start, end)
    if not changes:  # no change in those years (Asia/Tokyo): one standard observance
        local = around.astimezone(zone)
        offset = _offset(local.utcoffset())
        return lines + ["BEGIN:STANDARD", "DTSTART:19700101T000000", f"TZOFFSETFROM:{offset}",
                        f"TZOFFSETTO:{offset}", f"TZNAME:{local.tzname()}", "END:STANDARD", "END:VTIMEZONE"]
    for instant in changes:
        before = (instant - timedelta(minutes=1)).astimezone(zone)
        after = instant.astimezone(zone)
        kind = "DAYLIGHT" if after.dst() else "STANDARD"
        # DTSTART is the local time of the onset as read with the offset in force before it.
        onset = (instant + before.utcoffset()).replace(tzinfo=None)
        lines += [f"BEGIN:{kind}", f"DTSTART:{_local(onset)}", f"TZOFFSETFROM:{_offset(before.utcoffset())}",
                  f"TZOFFSETTO:{_offset(after.utcoffset())}", f"TZNAME:{after.tzname()}", f"END:{kind}"]
    return lines + ["END:VTIMEZONE"]


def event_calendar(*, uid: str, starts_at: datetime, ends_at: datetime, tzid: str, summary: str,
                   location: str, url: str, description: str = "", status: str = "CONFIRMED",
                   stamp: datetime | None = None) -> str:
    """The whole .ics file as text (CRLF line endings, folded)."""
    zone = ZoneInfo(tzid)
    stamp = stamp or datetime.now(timezone.utc)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    lines += vtimezone(tzid, starts_at)
    lines += [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{_utc(stamp)}",
        f"DTSTART;TZID={tzid}:{_local(starts_at.astimezone(zone))}",
        f"DTEND;TZID={tzid}:{_local(ends_at.astimezone(zone))}",
        f"SUMMARY:{escape_text(summary)}",
        f"LOCATION:{escape_text(location)}",
        f"URL:{url}",
        f"STATUS:{status}",
    ]
    if description:
        lines.append(f"DESCRIPTION:{escape_text(description)}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(fold(line) for line in lines) + "\r\n"
