"""The filters of an exchange list or report in words, for the first row of a downloaded sheet: a table read
later, away from the page, says what it was cut from."""
from __future__ import annotations

import sqlalchemy as sa
from babel.lists import format_list
from flask_babel import gettext as _

from app.catalog.models import SkillArea
from app.exchanges import labels
from app.exchanges.filters import ExchangeFilters
from app.exchanges.queries import organisations_by_id
from app.i18n.countries import country_name
from app.i18n.filters import current_lang, field_text
from app.i18n.formatting import babel_locale, format_day
from app.platform.extensions import db


def _joined(items) -> str:
    return format_list([str(i) for i in items], style="unit", locale=babel_locale(current_lang()))


def describe(filters: ExchangeFilters) -> str:
    """"Filters applied: Direction: EU → Japan; Starting from: 1 Jan 2026." or "No filters applied.\""""
    lang = current_lang()
    parts: list[tuple[str, str]] = []
    if filters.date_from:
        parts.append((_("Starting from"), format_day(filters.date_from, lang)))
    if filters.date_to:
        parts.append((_("Starting until"), format_day(filters.date_to, lang)))
    for label, values, names in ((_("Direction"), filters.directions, labels.DIRECTION),
                                 (_("Approval"), filters.approvals, labels.APPROVAL),
                                 (_("Status"), filters.statuses, labels.STATUS),
                                 (_("Cooperation area"), filters.areas, labels.AREA),
                                 (_("Activity type"), filters.activities, labels.ACTIVITY)):
        if values:
            parts.append((label, _joined(names.get(v, v) for v in values)))
    if filters.skills:
        areas = db.session.scalars(sa.select(SkillArea).where(SkillArea.code.in_(filters.skills))).all()
        parts.append((_("Skill area"), _joined(field_text(a, "name") for a in areas)))
    if filters.countries:
        parts.append((_("Country"), _joined(country_name(c, lang) for c in filters.countries)))
    if filters.org_ids:
        orgs = organisations_by_id(filters.org_ids)
        parts.append((_("Organisation"), _joined(field_text(orgs[i], "name") for i in filters.org_ids if i in orgs)))
    if not parts:
        return _("No filters applied.")
    separator = "、" if lang == "ja" else "; "
    colon = "：" if lang == "ja" else ": "
    return _("Filters applied: %(filters)s", filters=separator.join(f"{k}{colon}{v}" for k, v in parts))
