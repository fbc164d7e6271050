"""A session's time as every page and mail shows it: its days and hours in the venue's zone, and the same
in the reader's zone unless those clocks agree. The one place a session time is worded."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import npgettext

from app.i18n.formatting import format_clock, format_day, format_day_range, zone_name

Span = tuple[datetime, datetime]


def zone_label(value: datetime, lang: str) -> str:
    """The zone's name for a reader: 日本時間 is what Japanese readers call their own clock."""
    if lang == "ja" and getattr(value.tzinfo, "key", None) == "Asia/Tokyo":
        return "日本時間"
    return zone_name(value, lang)


def day_hours(start: datetime, end: datetime, lang: str) -> str:
    """13:00–17:00, 21:00–next day 01:00 (翌日 1:00); both already in the zone to show."""
    later = (end.date() - start.date()).days
    finish = format_clock(end, lang)
    if later == 1:
        finish = _("next day %(time)s", time=finish)
    elif later > 1:
        finish = f"{format_day(end, lang)} {finish}"
    return f"{format_clock(start, lang)}–{finish}"


def _in_zone(spans: Sequence[Span], zone: ZoneInfo, lang: str) -> tuple[str, str]:
    """(dates, hours) of the spans read in `zone`; hours that differ between days are said to vary."""
    local = [(start.astimezone(zone), end.astimezone(zone)) for start, end in spans]
    dates = format_day_range(local[0][0].date(), local[-1][0].date(), lang)
    if len(local) > 1:
        dates = _("%(dates)s (%(days)s)", dates=dates,
                  days=npgettext("session length", "%(num)s day", "%(num)s days", len(local)))
    hours = {day_hours(start, end, lang) for start, end in local}
    return dates, (hours.pop() if len(hours) == 1 else _("hours vary by day"))


def _same_clock(spans: Sequence[Span], venue: ZoneInfo, reader: ZoneInfo) -> bool:
    return all(t.astimezone(venue).utcoffset() == t.astimezone(reader).utcoffset()
               for span in spans for t in span)


def format_session_time(spans: Sequence[Span], venue_tz: str, lang: str, reader_tz: str | None) -> str:
    """“21–22 Dec 2026 (2 days), 08:00–16:00 (Central European Standard Time) · Japan Standard Time:
    16:00–next day 00:00”; the reader's part is left out when their clock is the venue's."""
    venue = ZoneInfo(venue_tz)
    dates, hours = _in_zone(spans, venue, lang)
    named = zone_name(spans[0][0].astimezone(venue), lang)
    text = f"{dates} {hours}({named})" if lang == "ja" else f"{dates}, {hours} ({named})"
    try:
        reader = ZoneInfo(reader_tz) if reader_tz else venue
    except (KeyError, ValueError):  # an unknown zone name: the venue's clock only
        reader = venue
    if _same_clock(spans, venue, reader):
        return text
    their_dates, their_hours = _in_zone(spans, reader, lang)
    theirs = their_hours if their_dates == dates else (
        f"{their_dates} {their_hours}" if lang == "ja" else f"{their_dates}, {their_hours}")
    return _("%(venue)s · %(zone)s: %(reader)s", venue=text,
             zone=zone_label(spans[0][0].astimezone(reader), lang), reader=theirs)


def session_time(session, lang: str, reader_tz: str | None) -> str:
    """format_session_time for a CourseSession (its days, its zone)."""
    return format_session_time(session.spans, session.timezone, lang, reader_tz)
