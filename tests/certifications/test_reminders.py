"""`flask send-renewal-reminders`: holders are mailed 60 and 14 days before expiry, once per threshold."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.certifications import reminders
from app.certifications import services as certs
from app.platform.extensions import db
from tests.certifications.test_issuing import completed_course
from tests.factories import make_provider, make_user, now


@pytest.fixture
def certificates(db_session):
    """Four certificates: expiring in 50 days, in 10 days, in 200 days, and one already expired."""
    org = make_provider()
    member = make_user("member", organisation=org)
    _, _, enrolments = completed_course(org, learners=4, completed=4)
    issued = certs.issue(enrolments, member).certificates
    for cert, days in zip(issued, (50, 10, 200, -3)):
        cert.expires_at = now() + timedelta(days=days)
    db.session.flush()
    return issued


def mails_to(outbox, cert) -> list:
    return [m for m in outbox if m["To"] == cert.learner.email]


def test_each_threshold_mails_once_even_run_twice(app, certificates, outbox):
    in_50, in_10, in_200, expired = certificates
    first = reminders.send_renewal_reminders()
    second = reminders.send_renewal_reminders()
    assert first == {14: 1, 60: 1} and second == {14: 0, 60: 0}
    assert len(mails_to(outbox, in_50)) == 1 and len(mails_to(outbox, in_10)) == 1
    assert mails_to(outbox, in_200) == [] and mails_to(outbox, expired) == []
    db.session.expire_all()
    assert in_50.reminded_60_at is not None and in_50.reminded_14_at is None
    assert in_10.reminded_14_at is not None and in_10.reminded_60_at is not None  # the 60-day one counts as sent
    assert "10 days" in mails_to(outbox, in_10)[0]["Subject"] or "9 days" in mails_to(outbox, in_10)[0]["Subject"]


def test_the_14_day_reminder_follows_the_60_day_one(app, certificates, outbox):
    in_50 = certificates[0]
    reminders.send_renewal_reminders()
    later = now() + timedelta(days=40)  # 10 days before expiry
    assert reminders.send_renewal_reminders(now=later) == {14: 1, 60: 0}
    assert reminders.send_renewal_reminders(now=later + timedelta(days=1)) == {14: 0, 60: 0}
    assert len(mails_to(outbox, in_50)) == 2


def test_no_reminder_for_revoked_renewed_or_deleted(app, certificates, outbox):
    in_50, in_10, _, _ = certificates
    member = make_user()
    certs.revoke(in_50, "Mistake", member)
    certs.renew(in_10, member)
    assert reminders.send_renewal_reminders() == {14: 0, 60: 0}
    assert outbox == []


def test_reminder_in_the_holders_language(app, db_session, outbox):
    org = make_provider()
    _, _, enrolments = completed_course(org, learners=1, completed=1, preferred_language="ja")
    (cert,) = certs.issue(enrolments, make_user()).certificates
    cert.expires_at = now() + timedelta(days=30)
    db.session.flush()
    reminders.send_renewal_reminders()
    (mail,) = outbox
    assert mail["Content-Language"] == "ja" and "セル安全" in mail["Subject"] and "/ja/" in mail.get_content()


def test_the_command_is_registered(app, db_session):
    result = app.test_cli_runner().invoke(args=["send-renewal-reminders", "--help"])
    assert result.exit_code == 0 and "60 and 14 days" in result.output
