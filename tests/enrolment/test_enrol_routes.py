"""Enrolling from the course page: states shown, consent, bad input, pressing twice, the page cache."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.accounts.models import Consent, ConsentKind
from app.catalog.queries import catalogue_version
from app.enrolment import services
from app.enrolment.models import Enrolment
from app.enrolment.models import EnrolmentStatus as S
from app.legal import CONSENT_VERSION
from app.platform.extensions import db
from tests.factories import make_client, make_course, make_session, make_user, now, sign_in


def consenting_learner(**kw):
    user = make_user(**kw)
    db.session.add(Consent(user_id=user.id, kind=ConsentKind.SHARE_WITH_PROVIDERS, version=CONSENT_VERSION))
    db.session.flush()
    return user


def enrolments(session_id: int) -> list[Enrolment]:
    return list(db.session.scalars(sa.select(Enrolment).where(Enrolment.session_id == session_id)
                                   .order_by(Enrolment.id)).all())


def seats(session_id: int) -> int:
    return db.session.execute(sa.text("SELECT seats_taken FROM course_session WHERE id = :id"),
                              {"id": session_id}).scalar_one()


@pytest.fixture
def course(db_session):
    return make_course(sessions=[make_session(capacity=2)], title_en="Cell assembly")


def enrol(client, session_id, **data):
    return client.post(f"/en/sessions/{session_id}/enrol", data=data)


def test_anonymous_reader_is_sent_to_sign_in_and_back(client, course):
    s = course.sessions[0]
    page = client.get(f"/en/courses/{course.id}").get_data(as_text=True)
    assert "Sign in to enrol" in page and f"next=/en/courses/{course.id}" in page.replace("%2F", "/")
    response = enrol(client, s.id)
    assert response.status_code == 302
    assert "/account/sign-in" in response.headers["Location"]
    assert f"/en/courses/{course.id}" in response.headers["Location"].replace("%2F", "/")
    assert enrolments(s.id) == []


def test_enrol_confirms_and_mails_and_the_page_shows_it(client, course, outbox):
    s = course.sessions[0]
    learner = consenting_learner()
    sign_in(client, learner)
    outbox.clear()
    response = enrol(client, s.id)
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/en/courses/{course.id}#main")
    [e] = enrolments(s.id)
    assert e.status == S.CONFIRMED and e.learner_id == learner.id and seats(s.id) == 1
    assert len(outbox) == 1 and outbox[0]["To"] == learner.email and "confirmed" in outbox[0]["Subject"]
    page = client.get(f"/en/courses/{course.id}").get_data(as_text=True)
    assert "You are enrolled: your place is confirmed" in page  # the flash
    assert "You are enrolled" in page and f"/en/sessions/{s.id}/enrol" not in page


def test_pressing_twice_gives_one_enrolment_and_one_mail(client, course, outbox):
    s = course.sessions[0]
    sign_in(client, consenting_learner())
    outbox.clear()
    assert enrol(client, s.id).status_code == 303
    second = enrol(client, s.id)
    assert second.status_code == 303
    assert len(enrolments(s.id)) == 1 and seats(s.id) == 1
    assert len(outbox) == 1
    assert "already have a confirmed place" in client.get(second.headers["Location"]).get_data(as_text=True)


def test_full_session_waitlists_with_position(client, course):
    s = course.sessions[0]
    for _ in range(2):
        services.enrol(make_user(), s)
    services.enrol(make_user(), s)  # number 1 on the waitlist
    learner = consenting_learner()
    sign_in(client, learner)
    page = client.get(f"/en/courses/{course.id}").get_data(as_text=True)
    assert "Full" in page and "Join the waitlist" in page
    response = enrol(client, s.id)
    assert "you are on the waitlist, number 2" in client.get(response.headers["Location"]).get_data(as_text=True)
    page = client.get(f"/en/courses/{course.id}").get_data(as_text=True)
    assert "On the waitlist: number 2" in page


def test_approval_session_gives_a_pending_request(client, db_session):
    course = make_course(sessions=[make_session(capacity=5, requires_approval=True)])
    s = course.sessions[0]
    sign_in(client, consenting_learner())
    page = client.get(f"/en/courses/{course.id}").get_data(as_text=True)
    assert "Ask for a seat" in page and "Provider approves each enrolment" in page
    enrol(client, s.id)
    [e] = enrolments(s.id)
    assert e.status == S.PENDING and seats(s.id) == 1
    assert "Request pending" in client.get(f"/en/courses/{course.id}").get_data(as_text=True)


def test_without_consent_the_box_is_required_and_nothing_is_saved(client, course):
    s = course.sessions[0]
    learner = make_user()
    sign_in(client, learner)
    page = client.get(f"/en/sessions/{s.id}/enrol").get_data(as_text=True)  # the booking summary asks
    assert 'name="consent"' in page and "Share my name, email and country with" in page and "required" in page
    response = enrol(client, s.id)
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/en/sessions/{s.id}/enrol")
    assert "Please tick the box" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert enrolments(s.id) == []
    enrol(client, s.id, consent="y")
    assert len(enrolments(s.id)) == 1
    consent = db.session.scalars(sa.select(Consent).where(Consent.user_id == learner.id)).one()
    assert consent.kind == ConsentKind.SHARE_WITH_PROVIDERS and consent.version == CONSENT_VERSION
    # Given once, the box is not asked again.
    other = make_course(sessions=1)
    assert 'name="consent"' not in client.get(f"/en/sessions/{other.sessions[0].id}/enrol").get_data(as_text=True)


@pytest.mark.parametrize("state", ["cancelled", "closed", "started", "unpublished"])
def test_sessions_that_are_not_open_refuse_with_a_message(client, db_session, state):
    kw = {"cancelled": dict(status="cancelled"),
          "closed": dict(enrolment_deadline=now() - timedelta(hours=1)),
          "started": dict(days_ahead=-0.01)}.get(state, {})
    course = make_course(sessions=[make_session(**kw)], status="archived" if state == "unpublished" else "published")
    s = course.sessions[0]
    learner = consenting_learner()
    sign_in(client, learner)
    response = enrol(client, s.id, consent="y")
    if state == "unpublished":
        assert response.status_code == 404
    else:
        assert response.status_code == 303
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        assert "not open for enrolment" in page or "has closed" in page
    assert enrolments(s.id) == [] and seats(s.id) == 0


def test_unknown_session_is_404(client, db_session):
    sign_in(client, consenting_learner())
    assert enrol(client, 987654).status_code == 404
    assert enrol(client, 2**40).status_code == 404


def test_join_link_only_for_confirmed_learners(client, db_session):
    link = "https://meet.example.com/secret-room-42"
    course = make_course(sessions=[make_session(online=True, join_url=link, capacity=1)])
    s = course.sessions[0]
    confirmed, waiting = consenting_learner(), consenting_learner()
    services.enrol(confirmed, s)
    services.enrol(waiting, s)
    assert link not in client.get(f"/en/courses/{course.id}").get_data(as_text=True)  # anonymous
    for user, shown in ((waiting, False), (make_user(), False), (confirmed, True)):
        c = make_client(client.application)
        sign_in(c, user)
        assert (link in c.get(f"/en/courses/{course.id}").get_data(as_text=True)) is shown


def test_japanese_page_and_flash(client, course):
    s = course.sessions[0]
    sign_in(client, consenting_learner(preferred_language="ja"))
    response = client.post(f"/ja/sessions/{s.id}/enrol")
    assert response.headers["Location"].startswith(f"/ja/courses/{course.id}")


# --- the shared page cache -------------------------------------------------------------------

@pytest.fixture
def page_cache(app, monkeypatch):
    from contextlib import contextmanager

    from app.platform import cache

    @contextmanager
    def in_test_transaction():
        yield db.session.connection()
        db.session.commit()

    monkeypatch.setitem(app.config, "PAGE_CACHE_SECONDS", 60)
    monkeypatch.setitem(app.config, "REDIS_URL", None)
    monkeypatch.delitem(app.extensions, "btb_redis", raising=False)
    monkeypatch.setattr(cache, "_writer", in_test_transaction)


def test_signed_in_pages_never_enter_the_cache_and_anonymous_ones_hold_nothing_personal(app, page_cache):
    link = "https://meet.example.com/private"
    course = make_course(sessions=[make_session(online=True, join_url=link)])
    learner = consenting_learner(given_name="Hanako")
    services.enrol(learner, course.sessions[0])
    signed_in = make_client(app)
    sign_in(signed_in, learner)
    mine = signed_in.get(f"/en/courses/{course.id}").get_data(as_text=True)
    assert link in mine and "csrf_token" in mine
    anonymous = make_client(app).get(f"/en/courses/{course.id}").get_data(as_text=True)
    again = make_client(app).get(f"/en/courses/{course.id}")
    assert again.headers.get("ETag")  # served from the cache
    for page in (anonymous, again.get_data(as_text=True)):
        assert link not in page and "csrf_token" not in page and "You are enrolled" not in page
        assert "Hanako" not in page and "Sign in to enrol" in page


def test_a_session_turning_full_refreshes_cached_pages_a_count_change_does_not(app, page_cache):
    course = make_course(sessions=[make_session(capacity=2)])
    s = course.sessions[0]
    url = f"/en/courses/{course.id}"
    assert "2 of 2 left" in make_client(app).get(url).get_data(as_text=True)
    version = catalogue_version()
    first = make_client(app)
    sign_in(first, consenting_learner())
    enrol(first, s.id)
    assert catalogue_version() == version  # 2 -> 1 left: the cached page may live out its minutes
    assert "2 of 2 left" in make_client(app).get(url).get_data(as_text=True)
    second = make_client(app)
    sign_in(second, consenting_learner())
    enrol(second, s.id)
    assert catalogue_version() == version + 1  # now full: every cached page is stale
    page = make_client(app).get(url).get_data(as_text=True)
    assert "Full" in page and "of 2 left" not in page
    # a cancellation that frees a seat (nobody waiting) makes it bookable again at once
    taken = db.session.scalars(sa.select(Enrolment).where(Enrolment.session_id == s.id)).first()
    c = make_client(app)
    sign_in(c, taken.learner)
    assert c.post(f"/en/me/enrolments/{taken.id}/cancel").status_code == 303
    assert catalogue_version() == version + 2
    assert "1 of 2 left" in make_client(app).get(url).get_data(as_text=True)
