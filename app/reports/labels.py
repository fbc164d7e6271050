"""Names of the report dimensions in the reader's language (direction and cooperation area as the exchange
records name them; regions as app.i18n.countries defines them)."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.exchanges.labels import AREA, DIRECTION
from app.i18n.countries import country_name

DIRECTION_ORDER = tuple(DIRECTION)

REGIONS = {
    "eu_eea": _l("EU/EEA"),
    "japan": _l("Japan"),
    "other": _l("Other countries"),
}


def direction(code: str) -> str:
    return str(DIRECTION.get(code, code))


def area(code: str) -> str:
    return str(AREA.get(code, code))


def region(code: str) -> str:
    return str(REGIONS.get(code, code))


def country(code: str | None, lang: str) -> str:
    return country_name(code, lang) if code else _("Unknown")


def named(name_en: str | None, name_ja: str | None, lang: str) -> str:
    """An organisation's, course's or skill area's name in the reader's language, else the other one."""
    first, second = (name_ja, name_en) if lang == "ja" else (name_en, name_ja)
    return first or second or "—"
