"""Booking shows a summary first (issue 14, point 4): GET on a session's enrol address shows the session,
time, price and the cancellation terms, and books nothing; the POST books. After booking, the page opens
where its message is (on a phone, the session's row was further down and the message off screen). The
learner's cancel page says what cancelling costs under the terms."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.enrolment import services
from app.enrolment.models import Enrolment
from app.platform.extensions import db
from tests.factories import make_course, make_session, make_user, now, sign_in


def count(session_id: int) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Enrolment).where(Enrolment.session_id == session_id))


def test_the_course_page_links_to_the_summary_which_books_nothing(client):
    course = make_course(title_en="Cell assembly", price_amount=98000, currency="JPY",
                         sessions=[make_session(capacity=3)])
    s = course.sessions[0]
    sign_in(client, make_user())
    page = client.get(f"/en/courses/{course.id}").get_data(as_text=True)
    assert f'href="/en/sessions/{s.id}/enrol"' in page and f'action="/en/sessions/{s.id}/enrol"' not in page
    for lang, words in (("en", ["Check your booking", "Cell assembly", "¥98,000", "Your place is confirmed at once",
                                "no cancellation terms", f'action="/en/sessions/{s.id}/enrol"']),
                        ("ja", ["申込内容の確認", "￥98,000", "この内容で申し込む"])):
        response = client.get(f"/{lang}/sessions/{s.id}/enrol")
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert all(w in page for w in words), (lang, [w for w in words if w not in page])
    assert count(s.id) == 0


def test_the_summary_says_waitlist_or_approval(client):
    learner = make_user()
    full = make_course(sessions=[make_session(capacity=1)]).sessions[0]
    services.enrol(make_user(), full)
    asking = make_course(sessions=[make_session(requires_approval=True)]).sessions[0]
    sign_in(client, learner)
    page = client.get(f"/en/sessions/{full.id}/enrol").get_data(as_text=True)
    assert "you join the waitlist" in page and "Join the waitlist" in page
    page = client.get(f"/en/sessions/{asking.id}/enrol").get_data(as_text=True)
    assert "approves each enrolment" in page and "Ask for a seat" in page


def test_anonymous_closed_booked_and_unknown(client):
    course = make_course(sessions=[make_session(), make_session(enrolment_deadline=now() - timedelta(hours=1))])
    open_, closed = course.sessions
    response = client.get(f"/en/sessions/{open_.id}/enrol")
    assert response.status_code == 302 and f"next=/en/sessions/{open_.id}/enrol" in response.headers["Location"].replace("%2F", "/")
    learner = make_user()
    sign_in(client, learner)
    response = client.get(f"/en/sessions/{closed.id}/enrol")
    assert response.status_code == 303 and "has closed" in client.get(response.headers["Location"]).get_data(as_text=True)
    services.enrol(learner, open_)
    response = client.get(f"/en/sessions/{open_.id}/enrol")
    assert response.status_code == 303 and response.headers["Location"].endswith("#main")
    assert "already have a confirmed place" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert client.get("/en/sessions/987654/enrol").status_code == 404
    assert client.get(f"/en/sessions/{2**40}/enrol").status_code == 404
    assert count(open_.id) == 1


def test_after_booking_the_page_opens_at_its_message(client):
    s = make_course(sessions=[make_session()]).sessions[0]
    sign_in(client, make_user())
    response = client.post(f"/en/sessions/{s.id}/enrol", data={"consent": "y"})
    assert response.status_code == 303 and response.headers["Location"].endswith("#main")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    # the message is the first thing inside the target
    main = page[page.index('<main id="main"'):]
    assert main.index("You are enrolled: your place is confirmed") < main.index("<h1")


def test_cancelling_says_what_it_costs_under_the_terms(client):
    course = make_course(price_amount=120000, currency="EUR", cancel_free_days=14, cancel_fee_percent=50,
                         sessions=[make_session(days_ahead=5), make_session(days_ahead=40)])
    soon, later = course.sessions
    learner = make_user()
    sign_in(client, learner)
    late = services.enrol(learner, soon).enrolment
    early = services.enrol(learner, later).enrolment
    page = client.get(f"/en/me/enrolments/{late.id}/cancel").get_data(as_text=True)
    assert "Cancelling now costs €600.00 under these terms." in page
    page = client.get(f"/en/me/enrolments/{early.id}/cancel").get_data(as_text=True)
    assert "Cancelling now is free" in page
    assert "今ならキャンセル料はかかりません" in client.get(f"/ja/me/enrolments/{early.id}/cancel").get_data(as_text=True)
