"""Taking, giving back and deciding seats. Flush, never commit.

Seats are counted on the session (`seats_taken`) and changed only by conditional UPDATEs, so two requests
can never take the last seat twice, on SQLite or PostgreSQL, from any number of processes; a partial
unique index allows one live enrolment per learner and session. A confirmed or pending enrolment holds
a seat; a waitlisted one holds a place in the queue, ordered by (queued_at, id).

Callers that write run inside `app.platform.database.write_transaction()` after ending the request's read
transaction, so that on SQLite the write lock is taken first (see that function).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.accounts.models import AccountStatus
from app.catalog.models import CourseSession, CourseStatus, SessionStatus
from app.enrolment.models import LIVE, Enrolment, EnrolmentStatus
from app.platform.database import utcnow
from app.platform.domain import DomainError
from app.platform.extensions import db


class EnrolmentError(DomainError):
    """A broken enrolment rule, with its code."""


@dataclass
class Outcome:
    """What a write did, so the caller can tell the people concerned after committing."""

    enrolment: Enrolment | None = None
    created: bool = False
    promoted: list[Enrolment] = field(default_factory=list)
    cancelled: list[Enrolment] = field(default_factory=list)


def enrolment_closes_at(session: CourseSession) -> datetime:
    return session.enrolment_deadline or session.starts_at


def check_open(session: CourseSession, now: datetime) -> None:
    if session.status != SessionStatus.SCHEDULED or session.course.status != CourseStatus.PUBLISHED:
        raise EnrolmentError(_l("This session is not open for enrolment."), "not_open")
    if now >= enrolment_closes_at(session):
        raise EnrolmentError(_l("Enrolment for this session has closed."), "closed")


def live_enrolment(learner_id: int, session_id: int) -> Enrolment | None:
    return db.session.execute(
        sa.select(Enrolment).where(Enrolment.learner_id == learner_id, Enrolment.session_id == session_id,
                                   Enrolment.status.in_(LIVE))
    ).scalar_one_or_none()


def _take_seat(session_id: int) -> bool:
    result = db.session.execute(
        sa.update(CourseSession)
        .where(CourseSession.id == session_id, CourseSession.seats_taken < CourseSession.capacity,
               CourseSession.status == SessionStatus.SCHEDULED)
        .values(seats_taken=CourseSession.seats_taken + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _give_back_seat(session_id: int) -> None:
    db.session.execute(
        sa.update(CourseSession)
        .where(CourseSession.id == session_id, CourseSession.seats_taken > 0)
        .values(seats_taken=CourseSession.seats_taken - 1)
        .execution_options(synchronize_session=False)
    )


def enrol(learner, session: CourseSession, *, now: datetime | None = None) -> Outcome:
    """Give `learner` a seat, a pending request or a waitlist place in `session`; pressing twice, or
    from two tabs at once, gives the same one enrolment."""
    # One at a time per session (a row lock on PostgreSQL), so the queue order is the commit order.
    db.session.execute(sa.select(CourseSession.id).where(CourseSession.id == session.id).with_for_update())
    now = now or utcnow()
    existing = live_enrolment(learner.id, session.id)
    if existing is not None:
        return Outcome(existing)
    check_open(session, now)
    enrolment = Enrolment(session_id=session.id, learner_id=learner.id, status=EnrolmentStatus.WAITLISTED,
                          created_at=now, queued_at=now)
    try:
        with db.session.begin_nested():  # a concurrent twin wins the unique index; we return theirs
            db.session.add(enrolment)
    except sa.exc.IntegrityError:
        return Outcome(live_enrolment(learner.id, session.id))
    if _take_seat(session.id):
        enrolment.status = EnrolmentStatus.PENDING if session.requires_approval else EnrolmentStatus.CONFIRMED
        enrolment.queued_at = None
        if enrolment.status == EnrolmentStatus.CONFIRMED:
            enrolment.confirmed_at = now
    db.session.flush()
    return Outcome(enrolment, created=True)


def promote_waitlisted(session: CourseSession, *, now: datetime | None = None) -> list[Enrolment]:
    """Fill every free seat from the head of the waitlist, in order (a deleted account's place, left
    from before deletion ended them, is cancelled on the way)."""
    now = now or utcnow()
    promoted = []
    while True:
        head = db.session.execute(
            sa.select(Enrolment)
            .where(Enrolment.session_id == session.id, Enrolment.status == EnrolmentStatus.WAITLISTED)
            .order_by(Enrolment.queued_at, Enrolment.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        ).scalar_one_or_none()
        if head is not None and head.learner.status == AccountStatus.DELETED:
            head.status, head.cancelled_at = EnrolmentStatus.CANCELLED, now
            db.session.flush()
            continue
        if head is None or not _take_seat(session.id):
            break
        head.status = EnrolmentStatus.PENDING if session.requires_approval else EnrolmentStatus.CONFIRMED
        head.promoted_at = now
        if head.status == EnrolmentStatus.CONFIRMED:
            head.confirmed_at = now
        db.session.flush()
        promoted.append(head)
    return promoted


def _release(enrolment: Enrolment, status: EnrolmentStatus, now: datetime) -> None:
    held_seat = enrolment.status in (EnrolmentStatus.CONFIRMED, EnrolmentStatus.PENDING)
    enrolment.status = status
    if held_seat:
        _give_back_seat(enrolment.session_id)
    db.session.flush()


def cancel(enrolment: Enrolment, *, now: datetime | None = None) -> Outcome:
    """The learner gives up their seat, request or waitlist place before the session starts."""
    now = now or utcnow()
    db.session.refresh(enrolment, with_for_update={"of": Enrolment})  # latest status, locked: a twin waits
    if not enrolment.is_live:
        raise EnrolmentError(_l("This enrolment is no longer active."), "not_live")
    if now >= enrolment.session.starts_at:
        raise EnrolmentError(_l("The session has started: it can no longer be cancelled here."), "started")
    enrolment.cancelled_at = now
    _release(enrolment, EnrolmentStatus.CANCELLED, now)
    return Outcome(enrolment, promoted=promote_waitlisted(enrolment.session, now=now))


def cancel_for_erasure(enrolment: Enrolment, *, now: datetime | None = None) -> Outcome:
    """The learner's account is deleted: the enrolment ends whatever the date; its seat goes to the next
    waitlisted learner while the session has not started."""
    now = now or utcnow()
    db.session.refresh(enrolment, with_for_update={"of": Enrolment})
    if not enrolment.is_live:
        return Outcome(enrolment)
    enrolment.cancelled_at = now
    _release(enrolment, EnrolmentStatus.CANCELLED, now)
    started = now >= enrolment.session.starts_at
    return Outcome(enrolment, promoted=[] if started else promote_waitlisted(enrolment.session, now=now))


def approve(enrolment: Enrolment, *, now: datetime | None = None) -> Outcome:
    now = now or utcnow()
    db.session.refresh(enrolment, with_for_update={"of": Enrolment})  # latest status, locked: a twin waits
    if enrolment.status != EnrolmentStatus.PENDING:
        raise EnrolmentError(_l("Only a pending request can be approved."), "not_pending")
    enrolment.status = EnrolmentStatus.CONFIRMED
    enrolment.decided_at = enrolment.confirmed_at = now
    db.session.flush()
    return Outcome(enrolment)


def decline(enrolment: Enrolment, note: str | None = None, *, now: datetime | None = None) -> Outcome:
    now = now or utcnow()
    db.session.refresh(enrolment, with_for_update={"of": Enrolment})  # latest status, locked: a twin waits
    if enrolment.status not in (EnrolmentStatus.PENDING, EnrolmentStatus.WAITLISTED):
        raise EnrolmentError(_l("Only a pending or waitlisted request can be declined."), "not_pending")
    enrolment.decided_at = now
    enrolment.note = note or None
    _release(enrolment, EnrolmentStatus.DECLINED, now)
    return Outcome(enrolment, promoted=promote_waitlisted(enrolment.session, now=now))


def cancel_session_enrolments(session: CourseSession, *, now: datetime | None = None) -> Outcome:
    """The provider cancelled the session: every live enrolment ends, and every seat is free."""
    now = now or utcnow()
    live = db.session.execute(
        sa.select(Enrolment).where(Enrolment.session_id == session.id, Enrolment.status.in_(LIVE))
    ).scalars().all()
    for enrolment in live:
        enrolment.status = EnrolmentStatus.CANCELLED
        enrolment.cancelled_at = now
    db.session.execute(sa.update(CourseSession).where(CourseSession.id == session.id).values(seats_taken=0)
                       .execution_options(synchronize_session=False))
    db.session.flush()
    return Outcome(cancelled=list(live))


def record_outcome(enrolment: Enrolment, completed: bool, *, now: datetime | None = None) -> None:
    """After the session: completed or did not complete (changeable, for a mistake)."""
    now = now or utcnow()
    if enrolment.status not in (EnrolmentStatus.CONFIRMED, EnrolmentStatus.COMPLETED,
                                EnrolmentStatus.NOT_COMPLETED):
        raise EnrolmentError(_l("Only confirmed learners can be marked."), "not_confirmed")
    if now < enrolment.session.starts_at:
        raise EnrolmentError(_l("Completion can be recorded once the session has started."), "not_started")
    enrolment.status = EnrolmentStatus.COMPLETED if completed else EnrolmentStatus.NOT_COMPLETED
    enrolment.outcome_at = now
    db.session.flush()
