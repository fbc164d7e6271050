"""The token owner's own enrolments and certificates: theirs only, as /me shows them."""
from __future__ import annotations

from datetime import timedelta

from app.certifications import services as certificates
from app.enrolment.services import enrol, record_outcome
from tests.api.helpers import bearer, make_token
from tests.factories import finish_session, make_course, make_session, make_user, now


def _enrolled(learner, capacity: int = 5):
    course = make_course(title_ja="電池の安全", sessions=[make_session(capacity=capacity)])
    return enrol(learner, course.sessions[0]).enrolment


def test_my_enrolments_are_mine_only(client):
    me, other = make_user(), make_user()
    mine, theirs = _enrolled(me), _enrolled(other)
    token = make_token(me)
    body = client.get("/api/v1/me/enrolments", headers=bearer(token)).get_json()
    assert [e["id"] for e in body["items"]] == [mine.id]
    item = body["items"][0]
    assert item["status"] == "confirmed" and item["course"]["title"]["ja"] == "電池の安全"
    assert item["session"]["id"] == mine.session_id and item["waitlist_position"] is None
    assert client.get(f"/api/v1/me/enrolments/{mine.id}", headers=bearer(token)).status_code == 200
    # Another learner's enrolment is invisible, the same answer as an id that does not exist.
    response = client.get(f"/api/v1/me/enrolments/{theirs.id}", headers=bearer(token))
    assert response.status_code == 404 and response.get_json()["code"] == "not_found"
    assert client.get("/api/v1/me/enrolments/2147483647", headers=bearer(token)).status_code == 404


def test_waitlist_place_is_given(client):
    first, me = make_user(), make_user()
    full = _enrolled(first, capacity=1)
    waiting = enrol(me, full.session).enrolment
    body = client.get(f"/api/v1/me/enrolments/{waiting.id}", headers=bearer(make_token(me))).get_json()
    assert body["status"] == "waitlisted" and body["waitlist_position"] == 1


def test_my_certificates_public_or_not(client):
    me = make_user()
    course = make_course(certification="completion", validity_months=24, reindex=False,
                         sessions=[make_session(days_ahead=-2)])
    done = enrol(me, course.sessions[0], now=now() - timedelta(days=5)).enrolment
    record_outcome(done, True)
    finish_session(done.session)
    (certificate,) = certificates.issue([done], make_user("member", organisation=course.provider)).certificates
    body = client.get("/api/v1/me/certificates", headers=bearer(make_token(me))).get_json()
    assert [c["id"] for c in body["items"]] == [certificate.public_id]
    assert body["items"][0]["public"] is False and body["items"][0]["status"] == "valid"
    # Not public: the open verification endpoint does not know it.
    assert client.get(f"/api/v1/certificates/{certificate.public_id}").status_code == 404
    other = client.get("/api/v1/me/certificates", headers=bearer(make_token(make_user()))).get_json()
    assert other["items"] == []


def test_enrolment_list_query_count_is_constant(client, count_queries):
    me = make_user()
    token = make_token(me)

    def run() -> int:
        with count_queries() as counter:
            assert client.get("/api/v1/me/enrolments", headers=bearer(token)).status_code == 200
        return counter.count

    for _ in range(2):
        _enrolled(me)
    run()  # the first use of a token also records when it was used
    few = run()
    for _ in range(12):
        _enrolled(me)
    assert run() == few
