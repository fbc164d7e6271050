"""Reads of the roster: a session's enrolments with their learners, and the figures per session."""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from app.catalog.models import Course, CourseSession
from app.enrolment.models import LIVE, Enrolment
from app.enrolment.models import EnrolmentStatus as S
from app.platform.extensions import db

COUNTED = (S.CONFIRMED, S.WAITLISTED, S.PENDING)


@dataclass
class Roster:
    """A session's enrolments by status, each list in the order the page shows it."""

    pending: list[Enrolment] = field(default_factory=list)
    confirmed: list[Enrolment] = field(default_factory=list)
    waitlisted: list[Enrolment] = field(default_factory=list)  # in queue order: position = index + 1
    finished: list[Enrolment] = field(default_factory=list)  # completed or did not complete
    ended: list[Enrolment] = field(default_factory=list)  # cancelled or declined

    def all(self) -> list[Enrolment]:
        return [*self.pending, *self.confirmed, *self.waitlisted, *self.finished, *self.ended]

    def position(self, enrolment: Enrolment) -> int | None:
        for index, waiting in enumerate(self.waitlisted, start=1):
            if waiting.id == enrolment.id:
                return index
        return None


def get_session(session_id: int) -> CourseSession | None:
    return db.session.scalars(
        sa.select(CourseSession).where(CourseSession.id == session_id)
        .options(joinedload(CourseSession.course).joinedload(Course.provider))
    ).first()


def get_enrolment(enrolment_id: int) -> Enrolment | None:
    """An enrolment with its session, course and learner (for the permission check and the audit)."""
    return db.session.scalars(
        sa.select(Enrolment).where(Enrolment.id == enrolment_id)
        .options(joinedload(Enrolment.session).joinedload(CourseSession.course), joinedload(Enrolment.learner))
    ).first()


def _enrolments(session_id: int, statuses=None) -> list[Enrolment]:
    stmt = sa.select(Enrolment).where(Enrolment.session_id == session_id).options(joinedload(Enrolment.learner))
    if statuses is not None:
        stmt = stmt.where(Enrolment.status.in_(statuses))
    return list(db.session.scalars(stmt.order_by(Enrolment.created_at, Enrolment.id)))


def roster(session_id: int) -> Roster:
    """Every enrolment of the session with its learner, in one query."""
    result = Roster()
    for enrolment in _enrolments(session_id):
        status = enrolment.status
        if status == S.PENDING:
            result.pending.append(enrolment)
        elif status == S.CONFIRMED:
            result.confirmed.append(enrolment)
        elif status == S.WAITLISTED:
            result.waitlisted.append(enrolment)
        elif status in (S.COMPLETED, S.NOT_COMPLETED):
            result.finished.append(enrolment)
        else:
            result.ended.append(enrolment)
    # The waitlist's own order, the one promotion follows: (queued_at, id).
    result.waitlisted.sort(key=lambda e: (e.queued_at or e.created_at, e.id))
    result.ended.sort(key=lambda e: (e.cancelled_at or e.decided_at or e.created_at, e.id))
    return result


def live_enrolments(session_id: int) -> list[Enrolment]:
    """Who is on the session now (confirmed, pending, waitlisted), with their learners: the people to tell."""
    return _enrolments(session_id, LIVE)


def markable(session_id: int, include_marked: bool) -> list[Enrolment]:
    """The confirmed learners not yet marked, or (include_marked) also those marked already."""
    statuses = (S.CONFIRMED, S.COMPLETED, S.NOT_COMPLETED) if include_marked else (S.CONFIRMED,)
    return _enrolments(session_id, statuses)


def status_counts(session_ids) -> dict[int, dict[str, int]]:
    """{session_id: {"confirmed": n, "waitlisted": n, "pending": n}} for many sessions, in one query."""
    ids = list(session_ids)
    counts = {sid: {status.value: 0 for status in COUNTED} for sid in ids}
    if not ids:
        return counts
    rows = db.session.execute(
        sa.select(Enrolment.session_id, Enrolment.status, sa.func.count())
        .where(Enrolment.session_id.in_(ids), Enrolment.status.in_(COUNTED))
        .group_by(Enrolment.session_id, Enrolment.status)
    )
    for session_id, status, n in rows:
        counts[session_id][getattr(status, "value", status)] = n
    return counts
