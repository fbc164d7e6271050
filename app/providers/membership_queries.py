"""Reads about one person's part in organisations: memberships, applications, what only they own."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.platform.extensions import db
from app.providers.models import MemberRole, Membership, Organisation, ProviderApplication


def memberships_of(user_id: int) -> list[Membership]:
    """With their organisations, in one round trip more."""
    return list(db.session.execute(
        sa.select(Membership)
        .where(Membership.user_id == user_id)
        .options(selectinload(Membership.organisation))
        .order_by(Membership.created_at)
    ).scalars())


def applications_of(user_id: int) -> list[ProviderApplication]:
    return list(db.session.execute(
        sa.select(ProviderApplication)
        .where(ProviderApplication.applicant_id == user_id)
        .order_by(ProviderApplication.created_at)
    ).scalars())


def organisations_left_ownerless(user: User) -> list:
    """Organisations where `user` is the only owner: deleting the account would leave them unmanaged."""
    owned = [m.organisation_id for m in user.memberships if m.role == MemberRole.OWNER]
    if not owned:
        return []
    others = set(db.session.execute(
        sa.select(Membership.organisation_id).where(
            Membership.organisation_id.in_(owned), Membership.role == MemberRole.OWNER,
            Membership.user_id != user.id,
        )
    ).scalars())
    lonely = [org_id for org_id in owned if org_id not in others]
    if not lonely:
        return []
    return list(db.session.execute(
        sa.select(Organisation).where(Organisation.id.in_(lonely)).order_by(Organisation.id)
    ).scalars())
