"""Moments and plain dates the way the reader reads them: a stamp such as "figures as of" in the reader's own
time zone (not UTC), and dates kept as ISO text (import rows) in the locale's format."""
from __future__ import annotations

from datetime import UTC, date, datetime

from flask import Flask, g

from app.i18n.formatting import format_clock, format_day, format_day_range, in_zone, zone_name
from app.i18n.zones import reader_zone


def _lang() -> str:
    return g.get("lang") or "en"


def format_stamp(at: datetime, lang: str, tz: str) -> str:
    """7 Dec 2026, 13:17 (Central European Standard Time) / 2026年12月7日 21:17(日本標準時)."""
    local = in_zone(at if at.tzinfo else at.replace(tzinfo=UTC), tz)
    day, clock, zone = format_day(local, lang), format_clock(local, lang), zone_name(local, lang)
    return f"{day} {clock}({zone})" if lang == "ja" else f"{day}, {clock} ({zone})"


def reader_day(at: datetime | None) -> str:
    """The calendar day a moment falls on where the reader is."""
    if at is None:
        return ""
    return format_day(in_zone(at if at.tzinfo else at.replace(tzinfo=UTC), reader_zone()), _lang())


def day_span(start: date | str | None, end: date | str | None) -> str:
    """25–27 Nov 2026 / 2026年11月25日～27日, from dates or ISO date text."""
    if not start:
        return ""
    first = date.fromisoformat(start) if isinstance(start, str) else start
    last = date.fromisoformat(end) if isinstance(end, str) and end else (end or first)
    return format_day_range(first, last, _lang())


def register(app: Flask) -> None:
    app.add_template_filter(lambda at: format_stamp(at, _lang(), reader_zone()), "stamp")
    app.add_template_filter(reader_day, "reader_day")
    app.add_template_global(day_span, "day_span")
