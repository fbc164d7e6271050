"""Reads of the audit log: filter parsing (bad values are dropped, never an error) and the listing."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from app.accounts.models import User
from app.audit.models import AuditEntry
from app.providers.models import Organisation

TEXT_MAX = {"actor": 254, "action": 60, "object_type": 40, "object_id": 64}
FILTER_NAMES = ("actor", "action", "object_type", "object_id", "organisation", "from", "to")


@dataclass
class AuditFilters:
    actor: str | None = None  # part of the actor's email address
    action: str | None = None  # exact ("course.update") or a family ("course")
    object_type: str | None = None
    object_id: str | None = None
    organisation: int | None = None
    date_from: date | None = None  # days in UTC, both ends included
    date_to: date | None = None
    ignored: list[str] = field(default_factory=list)  # names of the values that could not be used

    def args(self) -> dict[str, str]:
        """The query string that reproduces these filters (for links and pagination)."""
        values = {"actor": self.actor, "action": self.action, "object_type": self.object_type,
                  "object_id": self.object_id, "organisation": self.organisation,
                  "from": self.date_from.isoformat() if self.date_from else None,
                  "to": self.date_to.isoformat() if self.date_to else None}
        return {k: str(v) for k, v in values.items() if v not in (None, "")}

    @property
    def active(self) -> bool:
        return bool(self.args())


def _clean_text(raw: str | None, limit: int) -> str | None | bool:
    """The stripped value, None when empty, False when unusable (too long or with control characters)."""
    value = (raw or "").strip()
    if not value:
        return None
    if len(value) > limit or any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        return False
    return value


def _parse_date(raw: str | None) -> date | None | bool:
    value = (raw or "").strip()
    if not value:
        return None
    if len(value) != 10:
        return False
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return False
    return day if 1900 <= day.year <= 9998 else False


def parse_filters(args) -> AuditFilters:
    filters = AuditFilters()
    for name, limit in TEXT_MAX.items():
        value = _clean_text(args.get(name), limit)
        if value is False:
            filters.ignored.append(name)
        else:
            setattr(filters, name, value)
    raw_org = (args.get("organisation") or "").strip()
    if raw_org:
        if raw_org.isascii() and raw_org.isdigit() and len(raw_org) <= 10 and 0 < int(raw_org) <= 2**31 - 1:
            filters.organisation = int(raw_org)
        else:
            filters.ignored.append("organisation")
    for name, attr in (("from", "date_from"), ("to", "date_to")):
        value = _parse_date(args.get(name))
        if value is False:
            filters.ignored.append(name)
        else:
            setattr(filters, attr, value)
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        filters.ignored.extend(["from", "to"])
        filters.date_from = filters.date_to = None
    return filters


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _like(value: str) -> str:
    return f"%{_escape(value)}%"


def list_entries(filters: AuditFilters) -> sa.Select:
    """(AuditEntry, actor User or None, Organisation or None) rows, newest first: one statement a page."""
    stmt = (
        sa.select(AuditEntry, User, Organisation)
        .outerjoin(User, User.id == AuditEntry.actor_id)
        .outerjoin(Organisation, Organisation.id == AuditEntry.organisation_id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    )
    if filters.actor:
        stmt = stmt.where(User.email_key.like(_like(filters.actor.casefold()), escape="\\"))
    if filters.action:
        action = filters.action.rstrip(".")
        stmt = stmt.where(sa.or_(AuditEntry.action == action,
                                 AuditEntry.action.like(_escape(action) + ".%", escape="\\")))
    if filters.object_type:
        stmt = stmt.where(AuditEntry.object_type == filters.object_type)
    if filters.object_id:
        stmt = stmt.where(AuditEntry.object_id == filters.object_id)
    if filters.organisation:
        stmt = stmt.where(AuditEntry.organisation_id == filters.organisation)
    if filters.date_from:
        stmt = stmt.where(AuditEntry.at >= datetime.combine(filters.date_from, time.min, UTC))
    if filters.date_to:
        end = datetime.combine(filters.date_to + timedelta(days=1), time.min, UTC)
        stmt = stmt.where(AuditEntry.at < end)
    return stmt
