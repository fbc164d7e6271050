"""Reads about one person: their consents, sign-in sessions and what they did."""
from __future__ import annotations

import sqlalchemy as sa

from app.accounts.models import Consent, ConsentKind, UserSession
from app.audit.models import AuditEntry
from app.platform.extensions import db


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


def audit_entries_by(user_id: int):
    return list(db.session.execute(
        sa.select(AuditEntry).where(AuditEntry.actor_id == user_id).order_by(AuditEntry.at, AuditEntry.id)
    ).scalars())
