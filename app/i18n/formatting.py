"""Locale-aware formatting: British English and Japanese conventions, time zones named."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel import dates, numbers

# Plain `en` would give US formats; the site writes British English.
BABEL_LOCALES = {"en": "en_GB", "ja": "ja"}
CURRENCY_DIGITS = {"EUR": 2, "JPY": 0}


def babel_locale(lang: str) -> str:
    return BABEL_LOCALES.get(lang, "en_GB")


def format_day(value: date | datetime, lang: str) -> str:
    """25 Nov 2026 / 2026年11月25日."""
    return dates.format_date(value, "medium" if lang == "en" else "long", locale=babel_locale(lang))


def format_clock(value: datetime, lang: str) -> str:
    """24-hour clock in both languages: 09:00 / 9:00."""
    # Babel would otherwise convert an aware datetime to UTC before formatting.
    return dates.format_time(
        value, "HH:mm" if lang == "en" else "H:mm", tzinfo=value.tzinfo, locale=babel_locale(lang)
    )


def format_day_range(start: date, end: date, lang: str) -> str:
    """25–27 Nov 2026 / 2026年11月25日～27日."""
    if start == end:
        return format_day(start, lang)
    return dates.format_interval(start, end, "yMMMd", locale=babel_locale(lang))


def zone_name(value: datetime, lang: str) -> str:
    """Central European Standard Time / 日本標準時."""
    return dates.format_datetime(value, "zzzz", tzinfo=value.tzinfo, locale=babel_locale(lang))


def in_zone(value: datetime, tz: str) -> datetime:
    return value.astimezone(ZoneInfo(tz))


def format_when(start: datetime, end: datetime, tz: str, lang: str) -> str:
    """A session's dates and hours in its own time zone, the zone named."""
    local_start, local_end = in_zone(start, tz), in_zone(end, tz)
    days = format_day_range(local_start.date(), local_end.date(), lang)
    hours = f"{format_clock(local_start, lang)}–{format_clock(local_end, lang)}"
    if lang == "ja":
        return f"{days} {hours}({zone_name(local_start, lang)})"
    return f"{days}, {hours} ({zone_name(local_start, lang)})"


def format_money(amount: int | None, currency: str | None, lang: str, free_label: str) -> str:
    """Integer smallest units to €1,200.00 / ￥150,000; no amount means free."""
    if amount is None or not currency:
        return free_label
    value = Decimal(amount).scaleb(-CURRENCY_DIGITS.get(str(currency), 2))
    return numbers.format_currency(value, str(currency), locale=babel_locale(lang))


def format_number(value, lang: str) -> str:
    # Whole numbers group the same way in both locales (1,234); skip Babel for the common case.
    if isinstance(value, int):
        return f"{value:,}"
    return numbers.format_decimal(value, locale=babel_locale(lang))
