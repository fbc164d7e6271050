"""Enrolment reads: a learner's enrolments with waitlist positions, one enrolment, seat states."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from app.accounts.models import ConsentKind
from app.accounts.queries import live_consent
from app.catalog.models import Course, CourseSession, CourseStatus, SessionStatus
from app.enrolment.models import LIVE, Enrolment, EnrolmentStatus
from app.platform.extensions import db


@dataclass
class Placed:
    """An enrolment and, when waitlisted, its place in the queue (1 = next to get a seat)."""

    enrolment: Enrolment
    position: int | None


def _positions(waitlisted_of_learner: sa.Select | None = None, enrolment_ids=None) -> sa.Subquery:
    """Waitlist positions, ROW_NUMBER() over each session's waitlisted rows in (queued_at, id) order,
    computed only for the sessions in question (SQLite and PostgreSQL alike)."""
    sessions = sa.select(Enrolment.session_id).where(Enrolment.status == EnrolmentStatus.WAITLISTED)
    if waitlisted_of_learner is not None:
        sessions = waitlisted_of_learner
    elif enrolment_ids is not None:
        sessions = sessions.where(Enrolment.id.in_(enrolment_ids))
    return (
        sa.select(
            Enrolment.id.label("enrolment_id"),
            sa.func.row_number().over(
                partition_by=Enrolment.session_id, order_by=(Enrolment.queued_at, Enrolment.id)
            ).label("position"),
        )
        .where(Enrolment.status == EnrolmentStatus.WAITLISTED, Enrolment.session_id.in_(sessions))
        .subquery()
    )


def _learner_waitlists(learner_id: int) -> sa.Select:
    return sa.select(Enrolment.session_id).where(
        Enrolment.learner_id == learner_id, Enrolment.status == EnrolmentStatus.WAITLISTED
    )


def list_learner_enrolments(learner_id: int) -> list[Placed]:
    """Every enrolment of a learner, with session, course and provider, and waitlist positions: one query."""
    ranked = _positions(_learner_waitlists(learner_id))
    rows = db.session.execute(
        sa.select(Enrolment, ranked.c.position)
        .outerjoin(ranked, ranked.c.enrolment_id == Enrolment.id)
        .join(Enrolment.session)
        .where(Enrolment.learner_id == learner_id)
        .order_by(CourseSession.starts_at, Enrolment.id)
        .options(joinedload(Enrolment.session).joinedload(CourseSession.course).joinedload(Course.provider))
    ).all()
    return [Placed(enrolment, position) for enrolment, position in rows]


def live_enrolments_in(learner_id: int, session_ids: list[int]) -> dict[int, Placed]:
    """The learner's live enrolment in each of these sessions, by session id (one query)."""
    if not session_ids:
        return {}
    ranked = _positions(_learner_waitlists(learner_id).where(Enrolment.session_id.in_(session_ids)))
    rows = db.session.execute(
        sa.select(Enrolment, ranked.c.position)
        .outerjoin(ranked, ranked.c.enrolment_id == Enrolment.id)
        .where(Enrolment.learner_id == learner_id, Enrolment.session_id.in_(session_ids),
               Enrolment.status.in_(LIVE))
    ).all()
    return {e.session_id: Placed(e, position) for e, position in rows}


def waitlist_position(enrolment: Enrolment) -> int | None:
    if enrolment.status != EnrolmentStatus.WAITLISTED:
        return None
    ranked = _positions(enrolment_ids=[enrolment.id])
    return db.session.execute(
        sa.select(ranked.c.position).where(ranked.c.enrolment_id == enrolment.id)
    ).scalar()


def get_enrolment(enrolment_id: int) -> Enrolment | None:
    return db.session.execute(
        sa.select(Enrolment).where(Enrolment.id == enrolment_id)
        .options(joinedload(Enrolment.session).joinedload(CourseSession.course).joinedload(Course.provider))
    ).scalar_one_or_none()


def get_bookable_session(session_id: int) -> CourseSession | None:
    """A session of a published course (any other is invisible to learners: 404)."""
    return db.session.execute(
        sa.select(CourseSession).join(CourseSession.course)
        .where(CourseSession.id == session_id, Course.status == CourseStatus.PUBLISHED)
        .options(joinedload(CourseSession.course).joinedload(Course.provider))
    ).scalar_one_or_none()


def load_enrolments(ids: list[int]) -> list[Enrolment]:
    """Enrolments with their learner, session, course and provider (for mail), in one query."""
    if not ids:
        return []
    return list(db.session.scalars(
        sa.select(Enrolment).where(Enrolment.id.in_(ids)).order_by(Enrolment.id)
        .options(joinedload(Enrolment.learner),
                 joinedload(Enrolment.session).joinedload(CourseSession.course).joinedload(Course.provider))
    ))


def is_full(session_id: int) -> bool:
    """Read afresh from the database (the seat counters change by UPDATE, behind the ORM's back)."""
    row = db.session.execute(
        sa.select(CourseSession.seats_taken, CourseSession.capacity).where(CourseSession.id == session_id)
    ).one_or_none()
    return row is None or row.seats_taken >= row.capacity


def has_share_consent(user_id: int) -> bool:
    return live_consent(user_id, ConsentKind.SHARE_WITH_PROVIDERS) is not None


def reminders_due(now: datetime, until: datetime) -> list[int]:
    """Confirmed enrolments in scheduled sessions starting in (now, until] not yet reminded."""
    return list(db.session.scalars(
        sa.select(Enrolment.id).join(Enrolment.session)
        .where(Enrolment.status == EnrolmentStatus.CONFIRMED, Enrolment.reminder_sent_at.is_(None),
               CourseSession.status == SessionStatus.SCHEDULED, CourseSession.starts_at > now,
               CourseSession.starts_at <= until)
        .order_by(Enrolment.id)
    ))
