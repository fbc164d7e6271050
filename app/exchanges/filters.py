"""The exchange lists' (and reports') query string: parsed into a value, applied to a select, turned back
into URL arguments.

Query arguments: from, to (YYYY-MM-DD, on the start date), and repeatable direction, approval, status,
area (cooperation area), skill (skill area code), country (either end), org (organisation id, either end),
activity. Unknown or malformed values are dropped with a notice, never raised: a shared URL with a stale
filter still opens.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.catalog.models import SkillArea
from app.exchanges.models import (
    ActivityType,
    Approval,
    CooperationArea,
    Direction,
    Exchange,
    ExchangeStatus,
    exchange_skill,
)
from app.i18n.countries import is_country
from app.platform.extensions import db

MAX_VALUES = 30  # per repeated argument; more is ignored
MAX_ID = 2**31 - 1

# Query-string name -> (dataclass field, allowed values or None).
_CHOICES = {
    "direction": ("directions", {d.value for d in Direction}),
    "approval": ("approvals", {a.value for a in Approval}),
    "status": ("statuses", {s.value for s in ExchangeStatus}),
    "area": ("areas", {a.value for a in CooperationArea}),
    "activity": ("activities", {a.value for a in ActivityType}),
}

LABELS = {
    "from": _l("From"),
    "to": _l("To"),
    "direction": _l("Direction"),
    "approval": _l("Approval"),
    "status": _l("Status"),
    "area": _l("Cooperation area"),
    "skill": _l("Skill area"),
    "country": _l("Country"),
    "org": _l("Organisation"),
    "activity": _l("Activity type"),
}


@dataclass(frozen=True)
class ExchangeFilters:
    date_from: date | None = None
    date_to: date | None = None
    directions: tuple[str, ...] = ()
    approvals: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    org_ids: tuple[int, ...] = ()
    activities: tuple[str, ...] = ()
    ignored: tuple[str, ...] = field(default=(), compare=False)

    @property
    def active(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self) if f.name != "ignored")

    def replace(self, **changes) -> ExchangeFilters:
        return replace(self, **changes)


def _clean(value) -> str:
    return str(value or "").replace("\x00", "").strip()[:100]


def parse_filters(args) -> tuple[ExchangeFilters, list[str]]:
    """Parse request.args (a MultiDict). Returns the filters and one notice per ignored argument."""
    ignored: list[str] = []

    def many(name: str) -> list[str]:
        values = [_clean(v) for v in args.getlist(name)]
        if len(values) > MAX_VALUES:
            ignored.append(name)
        return [v for v in values[:MAX_VALUES] if v]

    def pick(name: str, allowed: set[str]) -> tuple[str, ...]:
        out: list[str] = []
        for value in many(name):
            if value in allowed:
                if value not in out:
                    out.append(value)
            else:
                ignored.append(name)
        return tuple(out)

    def day(name: str) -> date | None:
        raw = _clean(args.get(name))
        if not raw:
            return None
        try:
            if len(raw) == 10:
                return date.fromisoformat(raw)
        except ValueError:
            pass
        ignored.append(name)
        return None

    values: dict = {target: pick(name, allowed) for name, (target, allowed) in _CHOICES.items()}
    countries: list[str] = []
    for raw in many("country"):
        code = raw.upper()
        if is_country(code):
            if code not in countries:
                countries.append(code)
        else:
            ignored.append("country")
    org_ids: list[int] = []
    for raw in many("org"):
        if len(raw) <= 10 and raw.isascii() and raw.isdigit() and 1 <= int(raw) <= MAX_ID:
            if int(raw) not in org_ids:
                org_ids.append(int(raw))
        else:
            ignored.append("org")
    skills = many("skill")
    if skills:
        known = set(db.session.scalars(sa.select(SkillArea.code).where(SkillArea.code.in_(skills))))
        if len(known) < len(set(skills)):
            ignored.append("skill")
        skills = [code for code in dict.fromkeys(skills) if code in known]
    date_from, date_to = day("from"), day("to")
    if date_from and date_to and date_to < date_from:
        ignored.append("to")
        date_to = None
    ignored_names = tuple(dict.fromkeys(ignored))
    filters = ExchangeFilters(
        date_from=date_from, date_to=date_to, skills=tuple(skills), countries=tuple(countries),
        org_ids=tuple(org_ids), ignored=ignored_names, **values,
    )
    return filters, [notice(name) for name in ignored_names]


def notice(name: str):
    return _l("The filter “%(name)s” had a value we do not know; it was ignored.", name=LABELS.get(name, name))


def apply_filters(stmt: sa.Select, filters: ExchangeFilters) -> sa.Select:
    """Narrow a select over Exchange. Dates bound the start date; country and organisation match either end."""
    f = filters
    if f.date_from:
        stmt = stmt.where(Exchange.starts_on >= f.date_from)
    if f.date_to:
        stmt = stmt.where(Exchange.starts_on <= f.date_to)
    if f.directions:
        stmt = stmt.where(Exchange.direction.in_([Direction(v) for v in f.directions]))
    if f.approvals:
        stmt = stmt.where(Exchange.approval.in_([Approval(v) for v in f.approvals]))
    if f.statuses:
        stmt = stmt.where(Exchange.status.in_([ExchangeStatus(v) for v in f.statuses]))
    if f.areas:
        stmt = stmt.where(Exchange.cooperation_area.in_([CooperationArea(v) for v in f.areas]))
    if f.activities:
        stmt = stmt.where(Exchange.activity_type.in_([ActivityType(v) for v in f.activities]))
    if f.countries:
        stmt = stmt.where(sa.or_(Exchange.sending_country.in_(f.countries),
                                 Exchange.receiving_country.in_(f.countries)))
    if f.org_ids:
        stmt = stmt.where(sa.or_(Exchange.sending_org_id.in_(f.org_ids), Exchange.receiving_org_id.in_(f.org_ids)))
    if f.skills:
        stmt = stmt.where(sa.exists(
            sa.select(exchange_skill.c.exchange_id)
            .join(SkillArea, SkillArea.id == exchange_skill.c.skill_area_id)
            .where(exchange_skill.c.exchange_id == Exchange.id, SkillArea.code.in_(f.skills))
        ))
    return stmt


def to_args(filters: ExchangeFilters) -> dict:
    """URL arguments for these filters (for url_for(..., **to_args(f))), leaving out empty ones."""
    args: dict = {}
    if filters.date_from:
        args["from"] = filters.date_from.isoformat()
    if filters.date_to:
        args["to"] = filters.date_to.isoformat()
    for name, (target, _allowed) in _CHOICES.items():
        if getattr(filters, target):
            args[name] = list(getattr(filters, target))
    if filters.skills:
        args["skill"] = list(filters.skills)
    if filters.countries:
        args["country"] = list(filters.countries)
    if filters.org_ids:
        args["org"] = list(filters.org_ids)
    return args
