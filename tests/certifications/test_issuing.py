"""Issuing in the provider workspace: one learner or a whole session, the organisation's list with its
filters, revoking and renewing; who may do it; mail to the holder and the audit trail."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.certifications import services as certs
from app.certifications.models import Certification
from app.enrolment import services as enrolment_services
from app.platform.extensions import db
from tests.factories import (
    finish_session,
    make_client,
    make_course,
    make_provider,
    make_session,
    make_user,
    now,
    signed_in,
)


def completed_course(org, *, learners: int = 3, completed: int = 2, certification: str = "completion",
                     validity_months: int | None = 24, **learner_kw):
    """A course of `org` whose session began two days ago, with `learners` enrolled and the first
    `completed` of them marked completed. Returns (course, session, enrolments)."""
    course = make_course(org, title_en="Cell safety", title_ja="セル安全", certification=certification,
                         validity_months=validity_months, duration_hours=8, eqf_level=4,
                         sessions=[make_session(days_ahead=-2, capacity=max(learners, 1))])
    session = course.sessions[0]
    enrolments = [enrolment_services.enrol(make_user(**learner_kw), session, now=now() - timedelta(days=5)).enrolment
                  for _ in range(learners)]
    for e in enrolments[:completed]:
        enrolment_services.record_outcome(e, True)
        finish_session(e.session)
    return course, session, enrolments


def issue(enrolments, issuer) -> list[Certification]:
    return certs.issue(enrolments, issuer).certificates


def certificates_of(enrolment) -> list[Certification]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Certification).where(Certification.enrolment_id == enrolment.id)))


def audit(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action)))


@pytest.fixture
def world(db_session):
    org_a, org_b = make_provider(name_en="Provider A"), make_provider(name_en="Provider B")
    member = make_user("member", organisation=org_a)
    course, session, enrolments = completed_course(org_a)
    return org_a, org_b, member, course, session, enrolments


# Issuing -------------------------------------------------------------------------------------------

def test_issue_one_completed_learner(app, world, outbox):
    org_a, _, member, course, session, enrolments = world
    client = signed_in(app, member)
    response = client.post(f"/en/provider/enrolments/{enrolments[0].id}/certificate")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/sessions/{session.id}/roster")
    (cert,) = certificates_of(enrolments[0])
    assert cert.type == "completion" and cert.organisation_id == org_a.id and cert.issued_by_id == member.id
    assert cert.expires_at.year == cert.issued_at.year + 2
    (mail,) = outbox
    learner = enrolments[0].learner
    assert mail["To"] == learner.email and "Cell safety" in mail["Subject"]
    body = mail.get_content()
    assert f"/en/me/certificates/{cert.public_id}" in body or "/en/me/" in body
    assert "public page" in body
    (entry,) = audit("certificate.issue")
    assert entry.object_id == str(cert.id) and entry.organisation_id == org_a.id and entry.actor_id == member.id


def test_issue_refuses_a_learner_not_completed(app, world, outbox):
    *_, member, course, session, enrolments = world
    client = signed_in(app, member)
    response = client.post(f"/en/provider/enrolments/{enrolments[2].id}/certificate", follow_redirects=True)
    assert "Only a learner marked as completed" in response.get_data(as_text=True)
    assert certificates_of(enrolments[2]) == [] and outbox == []


def test_issue_for_the_session_once_each(app, world, outbox):
    *_, member, course, session, enrolments = world
    client = signed_in(app, member)
    response = client.post(f"/en/provider/sessions/{session.id}/certificates", follow_redirects=True)
    assert "2 certificates issued" in response.get_data(as_text=True)
    again = client.post(f"/en/provider/sessions/{session.id}/certificates", follow_redirects=True)
    assert "already holds one" in again.get_data(as_text=True)
    assert [len(certificates_of(e)) for e in enrolments] == [1, 1, 0]
    assert len(outbox) == 2 and len(audit("certificate.issue")) == 2


def test_mail_in_the_learners_language(app, db_session, outbox):
    org = make_provider()
    member = make_user("member", organisation=org)
    _, session, enrolments = completed_course(org, learners=1, completed=1, preferred_language="ja")
    signed_in(app, member).post(f"/en/provider/sessions/{session.id}/certificates")
    (mail,) = outbox
    assert mail["Content-Language"] == "ja" and "セル安全" in mail["Subject"]
    assert "/ja/" in mail.get_content()


def test_a_twin_request_gives_no_second_certificate(app, world, monkeypatch):
    """Two requests at once both find no certificate; the unique index lets one insert, the other skips."""
    *_, member, course, session, enrolments = world
    first = issue(enrolments[:1], member)
    monkeypatch.setattr(certs, "_has_original", lambda enrolment_id: False)  # the twin saw nothing yet
    twin = certs.issue(enrolments[:1], member)
    assert len(first) == 1 and twin.certificates == [] and twin.skipped == 1
    assert len(certificates_of(enrolments[0])) == 1


def test_a_course_without_certificate_says_so(app, db_session, outbox):
    org = make_provider()
    member = make_user("member", organisation=org)
    _, session, enrolments = completed_course(org, certification="none")
    client = signed_in(app, member)
    for path in (f"/en/provider/sessions/{session.id}/certificates",
                 f"/en/provider/enrolments/{enrolments[0].id}/certificate"):
        page = client.post(path, follow_redirects=True).get_data(as_text=True)
        assert "does not offer a certificate" in page
    assert certificates_of(enrolments[0]) == [] and outbox == []


def test_roster_offers_issuing_and_shows_what_was_issued(app, world):
    *_, member, course, session, enrolments = world
    client = signed_in(app, member)
    page = client.get(f"/en/provider/sessions/{session.id}/roster").get_data(as_text=True)
    assert "Issue certificates to everyone who completed" in page
    assert page.count(f"/enrolments/{enrolments[0].id}/certificate") == 1
    (cert,) = issue(enrolments[:1], member)
    page = client.get(f"/ja/provider/sessions/{session.id}/roster").get_data(as_text=True)
    assert f"cert={cert.public_id}" in page and f"/enrolments/{enrolments[0].id}/certificate" not in page
    assert f"/enrolments/{enrolments[1].id}/certificate" in page


# Who may issue, revoke and renew -------------------------------------------------------------------

def test_another_provider_a_learner_and_staff_cannot_act(app, world, outbox):
    org_a, org_b, member, course, session, enrolments = world
    (cert,) = issue(enrolments[:1], member)
    paths = [f"/en/provider/sessions/{session.id}/certificates",
             f"/en/provider/enrolments/{enrolments[1].id}/certificate",
             f"/en/provider/certificates/{cert.public_id}/revoke",
             f"/en/provider/certificates/{cert.public_id}/renew"]
    expected = {"other": 404, "learner": 404, "staff": 403, "admin": 403}
    people = {"other": make_user("member", organisation=org_b), "learner": enrolments[0].learner,
              "staff": make_user("staff"), "admin": make_user("admin")}
    for who, user in people.items():
        client = signed_in(app, user)
        for path in paths:
            got = client.post(path, data={"reason": "Fraud"}).status_code
            assert got == expected[who], f"{who} POST {path}: {got}"
    anonymous = make_client(app)
    for path in paths:
        response = anonymous.post(path, data={"reason": "Fraud"})
        assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"]
    db.session.expire_all()
    assert db.session.get(Certification, cert.id).status == "active"
    assert len(certificates_of(enrolments[1])) == 0 and outbox == []
    assert signed_in(app, people["staff"]).get("/en/provider/certificates").status_code == 403
    assert signed_in(app, people["learner"]).get("/en/provider/certificates").status_code == 403


def test_unknown_ids_are_404(app, world):
    *_, member, course, session, enrolments = world
    client = signed_in(app, member)
    assert client.post("/en/provider/certificates/nope/revoke", data={"reason": "x"}).status_code == 404
    assert client.post("/en/provider/certificates/nope/renew").status_code == 404
    assert client.post("/en/provider/enrolments/99999999/certificate").status_code == 404
    assert client.post("/en/provider/sessions/99999999999/certificates").status_code == 404


# Revoke and renew ----------------------------------------------------------------------------------

def test_revoke_needs_a_reason_then_tells_the_holder(app, world, outbox):
    org_a, _, member, course, session, enrolments = world
    (cert,) = issue(enrolments[:1], member)
    client = signed_in(app, member)
    empty = client.post(f"/en/provider/certificates/{cert.public_id}/revoke", data={"reason": "   "},
                        follow_redirects=True)
    assert "Give the reason" in empty.get_data(as_text=True)
    bad = client.post(f"/en/provider/certificates/{cert.public_id}/revoke", data={"reason": "x\x00y"})
    assert bad.status_code == 302
    too_long = client.post(f"/en/provider/certificates/{cert.public_id}/revoke", data={"reason": "x" * 501})
    assert too_long.status_code == 302
    db.session.expire_all()
    assert db.session.get(Certification, cert.id).status == "active" and outbox == []
    response = client.post(f"/en/provider/certificates/{cert.public_id}/revoke",
                           data={"reason": "Assessment irregularity", "next": "//evil.example/"})
    assert response.headers["Location"].endswith(f"/en/provider/certificates?org={org_a.id}")
    db.session.expire_all()
    revoked = db.session.get(Certification, cert.id)
    assert revoked.status == "revoked" and revoked.revoked_reason == "Assessment irregularity"
    assert revoked.revoked_by_id == member.id
    (mail,) = outbox
    assert mail["To"] == enrolments[0].learner.email and "Assessment irregularity" in mail.get_content()
    (entry,) = audit("certificate.revoke")
    assert entry.detail["reason"] == "Assessment irregularity"
    again = client.post(f"/en/provider/certificates/{cert.public_id}/revoke", data={"reason": "again"},
                        follow_redirects=True)
    assert "already revoked" in again.get_data(as_text=True) and len(outbox) == 1


def test_renew_replaces_an_expiring_certificate(app, world, outbox):
    *_, member, course, session, enrolments = world
    (cert,) = issue(enrolments[:1], member)
    cert.expires_at = now() + timedelta(days=20)
    db.session.flush()
    client = signed_in(app, member)
    response = client.post(f"/en/provider/certificates/{cert.public_id}/renew",
                           data={"next": "/en/provider/certificates?status=valid"})
    assert response.headers["Location"].endswith("/en/provider/certificates?status=valid")
    (renewal,) = db.session.scalars(sa.select(Certification).where(Certification.replaces_id == cert.id))
    assert renewal.expires_at > now() + timedelta(days=700) and renewal.learner_id == cert.learner_id
    (mail,) = outbox
    assert renewal.public_id in mail.get_content() or "/en/me/" in mail.get_content()
    assert len(audit("certificate.renew")) == 1
    twice = client.post(f"/en/provider/certificates/{cert.public_id}/renew", follow_redirects=True)
    assert "already been renewed" in twice.get_data(as_text=True) and len(outbox) == 1


def test_a_certificate_that_never_expires_is_not_renewed(app, db_session, outbox):
    org = make_provider()
    member = make_user("member", organisation=org)
    _, session, enrolments = completed_course(org, validity_months=None, learners=1, completed=1)
    (cert,) = issue(enrolments, member)
    page = signed_in(app, member).post(f"/en/provider/certificates/{cert.public_id}/renew", follow_redirects=True)
    assert "does not expire" in page.get_data(as_text=True) and outbox == []


# The organisation's list ---------------------------------------------------------------------------

def test_list_filters(app, world):
    org_a, org_b, member, course, session, enrolments = world
    valid, expired = issue(enrolments[:2], member)
    expired.expires_at = now() - timedelta(days=1)
    other_course, _, more = completed_course(org_a, learners=1, completed=1)
    (revoked,) = issue(more, member)
    certs.revoke(revoked, "Mistake", member)
    _, _, theirs = completed_course(org_b, learners=1, completed=1)
    (foreign,) = issue(theirs, make_user("member", organisation=org_b))
    valid.expires_at = now() + timedelta(days=30)
    db.session.flush()
    client = signed_in(app, member)

    def shown(query=""):
        page = client.get(f"/en/provider/certificates{query}").get_data(as_text=True)
        return {c.public_id for c in (valid, expired, revoked, foreign) if c.public_id in page}

    assert shown() == {valid.public_id, expired.public_id, revoked.public_id}
    assert shown("?status=valid") == {valid.public_id}
    assert shown("?status=expired") == {expired.public_id}
    assert shown("?status=revoked") == {revoked.public_id}
    assert shown(f"?course={other_course.id}") == {revoked.public_id}
    assert shown("?days=60") == {valid.public_id}
    assert shown("?days=10") == set()
    assert shown(f"?cert={expired.public_id}") == {expired.public_id}
    page = client.get("/ja/provider/certificates?days=abc&status=nope&course=x").get_data(as_text=True)
    assert 'class="notice"' in page and valid.public_id in page
    assert client.get("/en/provider/certificates?page=99").status_code == 404
    assert client.get(f"/en/provider/certificates?org={org_b.id}").status_code == 404


def test_list_query_count_does_not_grow(app, db_session, count_queries):
    org = make_provider()
    member = make_user("member", organisation=org)
    client = signed_in(app, member)

    def count() -> int:
        client.get("/en/provider/certificates")  # warm caches (session row, menu)
        with count_queries() as counter:
            assert client.get("/en/provider/certificates").status_code == 200
        return counter.count

    _, _, few = completed_course(org, learners=3, completed=3)
    issue(few, member)
    small = count()
    _, _, many = completed_course(org, learners=27, completed=27)
    issue(many, member)
    assert count() == small
