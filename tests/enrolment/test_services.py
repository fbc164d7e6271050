"""The seat rules, one process: confirm, waitlist in order, promote on every freed seat."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.enrolment import services
from app.enrolment.models import Enrolment
from app.enrolment.models import EnrolmentStatus as S
from app.platform.extensions import db
from tests.factories import make_course, make_session, make_user, now


def seats(session) -> int:
    return db.session.execute(sa.text("SELECT seats_taken FROM course_session WHERE id = :id"),
                              {"id": session.id}).scalar_one()


@pytest.fixture
def session_of_two(db_session):
    course = make_course(sessions=[make_session(capacity=2)])
    return course.sessions[0]


def test_seats_then_waitlist_in_order_then_promotion(session_of_two):
    s = session_of_two
    learners = [make_user() for _ in range(4)]
    outcomes = [services.enrol(u, s) for u in learners]
    assert [o.enrolment.status for o in outcomes] == [S.CONFIRMED, S.CONFIRMED, S.WAITLISTED, S.WAITLISTED]
    assert seats(s) == 2
    result = services.cancel(outcomes[0].enrolment)
    assert [e.learner_id for e in result.promoted] == [learners[2].id]
    assert outcomes[2].enrolment.status == S.CONFIRMED and outcomes[3].enrolment.status == S.WAITLISTED
    assert seats(s) == 2


def test_enrolling_twice_gives_the_same_enrolment(session_of_two):
    learner = make_user()
    first, second = services.enrol(learner, session_of_two), services.enrol(learner, session_of_two)
    assert first.enrolment.id == second.enrolment.id and first.created and not second.created
    assert seats(session_of_two) == 1


def test_the_database_refuses_a_second_live_enrolment(session_of_two):
    learner = make_user()
    services.enrol(learner, session_of_two)
    with pytest.raises(sa.exc.IntegrityError):
        with db.session.begin_nested():
            db.session.add(Enrolment(session_id=session_of_two.id, learner_id=learner.id, status=S.WAITLISTED))


def test_cancelled_learner_may_enrol_again(session_of_two):
    learner = make_user()
    services.cancel(services.enrol(learner, session_of_two).enrolment)
    again = services.enrol(learner, session_of_two)
    assert again.created and again.enrolment.status == S.CONFIRMED


def test_approval_sessions_hold_a_seat_while_pending_and_decline_frees_it(db_session):
    s = make_course(sessions=[make_session(capacity=1, requires_approval=True)]).sessions[0]
    a, b = make_user(), make_user()
    first, second = services.enrol(a, s).enrolment, services.enrol(b, s).enrolment
    assert (first.status, second.status) == (S.PENDING, S.WAITLISTED)
    result = services.decline(first, "Prerequisites missing")
    assert result.promoted == [second] and second.status == S.PENDING and seats(s) == 1
    services.approve(second)
    assert second.status == S.CONFIRMED and seats(s) == 1


def test_closed_sessions_refuse(db_session):
    s = make_course(sessions=[make_session(days_ahead=5, enrolment_deadline=now() - timedelta(hours=1))]).sessions[0]
    with pytest.raises(services.EnrolmentError) as error:
        services.enrol(make_user(), s)
    assert error.value.code == "closed"


def test_larger_capacity_promotes_the_waitlist(session_of_two):
    s = session_of_two
    outcomes = [services.enrol(make_user(), s) for _ in range(4)]
    s.capacity = 3
    db.session.flush()
    promoted = services.promote_waitlisted(s)
    assert promoted == [outcomes[2].enrolment] and seats(s) == 3


def test_cancelling_the_session_ends_every_enrolment(session_of_two):
    outcomes = [services.enrol(make_user(), session_of_two) for _ in range(3)]
    result = services.cancel_session_enrolments(session_of_two)
    assert len(result.cancelled) == 3 and all(o.enrolment.status == S.CANCELLED for o in outcomes)
    assert seats(session_of_two) == 0


def test_outcome_only_after_the_start(session_of_two):
    enrolment = services.enrol(make_user(), session_of_two).enrolment
    with pytest.raises(services.EnrolmentError):
        services.record_outcome(enrolment, True)
    services.record_outcome(enrolment, True, now=session_of_two.starts_at + timedelta(hours=1))
    assert enrolment.status == S.COMPLETED


def test_enrolments_are_in_the_personal_data_export(session_of_two):
    from app.accounts.privacy import export_data

    learner = make_user()
    services.enrol(learner, session_of_two)
    data = export_data(learner)
    assert [e["session_id"] for e in data["enrolments"]] == [session_of_two.id]
    assert data["enrolments"][0]["status"] == "confirmed"
