"""Who may apply, and who may see or change an organisation's members: pure predicates."""
from __future__ import annotations

from app.accounts.permissions import is_provider_member, is_provider_owner, is_signed_in


def can_apply(user) -> bool:
    """Any signed-in person may ask to register a training organisation."""
    return is_signed_in(user)


def can_view_members(user, organisation_id: int) -> bool:
    return is_provider_member(user, organisation_id)


def can_manage_members(user, organisation_id: int) -> bool:
    return is_provider_owner(user, organisation_id)
