"""Who may do what, as pure predicates over the signed-in user (anonymous users included)."""
from __future__ import annotations

from app.providers.models import MemberRole


def is_signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def is_admin(user) -> bool:
    return is_signed_in(user) and bool(user.is_admin)


def is_staff(user) -> bool:
    """Association staff; admins can do everything staff can."""
    return is_signed_in(user) and bool(user.is_staff or user.is_admin)


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


def needs_second_factor(user) -> bool:
    """Admins, association staff and provider owners sign in with a second factor."""
    return bool(user.is_admin or user.is_staff or any(m.role == MemberRole.OWNER for m in user.memberships))


def can_manage_roles(user) -> bool:
    return is_admin(user)
