"""Deleting an account ends its live enrolments: seats come free, the next waitlisted learner is promoted
and told by mail, waitlist places go; completed enrolments stay as anonymous records for the figures."""
from __future__ import annotations

import sqlalchemy as sa

from app.accounts import privacy
from app.accounts.models import AccountStatus
from app.enrolment import services
from app.enrolment.models import Enrolment
from app.enrolment.models import EnrolmentStatus as S
from app.platform.extensions import db
from tests.factories import PASSWORD, make_course, make_session, make_user, sign_in


def _seats(session) -> int:
    return db.session.execute(sa.text("SELECT seats_taken FROM course_session WHERE id = :id"),
                              {"id": session.id}).scalar_one()


def _status(enrolment) -> S:
    return db.session.execute(sa.select(Enrolment.status).where(Enrolment.id == enrolment.id)).scalar_one()


def test_deleting_the_account_frees_the_seat_and_promotes_the_next(client, outbox):
    session = make_course(sessions=[make_session(capacity=1)]).sessions[0]
    leaver, waiting = make_user(), make_user(preferred_language="ja")
    held = services.enrol(leaver, session).enrolment
    queued = services.enrol(waiting, session).enrolment
    assert (held.status, queued.status) == (S.CONFIRMED, S.WAITLISTED)
    sign_in(client, leaver)
    response = client.post("/en/account/delete", data={"password": PASSWORD, "confirm": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(type(leaver), leaver.id).status == AccountStatus.DELETED
    assert _status(held) == S.CANCELLED and _status(queued) == S.CONFIRMED
    assert _seats(session) == 1
    assert [m["To"] for m in outbox] == [waiting.email]  # the promoted learner, in their language
    assert outbox[0]["Content-Language"] == "ja"


def test_a_deleted_account_leaves_the_waitlist(db_session):
    session = make_course(sessions=[make_session(capacity=1)]).sessions[0]
    holder, leaver, next_one = make_user(), make_user(), make_user()
    first = services.enrol(holder, session).enrolment
    gone = services.enrol(leaver, session).enrolment
    later = services.enrol(next_one, session).enrolment
    privacy.delete_account(leaver)
    assert _status(gone) == S.CANCELLED
    promoted = services.cancel(first).promoted
    assert [e.learner_id for e in promoted] == [next_one.id] and _status(later) == S.CONFIRMED


def test_pending_requests_end_and_completed_records_stay_anonymous(db_session):
    pending_session = make_course(sessions=[make_session(requires_approval=True)]).sessions[0]
    past = make_course(sessions=[make_session(days_ahead=-10)]).sessions[0]
    leaver = make_user()
    pending = services.enrol(leaver, pending_session).enrolment
    done = Enrolment(session_id=past.id, learner_id=leaver.id, status=S.COMPLETED, note="Great work, Taro")
    db.session.add(done)
    db.session.flush()
    privacy.delete_account(leaver)
    assert _status(pending) == S.CANCELLED and _seats(pending_session) == 0
    row = db.session.get(Enrolment, done.id)
    assert row.status == S.COMPLETED and row.note is None  # the count stays, the free text goes


def test_promotion_skips_a_deleted_account_left_in_the_queue(db_session):
    """An account deleted before this fix may still sit in a queue: it is never promoted (nor mailed)."""
    session = make_course(sessions=[make_session(capacity=1)]).sessions[0]
    holder, ghost, next_one = make_user(), make_user(), make_user()
    first = services.enrol(holder, session).enrolment
    stale = services.enrol(ghost, session).enrolment
    later = services.enrol(next_one, session).enrolment
    ghost.status, ghost.email, ghost.email_key = AccountStatus.DELETED, None, None
    db.session.flush()
    promoted = services.cancel(first).promoted
    assert [e.learner_id for e in promoted] == [next_one.id]
    assert _status(stale) == S.CANCELLED and _status(later) == S.CONFIRMED
