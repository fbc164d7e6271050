"""Who may see and change exchange records, as pure predicates over the signed-in user."""
from __future__ import annotations

from app.exchanges.models import Approval
from app.providers.permissions import is_provider_member


def member_org_ids(user) -> list[int]:
    return [m.organisation_id for m in getattr(user, "memberships", [])] if getattr(
        user, "is_authenticated", False) else []


def can_see_as_provider(user, exchange) -> bool:
    """Provider members see the records their organisation recorded."""
    return exchange.recorded_for_org_id is not None and is_provider_member(user, exchange.recorded_for_org_id)


def can_edit_as_provider(user, exchange) -> bool:
    """...and change them until association staff approve them (then staff change them)."""
    return can_see_as_provider(user, exchange) and exchange.approval != Approval.APPROVED
