"""Property-based: whatever text arrives in the workspace forms, the answer is never a 500, and a form
shown again (invalid) has saved nothing."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.catalog.models import Course
from app.platform.extensions import db
from tests.factories import make_course, make_provider, make_session, make_user, sign_in
from tests.workspace.helpers import counts, course_data, session_data

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
COURSE_FIELDS = [
    "title_en", "title_ja", "summary_en", "summary_ja", "description_ja", "assessment_en", "kind", "audience",
    "eqf_level", "delivery_mode", "languages", "skill_areas", "duration_hours", "is_free", "price", "currency",
    "certification", "validity_months",
]
SESSION_FIELDS = [
    "starts_local", "ends_local", "timezone", "online", "venue_city_en", "venue_city_ja",
    "venue_address_en", "venue_address_ja", "venue_country", "join_url", "capacity",
    "enrolment_deadline", "requires_approval",
]
TRICKY = st.sampled_from([
    "", " ", "0", "-1", "1e9", "NaN", "Infinity", "1200.00", "１２００", "150,000", "EUR", "JPY", "USD", "training",
    "none", "assessed", "online", "9", "10001", "\x00", "a\x00b", "x" * 400, "🔋電池リサイクル", "Ｂａｔｔｅｒｙ",
    "2026-03-29T02:30", "9999-12-31T23:59", "0001-01-01T00:00", "Asia/Tokyo", "Etc/Nowhere", "JP", "ZZ",
    "https://example.com/x", "javascript:alert(1)", "<script>alert(1)</script>", "'; DROP TABLE course; --",
])
VALUE = st.one_of(st.text(max_size=60), TRICKY)


def outcome_ok(response, before, after, added: int) -> None:
    assert response.status_code in (200, 302, 400, 409), response.status_code
    if response.status_code == 302:
        assert after[0] - before[0] in (0, 1) and after[1] - before[1] in (0, added)
    else:
        assert after == before


def test_course_form_never_fails(client):
    org = make_provider()
    sign_in(client, make_user("member", organisation=org))

    @SETTINGS
    @given(changes=st.dictionaries(st.sampled_from(COURSE_FIELDS), VALUE, max_size=6))
    def run(changes):
        before = counts()
        response = client.post("/en/provider/courses/new", data=course_data(**changes))
        outcome_ok(response, before, counts(), 0)

    run()


def test_course_edit_never_fails_and_invalid_changes_nothing(client):
    org = make_provider()
    sign_in(client, make_user("member", organisation=org))
    course = make_course(org, title_en="Stable title")

    @SETTINGS
    @given(changes=st.dictionaries(st.sampled_from(COURSE_FIELDS), VALUE, min_size=1, max_size=6))
    def run(changes):
        db.session.expire_all()
        title = db.session.get(Course, course.id).title_en
        before = counts()
        response = client.post(f"/ja/provider/courses/{course.id}/edit", data=course_data(**changes))
        after = counts()
        assert response.status_code in (200, 302, 400), response.status_code
        if response.status_code != 302:
            db.session.expire_all()
            assert db.session.get(Course, course.id).title_en == title and after == before

    run()


def test_session_forms_never_fail(client):
    org = make_provider()
    sign_in(client, make_user("member", organisation=org))
    course = make_course(org, delivery_mode="blended", sessions=0)
    existing = make_session(course)

    @SETTINGS
    @given(changes=st.dictionaries(st.sampled_from(SESSION_FIELDS), VALUE, max_size=5), edit=st.booleans())
    def run(changes, edit):
        before = counts()
        url = (f"/en/provider/sessions/{existing.id}/edit" if edit
               else f"/en/provider/courses/{course.id}/sessions/new")
        response = client.post(url, data=session_data(**changes))
        outcome_ok(response, before, counts(), 0 if edit else 1)

    run()
