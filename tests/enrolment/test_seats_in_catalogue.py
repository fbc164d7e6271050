"""Seats in catalogue results and on course pages, with no extra query per result."""
from __future__ import annotations

import re
from datetime import timedelta

from app.catalog.services import reindex_courses
from app.enrolment import services
from app.platform.extensions import db
from tests.factories import make_course, make_courses, make_provider, make_session, make_user, now


def cards(html: str) -> dict[str, str]:
    found = re.findall(r'<article class="card course-card">(.*?)</article>', html, re.S)
    return {re.search(r"<h3><a [^>]*>([^<]+)</a>", c).group(1): c for c in found}


def test_cards_show_seats_full_and_closed(client, db_session):
    provider = make_provider()
    make_course(provider, title_en="Three left", sessions=[make_session(capacity=5, seats_taken=2)])
    make_course(provider, title_en="One left", sessions=[make_session(capacity=1)])
    full = make_course(provider, title_en="Full one", sessions=[make_session(capacity=1)])
    services.enrol(make_user(), full.sessions[0])
    make_course(provider, title_en="Closed one",
                sessions=[make_session(enrolment_deadline=now() - timedelta(hours=1))])
    html = client.get("/en/courses").get_data(as_text=True)
    shown = cards(html)
    assert "3 seats left" in shown["Three left"]
    assert "1 seat left" in shown["One left"]
    assert "Full — waitlist open" in shown["Full one"]
    assert "Enrolment closed" in shown["Closed one"]
    assert client.get("/ja/courses").status_code == 200


def test_course_page_shows_each_sessions_state(client, db_session):
    course = make_course(sessions=[make_session(capacity=3, seats_taken=1), make_session(capacity=1, days_ahead=40),
                                   make_session(days_ahead=50, enrolment_deadline=now() - timedelta(minutes=5))])
    services.enrol(make_user(), course.sessions[1])
    html = client.get(f"/en/courses/{course.id}").get_data(as_text=True)
    rows = re.findall(r"<tr>.*?</tr>", html, re.S)[1:]
    assert "2 of 3 left" in rows[0] and "Sign in to enrol" in rows[0]
    assert "Full" in rows[1] and "Join the waitlist for the next free seat" in rows[1]
    assert "Enrolment closed" in rows[2] and "Sign in to enrol" not in rows[2]


def _statements(client, count_queries, url) -> int:
    assert client.get(url).status_code == 200
    with count_queries() as counter:
        assert client.get(url).status_code == 200
    return counter.count


def test_catalogue_query_count_unchanged_from_10_to_40_courses(client, count_queries, db_session):
    providers = [make_provider() for _ in range(3)]
    make_courses(10, providers, reindex=False)
    reindex_courses(db.session.scalars(db.select(db.text("id")).select_from(db.text("course"))).all())
    urls = ["/en/courses", "/ja/courses?sort=newest", f"/en/providers/{providers[0].id}"]
    small = {url: _statements(client, count_queries, url) for url in urls}
    make_courses(30, providers, reindex=False)
    reindex_courses(db.session.scalars(db.select(db.text("id")).select_from(db.text("course"))).all())
    large = {url: _statements(client, count_queries, url) for url in urls}
    assert small == large
    assert len(cards(client.get("/en/courses").get_data(as_text=True))) == 20
