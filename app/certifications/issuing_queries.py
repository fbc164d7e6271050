"""Reads for issuing: the completed learners of a session, an organisation's certificates with filters,
what expires soon, and what the renewal reminders are due for. Every list loads its relations eagerly."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import aliased, joinedload

from app.accounts.models import AccountStatus, User
from app.catalog.models import Course, CourseSession
from app.certifications.models import CertificateStatus, Certification
from app.enrolment.models import Enrolment, EnrolmentStatus
from app.platform.extensions import db

STATES = ("valid", "expired", "revoked")


@dataclass
class Filters:
    """The certificate list's filters, already checked (anything unknown is None)."""

    state: str | None = None
    course_id: int | None = None
    within_days: int | None = None  # expiring within N days (valid ones only)
    public_id: str | None = None

    def args(self) -> dict:
        return {k: v for k, v in (("status", self.state), ("course", self.course_id),
                                  ("days", self.within_days), ("cert", self.public_id)) if v}


def get_session(session_id: int) -> CourseSession | None:
    return db.session.scalars(
        sa.select(CourseSession).where(CourseSession.id == session_id).options(joinedload(CourseSession.course))
    ).first()


def get_enrolment(enrolment_id: int) -> Enrolment | None:
    return db.session.scalars(
        sa.select(Enrolment).where(Enrolment.id == enrolment_id)
        .options(joinedload(Enrolment.session).joinedload(CourseSession.course))
    ).first()


def completed_enrolments(session_id: int) -> list[Enrolment]:
    """The session's learners marked completed, with session and course (what issue() reads)."""
    return list(db.session.scalars(
        sa.select(Enrolment).where(Enrolment.session_id == session_id,
                                   Enrolment.status == EnrolmentStatus.COMPLETED)
        .options(joinedload(Enrolment.session).joinedload(CourseSession.course))
        .order_by(Enrolment.id)
    ))


def get_certificate(public_id: str, *, for_update: bool = False) -> Certification | None:
    """A certificate by its public id; `for_update` locks its row (PostgreSQL) so that two revocations or
    renewals at once are decided one after the other."""
    stmt = sa.select(Certification).where(Certification.public_id == public_id)
    if for_update:
        stmt = stmt.with_for_update()
    else:
        stmt = stmt.options(joinedload(Certification.course))
    return db.session.scalars(stmt).first()


def load_certificates(ids) -> list[Certification]:
    """Certificates with holder and course, for the mail that follows a commit (one query)."""
    ids = sorted(set(ids))
    if not ids:
        return []
    return list(db.session.scalars(
        sa.select(Certification).where(Certification.id.in_(ids))
        .options(joinedload(Certification.learner), joinedload(Certification.course))
        .order_by(Certification.id)
    ))


def by_enrolment(enrolment_ids) -> dict[int, Certification]:
    """{enrolment_id: its newest certificate} for the roster page, one query."""
    ids = [i for i in enrolment_ids if i is not None]
    if not ids:
        return {}
    rows = db.session.scalars(
        sa.select(Certification).where(Certification.enrolment_id.in_(ids)).order_by(Certification.issued_at,
                                                                                    Certification.id)
    )
    return {c.enrolment_id: c for c in rows}


def renewed_ids(certificate_ids) -> set[int]:
    """Those of `certificate_ids` a renewal already replaces."""
    ids = list(certificate_ids)
    if not ids:
        return set()
    return set(db.session.scalars(
        sa.select(Certification.replaces_id).where(Certification.replaces_id.in_(ids))
    ))


def _not_renewed():
    renewal = aliased(Certification)
    return ~sa.exists().where(renewal.replaces_id == Certification.id)


def organisation_certificates(org_id: int, filters: Filters, now: datetime) -> sa.Select:
    """An organisation's certificates, newest first, with holder and course (rows for paginate_rows)."""
    stmt = (sa.select(Certification).where(Certification.organisation_id == org_id)
            .options(joinedload(Certification.learner), joinedload(Certification.course)))
    active = Certification.status == CertificateStatus.ACTIVE
    unexpired = sa.or_(Certification.expires_at.is_(None), Certification.expires_at > now)
    if filters.state == "valid":
        stmt = stmt.where(active, unexpired)
    elif filters.state == "expired":
        stmt = stmt.where(active, Certification.expires_at <= now)
    elif filters.state == "revoked":
        stmt = stmt.where(Certification.status == CertificateStatus.REVOKED)
    if filters.course_id:
        stmt = stmt.where(Certification.course_id == filters.course_id)
    if filters.public_id:
        stmt = stmt.where(Certification.public_id == filters.public_id)
    if filters.within_days:  # the soonest to expire first
        stmt = stmt.where(active, Certification.expires_at > now,
                          Certification.expires_at <= now + timedelta(days=filters.within_days))
        return stmt.order_by(Certification.expires_at, Certification.id)
    return stmt.order_by(Certification.issued_at.desc(), Certification.id.desc())


def certificate_courses(org_id: int) -> list[Course]:
    """The organisation's courses that offer a certificate or have issued one (the course filter)."""
    issued = sa.select(Certification.course_id).where(Certification.organisation_id == org_id)
    return list(db.session.scalars(
        sa.select(Course).where(Course.provider_id == org_id,
                                sa.or_(Course.certification != "none", Course.id.in_(issued)))
        .order_by(Course.title_en, Course.title_ja, Course.id)
    ))


def expiring(now: datetime, days: int) -> sa.Select:
    """Valid certificates, not yet renewed, expiring within `days`, soonest first, with course and
    issuing organisation (association staff's list; rows for paginate_rows)."""
    return (
        sa.select(Certification)
        .where(Certification.status == CertificateStatus.ACTIVE, Certification.expires_at > now,
               Certification.expires_at <= now + timedelta(days=days), _not_renewed())
        .options(joinedload(Certification.course), joinedload(Certification.organisation))
        .order_by(Certification.expires_at, Certification.id)
    )


def reminders_due(now: datetime, days: int, column) -> list[int]:
    """Ids of valid, unrenewed certificates of active accounts that expire within `days` and whose
    reminder `column` (reminded_60_at / reminded_14_at) is still empty."""
    return list(db.session.scalars(
        sa.select(Certification.id).join(User, User.id == Certification.learner_id)
        .where(Certification.status == CertificateStatus.ACTIVE, Certification.expires_at > now,
               Certification.expires_at <= now + timedelta(days=days), column.is_(None),
               User.status == AccountStatus.ACTIVE, _not_renewed())
        .order_by(Certification.id)
    ))
