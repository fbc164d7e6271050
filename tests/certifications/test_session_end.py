"""Certificates wait for the session's last day, and state the session's own hours (issue 14)."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.certifications.display import statement
from app.certifications.models import Certification
from app.enrolment import services as enrolment_services
from app.platform.extensions import db
from tests.factories import make_client, make_course, make_provider, make_session_at, make_user, now, sign_in


def _three_hour_session_begun(org):
    """A 3-hour session that began an hour ago, of a course that says 12 hours; one learner completed."""
    course = make_course(org, certification="completion", duration_hours=12, sessions=[])
    session = make_session_at(course, now() - timedelta(hours=1), hours=3, tz="Europe/Berlin")
    e = enrolment_services.enrol(make_user(), session, now=now() - timedelta(days=5)).enrolment
    enrolment_services.record_outcome(e, True)
    return session


def _certificates() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Certification))


def test_issuing_before_the_last_day_ends_is_refused_with_a_message(app):
    org = make_provider()
    session = _three_hour_session_begun(org)
    client = make_client(app)
    sign_in(client, make_user("member", organisation=org))
    before = _certificates()
    response = client.post(f"/en/provider/sessions/{session.id}/certificates", follow_redirects=True)
    assert response.status_code == 200
    assert "only after the session&#39;s last day has ended" in response.get_data(as_text=True)
    assert _certificates() == before
    ja = client.post(f"/ja/provider/sessions/{session.id}/certificates", follow_redirects=True)
    assert "最終日が終了してから" in ja.get_data(as_text=True) and _certificates() == before


def test_after_the_last_day_the_certificate_states_the_sessions_hours(app):
    org = make_provider()
    session = _three_hour_session_begun(org)
    session.starts_at, session.ends_at = now() - timedelta(hours=5), now() - timedelta(hours=2)
    db.session.flush()
    client = make_client(app)
    sign_in(client, make_user("member", organisation=org))
    client.post(f"/en/provider/sessions/{session.id}/certificates")
    cert = db.session.scalars(sa.select(Certification).where(Certification.session_id == session.id)).one()
    assert cert.facts["session"]["hours"] == "3" and cert.facts["course"]["hours"] == "12.0"
    with app.test_request_context("/en/"):
        assert statement(cert, "en", now()).hours == "3 hours"  # not the course's nominal 12


def test_a_future_session_with_nobody_completed_is_refused_not_reported_done(app):
    """The roster hides the button, but a replayed form must not be told everything was issued."""
    org = make_provider()
    course = make_course(org, certification="completion", sessions=[])
    future = make_session_at(course, now() + timedelta(days=30), hours=3, tz="Europe/Berlin")
    client = make_client(app)
    sign_in(client, make_user("member", organisation=org))
    page = client.post(f"/en/provider/sessions/{future.id}/certificates", follow_redirects=True).get_data(as_text=True)
    assert "only after the session&#39;s last day has ended" in page
    assert "already holds one" not in page


def test_a_past_session_with_nobody_completed_says_so(app):
    org = make_provider()
    course = make_course(org, certification="completion", sessions=[])
    past = make_session_at(course, now() - timedelta(days=3), hours=3, tz="Europe/Berlin")
    client = make_client(app)
    sign_in(client, make_user("member", organisation=org))
    page = client.post(f"/ja/provider/sessions/{past.id}/certificates", follow_redirects=True).get_data(as_text=True)
    assert "修了と記録された受講者がまだいない" in page and _certificates() == 0
