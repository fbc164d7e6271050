"""Recording, changing and deciding exchange records. Flush, never commit."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.audit.services import record
from app.exchanges.models import Approval, Direction, Exchange
from app.i18n.countries import EU_EEA
from app.platform.database import utcnow
from app.platform.domain import DomainError
from app.platform.extensions import db

# Fields a person types; direction and duration are derived from them.
EDITABLE = (
    "participant_user_id", "participant_name_native", "participant_name_latin", "participant_type",
    "sending_org_id", "sending_country", "receiving_org_id", "receiving_country", "activity_type", "course_id",
    "cooperation_area", "starts_on", "ends_on", "funding_amount", "funding_currency", "funding_source",
    "green_travel", "status", "outcome_notes",
)


class ExchangeError(DomainError):
    """A broken exchange rule, with its code."""


def direction_of(sending_country: str, receiving_country: str) -> Direction:
    eu_from, eu_to = sending_country in EU_EEA, receiving_country in EU_EEA
    jp_from, jp_to = sending_country == "JP", receiving_country == "JP"
    if eu_from and jp_to:
        return Direction.EU_TO_JP
    if jp_from and eu_to:
        return Direction.JP_TO_EU
    if eu_from and eu_to:
        return Direction.WITHIN_EU
    if jp_from and jp_to:
        return Direction.WITHIN_JP
    return Direction.OTHER


def duration_of(starts_on: date, ends_on: date) -> int:
    return (ends_on - starts_on).days + 1


def check(values: dict) -> None:
    if values["ends_on"] < values["starts_on"]:
        raise ExchangeError(_l("The end date is before the start date."), "dates")
    if not (values.get("participant_user_id") or values.get("participant_name_native")
            or values.get("participant_name_latin")):
        raise ExchangeError(_l("Name the participant: choose an account or type their name."), "participant")
    if values.get("funding_amount") is not None and not values.get("funding_currency"):
        raise ExchangeError(_l("Give the currency of the funding amount."), "currency")


def _derive(exchange: Exchange) -> None:
    exchange.direction = direction_of(exchange.sending_country, exchange.receiving_country)
    exchange.duration_days = duration_of(exchange.starts_on, exchange.ends_on)


def create(values: dict, *, skill_areas=(), certifications=(), recorded_by=None, recorded_for_org_id=None,
           approved_by=None, import_id: int | None = None, audit: bool = True) -> Exchange:
    """A new record; submitted for approval, or approved at once when association staff record it."""
    check(values)
    exchange = Exchange(**{k: values.get(k) for k in EDITABLE if k in values},
                        recorded_by_id=getattr(recorded_by, "id", None), recorded_for_org_id=recorded_for_org_id,
                        import_id=import_id)
    _derive(exchange)
    exchange.skill_areas = list(skill_areas)
    exchange.certifications = list(certifications)
    if approved_by is not None:
        exchange.approval = Approval.APPROVED
        exchange.reviewed_by_id, exchange.reviewed_at = approved_by.id, utcnow()
    db.session.add(exchange)
    db.session.flush()
    if audit:
        record("exchange.create", "exchange", exchange.id, organisation_id=recorded_for_org_id)
    return exchange


def update(exchange: Exchange, values: dict, *, skill_areas=None, certifications=None) -> dict:
    """Change a record; returns what changed ({field: [old, new]}), which the audit log keeps."""
    merged = {k: getattr(exchange, k) for k in EDITABLE} | values
    check(merged)
    changed = {}
    for key in EDITABLE:
        if key in values and getattr(exchange, key) != values[key]:
            changed[key] = [_plain(getattr(exchange, key)), _plain(values[key])]
            setattr(exchange, key, values[key])
    if skill_areas is not None and {a.id for a in skill_areas} != {a.id for a in exchange.skill_areas}:
        changed["skill_areas"] = [sorted(a.code for a in exchange.skill_areas), sorted(a.code for a in skill_areas)]
        exchange.skill_areas = list(skill_areas)
    if certifications is not None:
        exchange.certifications = list(certifications)
    _derive(exchange)
    if changed and exchange.approval == Approval.REJECTED:
        exchange.approval = Approval.SUBMITTED  # corrected after a rejection: back in the queue
    db.session.flush()
    if changed:
        record("exchange.update", "exchange", exchange.id, organisation_id=exchange.recorded_for_org_id,
               detail={"changed": changed})
    return changed


DECIDED = _l("Someone else decided this record a moment ago; nothing was changed. Look at it again.")


def _decide(exchange: Exchange, expected: str | None, values: dict) -> None:
    """A conditional update: the record changes only if its approval is still the one the reviewer saw
    (`expected`, else the one loaded), so of two reviewers deciding at once exactly one succeeds."""
    seen = Approval(expected) if expected in set(Approval) else exchange.approval
    changed = db.session.execute(
        sa.update(Exchange).where(Exchange.id == exchange.id, Exchange.approval == seen).values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        raise ExchangeError(DECIDED, "decided")
    db.session.refresh(exchange)


def approve(exchange: Exchange, reviewer, *, expected: str | None = None) -> None:
    if exchange.approval == Approval.APPROVED:
        raise ExchangeError(_l("This record is already approved."), "approved")
    _decide(exchange, expected, dict(approval=Approval.APPROVED, rejection_reason=None,
                                     reviewed_by_id=reviewer.id, reviewed_at=utcnow()))
    record("exchange.approve", "exchange", exchange.id, organisation_id=exchange.recorded_for_org_id)


def reject(exchange: Exchange, reviewer, reason: str, *, expected: str | None = None) -> None:
    if not reason or not reason.strip():
        raise ExchangeError(_l("Give the reason for rejecting: the person who submitted it sees it."), "reason")
    if exchange.approval == Approval.REJECTED:
        raise ExchangeError(_l("This record is already rejected."), "rejected")
    _decide(exchange, expected, dict(approval=Approval.REJECTED, rejection_reason=reason.strip(),
                                     reviewed_by_id=reviewer.id, reviewed_at=utcnow()))
    record("exchange.reject", "exchange", exchange.id, organisation_id=exchange.recorded_for_org_id,
           detail={"reason": exchange.rejection_reason})


def _plain(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return getattr(value, "value", value)
