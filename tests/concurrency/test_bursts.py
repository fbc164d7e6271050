"""No 500 under bursts: a class signing in at once, a partner system calling the API, everything mixed.

gunicorn with four workers on a database of its own (SQLite by default, PostgreSQL with TEST_DATABASE_URL).
Before the fix, reading a rate-limit counter and then writing it in one deferred SQLite transaction failed
at once with "database is locked" whenever another worker had written in between.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass

import pytest

from tests.concurrency.client import Call, burst, summary
from tests.concurrency.harness import Learner

SIGNERS = 50


@dataclass
class People:
    signers: list[str]  # email addresses, password factories.PASSWORD
    learner_token: str
    provider_token: str
    provider_course_id: int
    provider_session_id: int
    staff: Learner  # a signed-in staff member (a session row, as for the crowd)
    pending_exchanges: list[int]
    open_session_id: int  # capacity 100, for the mixed burst's enrolments
    cancellers: list[tuple[Learner, int]]  # (learner, their confirmed enrolment) in the open session


@pytest.fixture(scope="module")
def people(stack) -> People:
    from app.accounts.models import UserSession
    from app.accounts.sessions import token_hash
    from app.enrolment.models import Enrolment
    from app.platform.extensions import db
    from tests.api.helpers import make_token
    from tests.exchanges.helpers import make_exchange
    from tests.factories import make_course, make_session, make_user

    with stack.app.app_context():
        signers = [make_user(email=f"signer{i}@example.com").email for i in range(SIGNERS)]
        learner_token = make_token(make_user(), ["learning:read"])
        member = make_user("member")
        org = member.memberships[0].organisation
        course = make_course(org, sessions=[make_session(capacity=30, days_ahead=20)])
        provider_token = make_token(member, ["provider:read", "provider:write"])
        staff_user = make_user("staff", totp=True)
        staff_token = secrets.token_urlsafe(32)
        db.session.add(UserSession(token_hash=token_hash(staff_token), user_id=staff_user.id))
        exchanges = [make_exchange().id for _ in range(3)]
        open_session = make_session(make_course(), capacity=100, days_ahead=25)
        db.session.flush()
        cancellers = []
        for learner in stack.seed.learners[-5:]:
            enrolment = Enrolment(session_id=open_session.id, learner_id=learner.id, status="confirmed")
            db.session.add(enrolment)
            db.session.flush()
            cancellers.append((learner, enrolment.id))
        open_session.seats_taken = len(cancellers)
        people = People(signers, learner_token, provider_token, course.id, course.sessions[0].id,
                        Learner(staff_user.id, staff_user.email, staff_token), exchanges, open_session.id,
                        cancellers)
        db.session.commit()
        db.session.remove()
    return people


def sign_in_call(stack, email: str) -> Call:
    from tests.factories import PASSWORD

    csrf = secrets.token_hex(20)
    cookie = f"{stack.browser.cookie_name}={stack.browser.cookies.dumps({'csrf_token': csrf})}"
    fields = {"csrf_token": stack.browser.forms.dumps(csrf), "email": email, "password": PASSWORD}
    return Call.form("/en/account/sign-in", cookie, fields, label="sign-in")


def assert_no_5xx(stack, answers) -> None:
    errors = [a.error for a in answers if a.error]
    assert not errors, f"{len(errors)} requests failed: {errors[:5]}"
    assert not [a for a in answers if a.status >= 500], f"{summary(answers)}\n{stack.server.log()}"
    assert not stack.log_has_errors(), stack.log_has_errors()


def test_fifty_sign_ins_at_once_all_succeed(stack, people):
    answers = burst(stack.server.port, [sign_in_call(stack, email) for email in people.signers])
    assert_no_5xx(stack, answers)
    assert {a.status for a in answers} <= {302, 303}, summary(answers)
    assert all(a.location and a.location.endswith("/en/") for a in answers), {a.location for a in answers}
    signed = stack.scalar("SELECT count(*) FROM user_session s JOIN user_account u ON u.id = s.user_id "
                          "WHERE u.email LIKE 'signer%'")
    assert signed == SIGNERS


def test_fifty_api_calls_with_one_token_all_succeed(stack, people):
    calls = [Call.api("GET", "/api/v1/me", people.learner_token) for _ in range(50)]
    answers = burst(stack.server.port, calls)
    assert_no_5xx(stack, answers)
    assert {a.status for a in answers} == {200}, summary(answers)
    # Each call was counted once against the token's limit, by whichever worker answered it.
    assert stack.scalar("SELECT last_used_at IS NOT NULL FROM api_token WHERE prefix = :p",
                        p=people.learner_token[:12])


def mixed_calls(stack, people) -> list[Call]:
    browser, learners = stack.browser, stack.seed.learners
    calls = [sign_in_call(stack, email) for email in people.signers[:8]]
    calls += [Call.form(f"/en/sessions/{people.open_session_id}/enrol", browser.cookie(learner),
                        browser.form(learner), label="enrol") for learner in learners[:10]]
    calls += [Call.form(f"/en/me/enrolments/{enrolment_id}/cancel", browser.cookie(learner),
                        browser.form(learner), label="cancel") for learner, enrolment_id in people.cancellers]
    calls += [Call.api("GET", "/api/v1/me", people.learner_token, label="api-read") for _ in range(4)]
    calls += [Call.api("GET", f"/api/v1/courses?page={n}", people.learner_token, label="api-read")
              for n in (1, 2)]
    calls += [Call.api("GET", f"/api/v1/provider/sessions/{people.provider_session_id}/roster",
                       people.provider_token, label="api-read") for _ in range(3)]
    calls += [Call.api("PATCH", f"/api/v1/provider/sessions/{people.provider_session_id}", people.provider_token,
                       {"capacity": 30 + n}, label="api-write") for n in range(3)]
    staff_cookie = browser.cookie(people.staff)
    calls += [Call.page("/en/staff/reports", staff_cookie, label="reports") for _ in range(3)]
    calls += [Call.form(f"/en/staff/exchanges/{exchange_id}/approve", staff_cookie, browser.form(people.staff),
                        label="exchange-decision") for exchange_id in people.pending_exchanges]
    return calls


def test_a_mixed_burst_gives_no_server_error(stack, people):
    answers = burst(stack.server.port, mixed_calls(stack, people))
    assert_no_5xx(stack, answers)
    by_label = {}
    for answer in answers:
        by_label.setdefault(answer.call.label, set()).add(answer.status)
    assert by_label["sign-in"] <= {302, 303}, summary(answers)
    assert by_label["enrol"] == by_label["cancel"] == {303}, summary(answers)
    assert by_label["exchange-decision"] <= {302, 303}, summary(answers)
    assert by_label["api-read"] == by_label["api-write"] == by_label["reports"] == {200}, summary(answers)
    confirmed = stack.scalar("SELECT count(*) FROM enrolment WHERE session_id = :s AND status = 'confirmed'",
                             s=people.open_session_id)
    assert confirmed == stack.scalar("SELECT seats_taken FROM course_session WHERE id = :s",
                                     s=people.open_session_id) == 10
