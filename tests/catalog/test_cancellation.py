"""Cancellation terms (issue 14, point 4): the pure fee rule billing applies, the provider's course form
(EN/JA text and the rule, validated), and where learners read them (course page, booking summary)."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.catalog.cancellation import CancellationRule, cancellation_fee
from app.catalog.models import Course
from app.platform.extensions import db
from tests.factories import make_course, make_provider, make_session, make_user, sign_in
from tests.workspace.helpers import course_data

START = datetime(2026, 12, 21, 8, 0, tzinfo=UTC)
RULE = CancellationRule(free_days=14, fee_percent=50)


@pytest.mark.parametrize("cancelled_at, fee", [
    (START - timedelta(days=30), 0),
    (START - timedelta(days=14), 0),  # up to and including the moment N days before
    (START - timedelta(days=14) + timedelta(seconds=1), 60_000),
    (START - timedelta(hours=1), 60_000),
    (START + timedelta(hours=1), 60_000),  # after the start (a no-show): the same fee
])
def test_fee_is_free_until_n_days_before_then_the_percentage(cancelled_at, fee):
    assert cancellation_fee(RULE, 120_000, START, cancelled_at) == fee


def test_fee_edge_cases():
    late = START - timedelta(hours=1)
    assert cancellation_fee(None, 120_000, START, late) == 0  # no rule stated
    assert cancellation_fee(RULE, None, START, late) == 0  # a free course
    assert cancellation_fee(CancellationRule(0, 100), 150_000, START, START - timedelta(seconds=1)) == 0
    assert cancellation_fee(CancellationRule(0, 100), 150_000, START, START + timedelta(seconds=1)) == 150_000
    assert cancellation_fee(CancellationRule(7, 0), 150_000, START, late) == 0
    assert cancellation_fee(CancellationRule(7, 15), 333, START, late) == 50  # 49.95 rounds half up
    assert cancellation_fee(CancellationRule(7, 50), 1, START, late) == 1  # 0.5 of the smallest unit: 1
    assert cancellation_fee(CancellationRule(7, 250), 1000, START, late) == 1000  # never above the price


def _member(client):
    org = make_provider()
    sign_in(client, make_user("member", organisation=org))
    return org


def _latest(org) -> Course:
    db.session.expire_all()
    return db.session.scalars(sa.select(Course).where(Course.provider_id == org.id).order_by(Course.id.desc())).first()


def test_the_course_form_stores_the_terms_and_shows_them_again(client):
    org = _member(client)
    page = client.get("/en/provider/courses/new").get_data(as_text=True)
    assert 'name="cancellation_terms_en"' in page and 'name="cancel_free_days"' in page
    data = course_data(cancellation_terms_en="Free until two weeks before.", cancellation_terms_ja="2週間前まで無料。",
                       cancel_free_days="14", cancel_fee_percent="50")
    assert client.post("/en/provider/courses/new", data=data).status_code == 302
    course = _latest(org)
    assert (course.cancel_free_days, course.cancel_fee_percent) == (14, 50)
    assert course.cancellation_terms_ja == "2週間前まで無料。"
    edit = client.get(f"/en/provider/courses/{course.id}/edit").get_data(as_text=True)
    assert 'value="14"' in edit and "Free until two weeks before." in edit


@pytest.mark.parametrize("days, percent, message", [
    ("366", "10", "from 0 to 365"), ("-1", "10", "from 0 to 365"), ("7", "101", "from 0 to 100"),
    ("7", "-5", "from 0 to 100"), ("7", "", "or neither"), ("", "20", "or neither"), ("x", "10", ""),
])
def test_bad_rules_are_refused_and_change_nothing(client, days, percent, message):
    org = _member(client)
    response = client.post("/en/provider/courses/new",
                           data=course_data(cancel_free_days=days, cancel_fee_percent=percent))
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert _latest(org) is None


def test_bad_rules_are_refused_in_japanese_too(client):
    _member(client)
    response = client.post("/ja/provider/courses/new", data=course_data(cancel_free_days="400", cancel_fee_percent="5"))
    assert response.status_code == 400 and "0から365までの日数を入力してください。" in response.get_data(as_text=True)


def test_course_page_and_booking_summary_show_the_terms(client, app):
    course = make_course(title_en="Cell assembly", price_amount=120000, currency="EUR",
                         cancellation_terms_en="Write to us to cancel.", cancellation_terms_ja="キャンセルはメールで。",
                         cancel_free_days=14, cancel_fee_percent=50, sessions=[make_session(days_ahead=30)])
    for lang, words in (("en", ["Write to us to cancel.", "until 14 days before the start", "50% of the price"]),
                        ("ja", ["キャンセルはメールで。", "開始の14日前までは無料", "50%"])):
        page = client.get(f"/{lang}/courses/{course.id}").get_data(as_text=True)
        assert all(w in page for w in words), lang
    sign_in(client, make_user())
    summary = client.get(f"/en/sessions/{course.sessions[0].id}/enrol").get_data(as_text=True)
    for words in ("Check your booking", "Cell assembly", "€1,200.00", "Write to us to cancel.",
                  "until 14 days before the start"):
        assert words in summary


