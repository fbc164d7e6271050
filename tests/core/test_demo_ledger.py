"""The demo's in-memory ledger gives the same statuses and seat counter as app.enrolment.services for the same
events: bookings past capacity, cancellations that promote the waitlist, approvals, declines, outcomes."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.demo.ledger import Ledger
from app.enrolment import services
from app.platform.extensions import db
from tests.factories import make_course, make_session, make_user, now

# (action, learner index): five learners, three seats.
SCRIPT = [("book", 0), ("book", 1), ("book", 2), ("book", 3), ("book", 4), ("approve", 0), ("cancel", 1),
          ("decline", 2), ("book", 5), ("cancel", 3), ("approve", 4), ("decline", 5), ("cancel", 0)]


def _seats(session_id: int) -> int:
    return db.session.execute(sa.text("SELECT seats_taken FROM course_session WHERE id = :id"),
                              {"id": session_id}).scalar_one()


@pytest.mark.parametrize("requires_approval", [False, True])
def test_ledger_follows_the_enrolment_services(db_session, requires_approval):
    session = make_session(capacity=3, requires_approval=requires_approval)
    make_course(sessions=[session])
    db.session.flush()
    learners = [make_user("learner") for _ in range(6)]
    ledger, real = Ledger(session), {}
    start = now() - timedelta(hours=1)
    for step, (action, n) in enumerate(SCRIPT):
        at, learner = start + timedelta(minutes=step), learners[n]
        if action == "book":
            real[n] = services.enrol(learner, session, now=at).enrolment
            ledger.book(learner.id, at)
            continue
        enrolment = real[n]
        db.session.refresh(enrolment)
        allowed = {"approve": ("pending",), "decline": ("pending", "waitlisted"),
                   "cancel": ("pending", "confirmed", "waitlisted")}[action]
        if str(enrolment.status) in allowed:
            getattr(services, action)(enrolment, now=at)
        getattr(ledger, action)(learner.id, at)
        db.session.expire_all()
        assert _seats(session.id) == ledger.seats, (step, action, n)
        for k, e in real.items():
            db.session.refresh(e)
            assert ledger.by_learner[learners[k].id].status == e.status, (step, action, k)
    for k, e in real.items():
        if str(e.status) == "confirmed":
            services.record_outcome(e, True, now=session.starts_at + timedelta(hours=1))
            ledger.record_outcome(ledger.by_learner[learners[k].id], True, session.starts_at + timedelta(hours=1))
    db.session.expire_all()
    assert _seats(session.id) == ledger.seats
