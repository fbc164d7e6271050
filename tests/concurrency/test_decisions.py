"""Two reviewers deciding the same thing at once: exactly one decision is recorded, the others are told.

Before the fix, five approvals and five rejections of one exchange record all succeeded (the last commit
won). Every decision of the platform is tried the same way: exchange records (HTML and API), course
review, provider applications, enrolment requests and certificate revocation.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

import pytest

from tests.concurrency.client import Call, burst, summary
from tests.concurrency.harness import Learner

EACH = 5  # requests per side of a decision


@dataclass
class Things:
    staff: Learner
    member: Learner
    staff_token: str
    exchange_html: int
    exchange_api: int
    course: int
    application: int
    enrolment: int
    certificate: str


def _session_for(user) -> Learner:
    from app.accounts.models import UserSession
    from app.accounts.sessions import token_hash
    from app.platform.extensions import db

    token = secrets.token_urlsafe(32)
    db.session.add(UserSession(token_hash=token_hash(token), user_id=user.id))
    return Learner(user.id, user.email, token)


@pytest.fixture(scope="module")
def things(stack) -> Things:
    from app.enrolment import services as enrolment_services
    from app.platform.extensions import db
    from app.providers.models import ApplicationStatus, ProviderApplication
    from tests.api.helpers import make_token
    from tests.certifications.holder_fixtures import make_certificate
    from tests.exchanges.helpers import make_exchange
    from tests.factories import make_course, make_session, make_user, now

    with stack.app.app_context():
        staff = make_user("staff", totp=True)
        member = make_user("member")
        org = member.memberships[0].organisation
        pending = make_course(org, status="pending_review", published_at=None)
        application = ProviderApplication(applicant_id=make_user().id, name_en="Volta Institute", country="IT",
                                          city="Como", kind="research_institute", status=ApplicationStatus.SUBMITTED)
        db.session.add(application)
        gated = make_course(org, sessions=[make_session(capacity=5, days_ahead=20, requires_approval=True)])
        request = enrolment_services.enrol(make_user(), gated.sessions[0], now=now() - timedelta(days=1)).enrolment
        done = make_course(org, certification="completion", sessions=[make_session(days_ahead=-3)])
        certificate = make_certificate(make_user(), course=done)
        db.session.flush()
        result = Things(_session_for(staff), _session_for(member), make_token(staff, ["exchanges:write"]),
                        make_exchange().id, make_exchange().id, pending.id, application.id, request.id,
                        certificate.public_id)
        assert request.status == "pending"
        db.session.commit()
        db.session.remove()
    return result


def both_ways(stack, who: Learner, first: tuple[str, dict], second: tuple[str, dict]) -> list:
    browser = stack.browser
    calls = [Call.form(path, browser.cookie(who), browser.form(who, **fields), label=path)
             for path, fields in [first] * EACH + [second] * EACH]
    answers = burst(stack.server.port, calls)
    assert not [a for a in answers if a.error or a.status >= 500], summary(answers) + stack.server.log()
    assert not stack.log_has_errors(), stack.log_has_errors()
    return answers


def audited(stack, actions: tuple[str, ...], object_id) -> list[str]:
    names = ", ".join(f"'{a}'" for a in actions)
    return [row[0] for row in stack.rows(f"SELECT action FROM audit_entry WHERE action IN ({names}) "
                                         "AND object_id = :o", o=str(object_id))]


def test_an_exchange_record_is_decided_once(stack, things):
    base = f"/en/staff/exchanges/{things.exchange_html}"
    both_ways(stack, things.staff, (f"{base}/approve", {"seen": "submitted"}),
              (f"{base}/reject", {"seen": "submitted", "reason": "Dates look wrong"}))
    decisions = audited(stack, ("exchange.approve", "exchange.reject"), things.exchange_html)
    assert len(decisions) == 1, decisions
    approval = stack.scalar("SELECT approval FROM exchange WHERE id = :e", e=things.exchange_html)
    assert approval == {"exchange.approve": "approved", "exchange.reject": "rejected"}[decisions[0]]


def test_an_exchange_record_is_decided_once_through_the_api(stack, things):
    path = f"/api/v1/exchanges/{things.exchange_api}/decision"
    answers = burst(stack.server.port, [Call.api("POST", path, things.staff_token, {"decision": "approve"})
                                        for _ in range(2 * EACH)])
    assert sorted(a.status for a in answers) == [200] + [409] * (2 * EACH - 1), summary(answers)
    assert len(audited(stack, ("exchange.approve",), things.exchange_api)) == 1


def test_a_course_review_is_decided_once(stack, things):
    base = f"/en/staff/courses/{things.course}"
    both_ways(stack, things.staff, (f"{base}/approve", {}), (f"{base}/send-back", {"comment": "Add the dates"}))
    assert len(audited(stack, ("course.approve", "course.send_back"), things.course)) == 1


def test_a_provider_application_is_decided_once(stack, things):
    base = f"/en/staff/applications/{things.application}"
    both_ways(stack, things.staff, (f"{base}/approve", {}), (f"{base}/reject", {"comment": "Not a provider"}))
    decided = audited(stack, ("provider_application.approve", "provider_application.reject"), things.application)
    assert len(decided) == 1, decided
    assert stack.scalar("SELECT count(*) FROM organisation WHERE name_en = 'Volta Institute'") == (
        1 if decided == ["provider_application.approve"] else 0)


def test_an_enrolment_request_is_decided_once(stack, things):
    base = f"/en/provider/enrolments/{things.enrolment}"
    both_ways(stack, things.member, (f"{base}/approve", {}), (f"{base}/decline", {"note": "Full"}))
    assert len(audited(stack, ("enrolment.approve", "enrolment.decline"), things.enrolment)) == 1


def test_a_certificate_is_revoked_once(stack, things):
    path = f"/en/provider/certificates/{things.certificate}/revoke"
    both_ways(stack, things.member, (path, {"reason": "Issued by mistake"}), (path, {"reason": "Wrong person"}))
    cert_id = stack.scalar("SELECT id FROM certification WHERE public_id = :p", p=things.certificate)
    assert len(audited(stack, ("certificate.revoke",), cert_id)) == 1
