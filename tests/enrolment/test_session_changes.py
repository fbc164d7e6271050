"""What the provider's session edits do to enrolments: cancel, move, grow; and who is told by mail."""
from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from app.catalog.models import CourseSession
from app.enrolment import services
from app.enrolment.models import Enrolment
from app.enrolment.models import EnrolmentStatus as S
from app.platform.extensions import db
from tests.factories import make_course, make_provider, make_session, make_user, sign_in
from tests.workspace.helpers import session_data


@pytest.fixture
def full_session(client):
    """A session of 2 seats: two confirmed, two waitlisted, one cancelled; the member is signed in."""
    org = make_provider()
    sign_in(client, make_user("member", organisation=org))
    course = make_course(org, sessions=[make_session(capacity=2)])
    session = course.sessions[0]
    # Whole minutes, as the edit form gives them: an untouched form then changes nothing.
    session.starts_at = session.starts_at.replace(second=0, microsecond=0)
    session.ends_at = session.ends_at.replace(second=0, microsecond=0)
    db.session.flush()
    people = [services.enrol(make_user(), session).enrolment for _ in range(5)]
    services.cancel(people[4])
    services.enrol(make_user(), session)  # a third on the waitlist
    return session, people


def fresh(session_id: int) -> CourseSession:
    db.session.expire_all()
    return db.session.get(CourseSession, session_id)


def statuses(session_id: int) -> dict[int, S]:
    db.session.expire_all()
    rows = db.session.execute(sa.select(Enrolment.id, Enrolment.status).where(Enrolment.session_id == session_id))
    return dict(rows.all())


def recipients(outbox) -> set[str]:
    return {m["To"] for m in outbox}


def edit_data(session: CourseSession, **changes) -> dict:
    """The session's current values as the edit form posts them, with `changes`."""
    zone = ZoneInfo(session.timezone)
    local = lambda value: value.astimezone(zone).strftime("%Y-%m-%dT%H:%M")  # noqa: E731
    data = session_data(starts_local=local(session.starts_at), ends_local=local(session.ends_at),
                        timezone=session.timezone, venue_city_en=session.venue_city_en or "",
                        venue_city_ja=session.venue_city_ja or "",
                        venue_country=session.venue_country, capacity=str(session.capacity))
    data.update(changes)
    return data


def test_cancelling_the_session_cancels_every_live_enrolment_and_mails_each(client, full_session, outbox):
    session, people = full_session
    live = people[:4]
    response = client.post(f"/en/provider/sessions/{session.id}/cancel")
    assert response.status_code == 302
    after = statuses(session.id)
    assert set(after.values()) == {S.CANCELLED} and len(after) == 6
    assert fresh(session.id).seats_taken == 0 and fresh(session.id).status == "cancelled"
    learners = {e.learner.email for e in live}
    assert learners <= recipients(outbox)
    assert people[4].learner.email not in recipients(outbox)  # had cancelled already
    assert len(outbox) == 5  # the four, and the sixth (waitlisted)


def test_cancelling_twice_changes_nothing_more(client, full_session, outbox):
    session, _ = full_session
    client.post(f"/en/provider/sessions/{session.id}/cancel")
    outbox.clear()
    page = client.post(f"/en/provider/sessions/{session.id}/cancel", follow_redirects=True)
    assert page.status_code == 200 and not outbox


def test_a_new_date_mails_confirmed_and_waitlisted_learners(client, full_session, outbox):
    session, people = full_session
    moved = session.starts_at + timedelta(days=7)
    zone = ZoneInfo(session.timezone)
    data = edit_data(session, starts_local=moved.astimezone(zone).strftime("%Y-%m-%dT%H:%M"),
                     ends_local=(moved + timedelta(hours=8)).astimezone(zone).strftime("%Y-%m-%dT%H:%M"))
    assert client.post(f"/en/provider/sessions/{session.id}/edit", data=data).status_code == 302
    assert fresh(session.id).starts_at == moved
    told = recipients(outbox)
    assert {e.learner.email for e in people[:4]} <= told and people[4].learner.email not in told
    assert len(outbox) == 5 and all(m["Subject"] for m in outbox)


def test_a_new_venue_is_told_too(client, full_session, outbox):
    session, _ = full_session
    client.post(f"/en/provider/sessions/{session.id}/edit", data=edit_data(session, venue_city_en="Munich"))
    assert fresh(session.id).venue_city == "Munich" and len(outbox) == 5


def test_an_unchanged_date_mails_nobody(client, full_session, outbox):
    session, _ = full_session
    response = client.post(f"/en/provider/sessions/{session.id}/edit", data=edit_data(session, capacity="2"))
    assert response.status_code == 302 and not outbox


def test_a_larger_capacity_promotes_the_first_waitlisted(client, full_session, outbox):
    session, people = full_session
    first, second = people[2], people[3]
    assert client.post(f"/en/provider/sessions/{session.id}/edit",
                       data=edit_data(session, capacity="3")).status_code == 302
    after = statuses(session.id)
    assert after[first.id] == S.CONFIRMED and after[second.id] == S.WAITLISTED
    assert fresh(session.id).seats_taken == 3
    assert recipients(outbox) == {first.learner.email}


def test_a_capacity_below_the_seats_taken_is_refused(client, full_session, outbox):
    session, _ = full_session
    response = client.post(f"/en/provider/sessions/{session.id}/edit", data=edit_data(session, capacity="1"))
    assert response.status_code == 400 and "already taken" in response.get_data(as_text=True)
    assert fresh(session.id).capacity == 2 and not outbox


def test_the_course_page_links_each_session_to_its_roster_with_counts(client, full_session):
    session, _ = full_session
    page = client.get(f"/en/provider/courses/{session.course_id}").get_data(as_text=True)
    assert f"/en/provider/sessions/{session.id}/roster" in page
    assert "2 confirmed · 3 waitlisted · 0 pending" in page
