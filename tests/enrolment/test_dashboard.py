"""The learner's dashboard: groups, positions, both time zones, cancelling, permissions, query count."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.enrolment import services
from app.enrolment.models import Enrolment
from app.enrolment.models import EnrolmentStatus as S
from app.platform.extensions import db
from tests.factories import make_client, make_course, make_session, make_session_at, make_user, now, sign_in


def dashboard(client, lang="en") -> str:
    response = client.get(f"/{lang}/me/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_anonymous_is_sent_to_sign_in(client, db_session):
    for method, path in (("GET", "/en/me/"), ("POST", "/en/me/enrolments/1/cancel"),
                         ("GET", "/en/me/enrolments/1.ics")):
        response = client.open(path, method=method)
        assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"]


def test_empty_state_links_to_the_catalogue(client, db_session):
    sign_in(client, make_user())
    page = dashboard(client)
    assert "not enrolled in any session yet" in page and 'href="/en/courses"' in page
    assert "/ja/courses" in dashboard(client, "ja")


def test_groups_positions_and_outcomes(client, db_session):
    learner = make_user()
    full = make_course(sessions=[make_session(capacity=1)], title_en="Full course").sessions[0]
    services.enrol(make_user(), full)
    services.enrol(make_user(), full)
    open_ = make_course(sessions=[make_session(capacity=5)], title_en="Open course").sessions[0]
    approval = make_course(sessions=[make_session(requires_approval=True)], title_en="Approval course").sessions[0]
    past_course = make_course(sessions=[], title_en="Past course")
    past = make_session_at(past_course, now() - timedelta(days=10))
    declined = make_course(sessions=[make_session(requires_approval=True)], title_en="Declined course").sessions[0]
    waiting = services.enrol(learner, full).enrolment
    services.enrol(learner, open_)
    services.enrol(learner, approval)
    services.decline(services.enrol(learner, declined).enrolment, "Bring a safety certificate")
    done = Enrolment(session_id=past.id, learner_id=learner.id, status=S.COMPLETED, outcome_at=now())
    db.session.add(done)
    db.session.flush()
    sign_in(client, learner)
    page = dashboard(client)
    sections = {title: page.index(title) for title in
                ("Upcoming sessions", "On the waitlist", "Waiting for the provider", "Cancelled and declined",
                 "Past sessions")}
    assert list(sections.values()) == sorted(sections.values())
    assert "Open course" in page[sections["Upcoming sessions"]:sections["On the waitlist"]]
    waitlist = page[sections["On the waitlist"]:sections["Waiting for the provider"]]
    assert "Full course" in waitlist and "Waitlist: number 2" in waitlist and "Leave the waitlist" in waitlist
    assert waiting.id and "Approval course" in page[sections["Waiting for the provider"]:]
    assert "Bring a safety certificate" in page
    assert "Past course" in page[sections["Past sessions"]:] and "Completed" in page[sections["Past sessions"]:]
    assert "Add to calendar" in page and "Cancel my place in this session" in page


def test_dates_in_the_session_zone_and_the_learners_own(client, db_session):
    start = datetime(now().year + 1, 1, 15, 9, 0, tzinfo=UTC)
    course = make_course(sessions=[])
    s = make_session_at(course, start, tz="Europe/Berlin")
    tokyo, berlin = make_user(timezone="Asia/Tokyo"), make_user(timezone="Europe/Berlin")
    for learner in (tokyo, berlin):
        services.enrol(learner, s)
    c = make_client(client.application)
    sign_in(c, tokyo)
    page = dashboard(c)
    assert "10:00–18:00 (Central European Standard Time)" in page
    assert "10:00–18:00 (Central European Standard Time) · Japan Standard Time: 18:00–next day 02:00" in page
    c = make_client(client.application)
    sign_in(c, berlin)
    assert "Japan Standard Time" not in dashboard(c)


def test_cancel_frees_the_seat_promotes_and_mails(client, db_session, outbox):
    s = make_course(sessions=[make_session(capacity=1)]).sessions[0]
    learner, next_in_line = make_user(), make_user()
    mine = services.enrol(learner, s).enrolment
    queued = services.enrol(next_in_line, s).enrolment
    sign_in(client, learner)
    outbox.clear()
    response = client.post(f"/en/me/enrolments/{mine.id}/cancel")
    assert response.status_code == 303 and response.headers["Location"].endswith("/en/me/")
    db.session.expire_all()
    assert mine.status == S.CANCELLED and queued.status == S.CONFIRMED
    [mail] = outbox
    assert mail["To"] == next_in_line.email and "A seat has come free" in mail["Subject"]
    assert "Your enrolment has been cancelled" in dashboard(client)


def test_cannot_cancel_after_the_start(client, db_session):
    course = make_course(sessions=[])
    s = make_session_at(course, now() - timedelta(hours=1))
    learner = make_user()
    e = Enrolment(session_id=s.id, learner_id=learner.id, status=S.CONFIRMED)
    db.session.add(e)
    db.session.flush()
    sign_in(client, learner)
    response = client.post(f"/en/me/enrolments/{e.id}/cancel")
    assert response.status_code == 303
    assert "can no longer be cancelled" in dashboard(client)
    db.session.expire_all()
    assert e.status == S.CONFIRMED


def test_another_learners_enrolment_is_404(client, db_session):
    s = make_course(sessions=[make_session()]).sessions[0]
    theirs = services.enrol(make_user(), s).enrolment
    sign_in(client, make_user())
    assert client.post(f"/en/me/enrolments/{theirs.id}/cancel").status_code == 404
    assert client.get(f"/en/me/enrolments/{theirs.id}.ics").status_code == 404
    assert client.post("/en/me/enrolments/999999/cancel").status_code == 404
    db.session.expire_all()
    assert theirs.status == S.CONFIRMED


def _statements(client, count_queries) -> int:
    dashboard(client)
    with count_queries() as counter:
        dashboard(client)
    return counter.count


@pytest.mark.parametrize("lang", ["en"])
def test_query_count_is_the_same_for_2_and_20_enrolments(client, count_queries, db_session, lang):
    learner = make_user(timezone="Asia/Tokyo")
    providers_courses = [make_course(sessions=[make_session(capacity=1), make_session(days_ahead=60)])
                         for _ in range(20)]

    def add(courses):
        for course in courses:
            first, second = course.sessions
            if first.seats_taken == 0:
                services.enrol(make_user(), first)  # so ours is waitlisted
            services.enrol(learner, first)
            services.enrol(learner, second)

    add(providers_courses[:1])
    sign_in(client, learner)
    small = _statements(client, count_queries)
    add(providers_courses[1:10])
    large = _statements(client, count_queries)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Enrolment)
                             .where(Enrolment.learner_id == learner.id)) == 20
    assert small == large, (small, large)
    assert large <= 6
