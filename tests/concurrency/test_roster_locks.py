"""Roster actions never wait on a lock: marking completion, issuing one certificate, issuing them all.

Before the fix, issuing a certificate took the busy timeout (10 s) on SQLite: a write on a second
connection (the signing key, a cache entry) waited for the lock the request's own transaction held.
Each action here must answer well inside that time, with a clean log, under gunicorn on SQLite and
PostgreSQL, and a second provider's issuing at the same moment must not make either wait.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

import pytest

from tests.concurrency.client import Call, burst, send, summary
from tests.concurrency.harness import Learner

FAST = 3.0  # seconds: far under the 10 s busy timeout a self-inflicted lock wait costs


@dataclass
class Roster:
    member: Learner
    session_id: int
    enrolments: list[int]


def _roster(stack, learners: int) -> Roster:
    from app.accounts.models import UserSession
    from app.accounts.sessions import token_hash
    from app.enrolment import services as enrolment_services
    from app.platform.extensions import db
    from tests.factories import make_course, make_session, make_user, now

    with stack.app.app_context():
        member = make_user("member")
        org = member.memberships[0].organisation
        course = make_course(org, certification="completion", validity_months=24, duration_hours=8,
                             sessions=[make_session(days_ahead=-2, capacity=learners)])
        session = course.sessions[0]
        enrolments = [enrolment_services.enrol(make_user(), session, now=now() - timedelta(days=5)).enrolment.id
                      for _ in range(learners)]
        token = secrets.token_urlsafe(32)
        db.session.add(UserSession(token_hash=token_hash(token), user_id=member.id))
        roster = Roster(Learner(member.id, member.email, token), session.id, enrolments)
        db.session.commit()
        db.session.remove()
    return roster


@pytest.fixture(scope="module")
def rosters(stack) -> list[Roster]:
    return [_roster(stack, 4), _roster(stack, 4)]


def form(stack, roster: Roster, path: str, **fields) -> Call:
    browser = stack.browser
    return Call.form(path, browser.cookie(roster.member), browser.form(roster.member, **fields))


def timed(stack, call: Call):
    answer = send(stack.server.port, call)
    assert answer.error is None and answer.status in (302, 303), (answer.status, answer.error, stack.server.log())
    assert answer.seconds < FAST, f"{call.path} took {answer.seconds:.1f} s:\n{stack.server.log()}"
    assert not stack.log_has_errors(), stack.log_has_errors()
    return answer


def test_complete_issue_one_and_issue_all_answer_at_once(stack, rosters):
    roster = rosters[0]
    first, *others = roster.enrolments
    timed(stack, form(stack, roster, f"/en/provider/enrolments/{first}/outcome", completed="1"))
    timed(stack, form(stack, roster, f"/en/provider/enrolments/{first}/certificate"))
    timed(stack, form(stack, roster, f"/en/provider/sessions/{roster.session_id}/outcomes", completed="1"))
    timed(stack, form(stack, roster, f"/en/provider/sessions/{roster.session_id}/certificates"))
    issued = stack.scalar("SELECT count(*) FROM certification WHERE enrolment_id IN (:a, :b, :c, :d)",
                          a=first, b=others[0], c=others[1], d=others[2])
    assert issued == len(roster.enrolments)


def test_two_providers_issuing_at_the_same_moment_neither_waits(stack, rosters):
    roster = rosters[1]
    mark = form(stack, roster, f"/en/provider/sessions/{roster.session_id}/outcomes", completed="1")
    timed(stack, mark)
    first = rosters[0]
    calls = [form(stack, roster, f"/en/provider/sessions/{roster.session_id}/certificates")] * 3
    calls += [form(stack, first, f"/en/provider/sessions/{first.session_id}/certificates")] * 3
    answers = burst(stack.server.port, calls)
    assert {a.status for a in answers} <= {302, 303}, summary(answers)
    assert max(a.seconds for a in answers) < FAST, [round(a.seconds, 2) for a in answers]
    assert not stack.log_has_errors(), stack.log_has_errors()
    # Pressed three times at once, each learner still holds one certificate.
    per_learner = stack.rows("SELECT enrolment_id, count(*) FROM certification WHERE enrolment_id IN "
                             f"({', '.join(str(e) for e in roster.enrolments)}) GROUP BY enrolment_id")
    assert sorted(count for _e, count in per_learner) == [1] * len(roster.enrolments)
