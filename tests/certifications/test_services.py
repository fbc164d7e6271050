"""Issuing, revoking, renewing: the rules, one process."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.certifications import services
from app.certifications.models import Certification
from app.enrolment import services as enrolment
from app.platform.extensions import db
from tests.factories import finish_session, make_course, make_session, make_user


@pytest.fixture
def completed(db_session):
    course = make_course(skills=("safety",), certification="completion", validity_months=24, duration_hours=16,
                         eqf_level=4, sessions=[make_session(capacity=5)])
    session = course.sessions[0]
    learners = [make_user() for _ in range(3)]
    enrolments = [enrolment.enrol(u, session).enrolment for u in learners]
    for e in enrolments[:2]:
        enrolment.record_outcome(e, True, now=session.starts_at + timedelta(hours=1))
    finish_session(session)
    return course, enrolments


def test_issue_to_completed_learners_once(completed):
    course, enrolments = completed
    issuer = make_user("member", organisation=course.provider)
    first = services.issue(enrolments, issuer)
    assert len(first.certificates) == 2 and first.skipped == 1
    again = services.issue(enrolments, issuer)
    assert again.certificates == [] and again.skipped == 3
    cert = first.certificates[0]
    assert len(cert.public_id) >= 32 and cert.type == "completion"
    assert cert.facts["course"]["skill_areas"][0]["code"] == "safety" and cert.facts["course"]["hours"] in ("16", "16.0")
    assert cert.expires_at.year == cert.issued_at.year + 2


def test_facts_are_frozen_at_issue(completed):
    course, enrolments = completed
    cert = services.issue(enrolments[:1], make_user()).certificates[0]
    course.title_en = "Renamed later"
    db.session.flush()
    assert cert.facts["course"]["title_en"] != "Renamed later"


def test_revoke_needs_a_reason_and_happens_once(completed):
    course, enrolments = completed
    cert = services.issue(enrolments[:1], make_user()).certificates[0]
    with pytest.raises(services.CertificationError):
        services.revoke(cert, "  ", make_user())
    services.revoke(cert, "Assessment irregularity", make_user())
    assert cert.state(datetime.now(UTC)) == "revoked"
    with pytest.raises(services.CertificationError):
        services.revoke(cert, "again", make_user())


def test_renewal_replaces_and_extends(completed):
    course, enrolments = completed
    old = services.issue(enrolments[:1], make_user()).certificates[0]
    later = old.expires_at - timedelta(days=10)
    new = services.renew(old, make_user(), now=later)
    assert new.replaces_id == old.id and new.expires_at > old.expires_at and new.public_id != old.public_id
    with pytest.raises(services.CertificationError):
        services.renew(old, make_user())
    assert old.state(old.expires_at + timedelta(seconds=1)) == "expired"


def test_no_certificate_for_courses_without_one(db_session):
    course = make_course(certification="none", sessions=[make_session()])
    e = enrolment.enrol(make_user(), course.sessions[0]).enrolment
    enrolment.record_outcome(e, True, now=course.sessions[0].starts_at + timedelta(hours=1))
    with pytest.raises(services.CertificationError):
        services.issue([e], make_user())


def test_month_arithmetic():
    assert services.add_months(datetime(2026, 1, 31), 1) == datetime(2026, 2, 28)
    assert services.add_months(datetime(2027, 11, 30), 3) == datetime(2028, 2, 29)
    assert services.add_months(datetime(2026, 5, 15), 24) == datetime(2028, 5, 15)


def test_deleting_the_account_withdraws_the_public_page_and_keeps_the_record(completed):
    from app.accounts.privacy import delete_account, export_data

    course, enrolments = completed
    cert = services.issue(enrolments[:1], make_user()).certificates[0]
    services.set_public(cert, True)
    learner = enrolments[0].learner
    assert [c["public_id"] for c in export_data(learner)["certificates"]] == [cert.public_id]
    delete_account(learner)
    db.session.flush()
    db.session.refresh(cert)
    assert cert.public is False and db.session.get(Certification, cert.id) is not None
