"""Who belongs to an organisation, who may apply, and who may see or change its members: pure predicates."""
from __future__ import annotations

from app.accounts.permissions import is_signed_in
from app.providers.models import MemberRole


def member_role(user, organisation_id: int) -> MemberRole | None:
    if not is_signed_in(user):
        return None
    for membership in user.memberships:
        if membership.organisation_id == organisation_id:
            return membership.role
    return None


def is_provider_member(user, organisation_id: int | None = None) -> bool:
    if not is_signed_in(user):
        return False
    if organisation_id is None:
        return bool(user.memberships)
    return member_role(user, organisation_id) is not None


def is_provider_owner(user, organisation_id: int | None = None) -> bool:
    if not is_signed_in(user):
        return False
    return any(
        m.role == MemberRole.OWNER and (organisation_id is None or m.organisation_id == organisation_id)
        for m in user.memberships
    )


def owns_an_organisation(user) -> bool:
    return any(m.role == MemberRole.OWNER for m in user.memberships)


def can_apply(user) -> bool:
    """Any signed-in person may ask to register a training organisation."""
    return is_signed_in(user)


def can_view_members(user, organisation_id: int) -> bool:
    return is_provider_member(user, organisation_id)


def can_manage_members(user, organisation_id: int) -> bool:
    return is_provider_owner(user, organisation_id)
