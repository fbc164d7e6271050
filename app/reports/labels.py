"""Names of the report dimensions (direction, cooperation area, region) in the reader's language."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.geo import country_name

DIRECTIONS = {
    "eu_to_jp": _l("EU → Japan"),
    "jp_to_eu": _l("Japan → EU"),
    "within_eu": _l("Within the EU"),
    "within_jp": _l("Within Japan"),
    "other": _l("Other"),
}
DIRECTION_ORDER = tuple(DIRECTIONS)

AREAS = {
    "recycling": _l("Recycling and circularity (black mass)"),
    "data-sharing": _l("Battery data-sharing"),
    "human-resources": _l("Human resources and skills"),
    "joint-events": _l("Joint exhibitions, conferences and workshops"),
}

REGIONS = {
    "eu_eea": _l("EU/EEA"),
    "japan": _l("Japan"),
    "other": _l("Other countries"),
}


def direction(code: str) -> str:
    return str(DIRECTIONS.get(code, code))


def area(code: str) -> str:
    return str(AREAS.get(code, code))


def region(code: str) -> str:
    return str(REGIONS.get(code, code))


def country(code: str | None, lang: str) -> str:
    from flask_babel import gettext as _

    return country_name(code, lang) if code else _("Unknown")


def named(name_en: str | None, name_ja: str | None, lang: str) -> str:
    """An organisation's, course's or skill area's name in the reader's language, else the other one."""
    first, second = (name_ja, name_en) if lang == "ja" else (name_en, name_ja)
    return first or second or "—"
