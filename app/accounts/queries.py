"""Reads about one person: their consents, sign-in sessions, memberships and applications."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.accounts.models import Consent, ConsentKind, User, UserSession
from app.platform.extensions import db
from app.providers.models import Membership, MemberRole, ProviderApplication


def live_consent(user_id: int, kind: ConsentKind) -> Consent | None:
    """The consent of `kind` the person has given and not withdrawn (the newest if several)."""
    return db.session.execute(
        sa.select(Consent)
        .where(Consent.user_id == user_id, Consent.kind == kind, Consent.withdrawn_at.is_(None))
        .order_by(Consent.given_at.desc(), Consent.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def consents_of(user_id: int) -> list[Consent]:
    return list(db.session.execute(
        sa.select(Consent).where(Consent.user_id == user_id).order_by(Consent.given_at, Consent.id)
    ).scalars())


def live_sessions(user_id: int) -> list[UserSession]:
    """The person's signed-in browsers, the most recently used first."""
    return list(db.session.execute(
        sa.select(UserSession)
        .where(UserSession.user_id == user_id, UserSession.ended_at.is_(None))
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
    ).scalars())


def sessions_of(user_id: int) -> list[UserSession]:
    return list(db.session.execute(
        sa.select(UserSession).where(UserSession.user_id == user_id).order_by(UserSession.created_at)
    ).scalars())


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


def audit_entries_by(user_id: int):
    from app.audit.models import AuditEntry

    return list(db.session.execute(
        sa.select(AuditEntry).where(AuditEntry.actor_id == user_id).order_by(AuditEntry.at, AuditEntry.id)
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
    from app.providers.models import Organisation

    lonely = [org_id for org_id in owned if org_id not in others]
    if not lonely:
        return []
    return list(db.session.execute(
        sa.select(Organisation).where(Organisation.id.in_(lonely)).order_by(Organisation.id)
    ).scalars())
