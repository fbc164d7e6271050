"""Countries (ISO 3166-1 alpha-2) and the regions the cooperation reports on."""
from __future__ import annotations

import enum
from functools import lru_cache

from babel import Locale

from app.i18n.reading import sort_named

EU_EEA = frozenset(
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO".split()
)


class Region(enum.StrEnum):
    EU_EEA = "eu_eea"
    JAPAN = "japan"
    OTHER = "other"


def region_of(country: str | None) -> Region:
    if country == "JP":
        return Region.JAPAN
    if country in EU_EEA:
        return Region.EU_EEA
    return Region.OTHER


# Two-letter codes CLDR names that are not countries (unions, "unknown", pseudo-locales).
NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB"})


def is_country(code: str) -> bool:
    return (
        len(code) == 2
        and code.isascii()
        and code.isupper()
        and code not in NOT_COUNTRIES
        and code in cldr_locale("en").territories
    )


@lru_cache(maxsize=8)
def cldr_locale(locale: str) -> Locale:
    return Locale.parse(locale)


def country_name(code: str | None, locale: str) -> str:
    if not code:
        return ""
    return cldr_locale(locale).territories.get(code, code)


def language_name(code: str, locale: str) -> str:
    return cldr_locale(locale).languages.get(code, code)


@lru_cache(maxsize=2)
def country_choices(locale: str) -> tuple[tuple[str, str], ...]:
    """Every country, named and sorted in `locale`, for a select box."""
    names = cldr_locale(locale).territories
    codes = [code for code in names if is_country(code)]
    return tuple(sort_named(((code, names[code]) for code in codes), locale))


def default_timezone(country: str | None) -> str:
    """The first IANA zone of a country (Asia/Tokyo for JP, Europe/Berlin for DE), else UTC."""
    from pytz import country_timezones

    zones = country_timezones.get(country or "", [])
    return zones[0] if zones else "UTC"
