"""One session's seats, worked out in memory by the rules of app.enrolment.services, for the demo year.

Thousands of bookings through the services, one conditional UPDATE each, took minutes; the demo must load in
seconds. This ledger applies the same rules (a seat while one is free, else the waitlist in arrival order; a
seat given back goes to the head of the queue; a session that needs approval holds a seat for a pending
request; recording an outcome keeps the seat) to plain bookings that are then inserted in one statement as
enrolment rows, with `seats_taken` set to the seats held.
tests/core/test_demo_year.py checks the result against those invariants.
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime

from app.catalog.models import CourseSession
from app.enrolment.models import EnrolmentStatus

S = EnrolmentStatus
# As in the services: a request or a confirmed seat holds it, and recording the outcome keeps it taken.
HOLDS_SEAT = (S.CONFIRMED, S.PENDING, S.COMPLETED, S.NOT_COMPLETED)


@dataclass
class Booking:
    """An enrolment row to be: the columns of app.enrolment.models.Enrolment that the services set."""

    session_id: int
    learner_id: int
    status: EnrolmentStatus
    created_at: datetime
    queued_at: datetime | None = None
    confirmed_at: datetime | None = None
    promoted_at: datetime | None = None
    decided_at: datetime | None = None
    cancelled_at: datetime | None = None
    outcome_at: datetime | None = None
    id: int | None = None  # once inserted

    def row(self) -> dict:
        return {name: getattr(self, name) for name in COLUMNS}


COLUMNS = [f.name for f in fields(Booking) if f.name != "id"]


class Ledger:
    def __init__(self, session: CourseSession, seats: int = 0) -> None:
        self.session = session
        self.seats = seats
        self.by_learner: dict[int, Booking] = {}

    @property
    def enrolments(self) -> list[Booking]:
        return list(self.by_learner.values())

    def _seat(self, enrolment: Booking, at: datetime) -> None:
        self.seats += 1
        enrolment.queued_at = None
        enrolment.status = S.PENDING if self.session.requires_approval else S.CONFIRMED
        if enrolment.status == S.CONFIRMED:
            enrolment.confirmed_at = at

    def book(self, learner_id: int, at: datetime) -> Booking:
        enrolment = Booking(session_id=self.session.id, learner_id=learner_id, status=S.WAITLISTED,
                              created_at=at, queued_at=at)
        self.by_learner[learner_id] = enrolment
        if self.seats < self.session.capacity:
            self._seat(enrolment, at)
        return enrolment

    def _promote(self, at: datetime) -> None:
        queue = sorted((e for e in self.by_learner.values() if e.status == S.WAITLISTED),
                       key=lambda e: e.queued_at)
        for head in queue:
            if self.seats >= self.session.capacity:
                break
            self._seat(head, at)
            head.promoted_at = at

    def _release(self, enrolment: Booking, status: EnrolmentStatus, at: datetime) -> None:
        if enrolment.status in HOLDS_SEAT:
            self.seats -= 1
        enrolment.status = status
        self._promote(at)

    def cancel(self, learner_id: int, at: datetime) -> None:
        enrolment = self.by_learner[learner_id]
        if enrolment.status in (S.CONFIRMED, S.PENDING, S.WAITLISTED):
            enrolment.cancelled_at = at
            self._release(enrolment, S.CANCELLED, at)

    def approve(self, learner_id: int, at: datetime) -> None:
        enrolment = self.by_learner[learner_id]
        if enrolment.status == S.PENDING:
            enrolment.status = S.CONFIRMED
            enrolment.decided_at = enrolment.confirmed_at = at

    def decline(self, learner_id: int, at: datetime) -> None:
        enrolment = self.by_learner[learner_id]
        if enrolment.status in (S.PENDING, S.WAITLISTED):
            enrolment.decided_at = at
            self._release(enrolment, S.DECLINED, at)

    def cancel_session(self, at: datetime) -> None:
        for enrolment in self.by_learner.values():
            if enrolment.status in (S.CONFIRMED, S.PENDING, S.WAITLISTED):
                enrolment.status, enrolment.cancelled_at = S.CANCELLED, at
        self.seats = 0

    def record_outcome(self, enrolment: Booking, completed: bool, at: datetime) -> None:
        if enrolment.status == S.CONFIRMED:
            enrolment.status = S.COMPLETED if completed else S.NOT_COMPLETED
            enrolment.outcome_at = at
