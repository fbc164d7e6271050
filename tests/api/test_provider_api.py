"""The provider endpoints: organisations, courses in every status, sessions read, created and changed through
the workspace's own form and services, and rosters; answers checked against the OpenAPI document's schemas."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import jsonschema
import pytest

from app.api.openapi import document
from app.catalog.models import CourseSession
from app.enrolment.services import decline, enrol
from app.platform.extensions import db
from app.providers.models import Membership
from tests.api.helpers import bearer, make_token
from tests.factories import make_client, make_course, make_provider, make_session_at, make_user, sign_in
from tests.workspace.helpers import audit, counts, local


def check(body, schema: str):
    """The body matches the named schema of the OpenAPI document (closed objects, enums, nullables)."""
    schemas = document()["components"]["schemas"]
    jsonschema.Draft202012Validator({"$ref": f"#/components/schemas/{schema}",
                                     "components": {"schemas": schemas}}).validate(body)
    return body


def new_session(**changes) -> dict:
    start = local(30, 9)
    data = {"starts_local": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_local": (start + timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M"),
            "timezone": "Europe/Berlin", "venue_city": "Berlin", "venue_country": "DE", "capacity": 20}
    data.update(changes)
    return data


def create(client, course, token: str, data: dict, **headers):
    return client.post(f"/api/v1/provider/courses/{course.id}/sessions", json=data, headers=bearer(token, **headers))


def session_of(course, days: int = 20, **kw) -> CourseSession:
    """A session starting on a whole minute, as the form makes them (a PATCH re-reads its local times)."""
    start = (datetime.now(UTC) + timedelta(days=days)).replace(second=0, microsecond=0)
    return make_session_at(course, start, tz="Europe/Berlin", **kw)


@pytest.fixture
def member():
    org = make_provider(name_en="Cell Academy", name_ja="セル学院", country="JP", city="Osaka")
    user = make_user("member", organisation=org)
    return org, user, make_token(user)


def test_organisations_with_my_role(client, member):
    org, user, token = member
    other = make_provider(name_en="AAA comes first")
    db.session.add(Membership(organisation_id=other.id, user_id=user.id, role="owner"))
    db.session.flush()
    body = client.get("/api/v1/provider/organisations", headers=bearer(make_token(user))).get_json()
    assert [(o["id"], o["role"]) for o in body["items"]] == [(other.id, "owner"), (org.id, "staff")]
    assert body["items"][1]["name"] == {"en": "Cell Academy", "ja": "セル学院"}
    for item in body["items"]:
        check(item, "ProviderOrganisation")
    for path in ("/api/v1/provider/organisations", "/api/v1/provider/courses"):
        etag = client.get(path, headers=bearer(token)).headers["ETag"]
        assert client.get(path, headers=bearer(token, **{"If-None-Match": etag})).status_code == 304, path


def test_courses_in_every_status_paginated(client, member):
    org, _user, token = member
    for status in ("draft", "pending_review", "published", "archived"):
        make_course(org, status=status, title_ja=f"電池{status}", sessions=0)
    make_course(make_provider())  # another organisation's
    response = client.get("/api/v1/provider/courses", headers=bearer(token))
    body = check(response.get_json(), "ManagedCoursePage")
    assert response.headers["Cache-Control"] == "private, no-cache"
    assert body["total"] == 4 and body["page"] == 1 and body["page_size"] == 20
    assert {c["status"] for c in body["items"]} == {"draft", "pending_review", "published", "archived"}
    assert body["counts"] == {"draft": 1, "pending_review": 1, "published": 1, "archived": 1}
    assert body["organisation"]["id"] == org.id and body["items"][0]["title"]["ja"].startswith("電池")
    drafts = client.get("/api/v1/provider/courses?status=draft", headers=bearer(token)).get_json()
    assert [c["status"] for c in drafts["items"]] == ["draft"] and drafts["total"] == 1
    past_end = client.get("/api/v1/provider/courses?page=3", headers=bearer(token)).get_json()
    assert past_end["items"] == [] and past_end["total"] == 4
    answers = {f"organisation={make_provider().id}": 404, "organisation=abc": 404, "status=secret": 400,
               "page=0": 400, f"organisation={org.id}": 200}
    for query, status in answers.items():
        assert client.get(f"/api/v1/provider/courses?{query}", headers=bearer(token)).status_code == status


def test_course_with_all_its_sessions(client, member):
    org, _user, token = member
    course = make_course(org, sessions=0)
    upcoming, past = session_of(course, 10, capacity=2), session_of(course, -10)
    cancelled = session_of(course, 5, status="cancelled")
    enrol(make_user(), upcoming)
    response = client.get(f"/api/v1/provider/courses/{course.id}", headers=bearer(token))
    body = check(response.get_json(), "ManagedCourseDetail")
    assert client.get(f"/api/v1/provider/courses/{course.id}",
                      headers=bearer(token, **{"If-None-Match": response.headers["ETag"]})).status_code == 304
    assert [s["id"] for s in body["sessions"]] == [past.id, cancelled.id, upcoming.id]
    shown = body["sessions"][2]
    assert shown["seats_taken"] == 1 and shown["seats_left"] == 1 and shown["enrolments"]["confirmed"] == 1
    assert body["next_session"]["id"] == upcoming.id and body["status"] == "published"
    assert body["can_manage_sessions"] and not body["locked"]
    listed = client.get(f"/api/v1/provider/courses/{course.id}/sessions", headers=bearer(token)).get_json()
    assert [s["id"] for s in listed["items"]] == [past.id, cancelled.id, upcoming.id]
    assert all(check(item, "ManagedSession") for item in listed["items"])
    one = check(client.get(f"/api/v1/provider/sessions/{past.id}", headers=bearer(token)).get_json(),
                "ManagedSession")
    assert one["values"]["timezone"] == "Europe/Berlin" and one["status"] == "scheduled"


def test_create_session_as_the_workspace_does(client, member):
    org, user, token = member
    course = make_course(org, delivery_mode="blended", sessions=0)
    start = local(40, 0) + timedelta(minutes=30)  # 00:30 in Tokyo is the previous day in UTC
    data = new_session(starts_local=start.strftime("%Y-%m-%dT%H:%M"), timezone="Asia/Tokyo",
                       ends_local=(start + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
                       venue_city="大阪", venue_country="JP", join_url="https://meet.example.com/abc",
                       requires_approval=True,
                       enrolment_deadline=(start - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"))
    response = create(client, course, token, data)
    assert response.status_code == 201, response.get_json()
    body = check(response.get_json(), "ManagedSession")
    saved = db.session.get(CourseSession, body["id"])
    assert saved.starts_at == start.replace(tzinfo=ZoneInfo("Asia/Tokyo")).astimezone(UTC)
    assert saved.starts_on == start.date() and saved.requires_approval and saved.capacity == 20
    # An older client's one venue_city lands in the language it is written in.
    assert body["values"] == {**data, "online": False, "venue_city_en": None, "venue_city_ja": "大阪",
                              "venue_address_en": None, "venue_address_ja": None}
    entry = audit("session.create")[-1]
    assert entry.actor_id == user.id and entry.detail["course_id"] == course.id
    # The new session is in the public course and in the workspace.
    public = client.get(f"/api/v1/courses/{course.id}").get_json()
    assert body["id"] in [s["id"] for s in public["sessions"]]
    browser = make_client(client.application)
    sign_in(browser, user)
    assert "大阪" in browser.get(f"/en/provider/courses/{course.id}").get_data(as_text=True)


def test_online_session_and_pending_course(client, member):
    org, _user, token = member
    course = make_course(org, status="pending_review", delivery_mode="online", sessions=0)
    body = create(client, course, token, new_session(online=True, venue_city=None, venue_country=None)).get_json()
    # A course waiting for review still takes sessions, as in the workspace.
    assert body["online"] and body["venue_country"] is None and body["status"] == "scheduled"


REFUSED = [
    ({"ends_local": local(30, 8).strftime("%Y-%m-%dT%H:%M")}, "ends_local"),
    ({"capacity": 0}, "capacity"), ({"capacity": 10**12}, "capacity"), ({"capacity": "20"}, "capacity"),
    ({"capacity": 2.5}, "capacity"), ({"capacity": True}, "capacity"),
    ({"timezone": "Mars/Olympus_Mons"}, "timezone"), ({"colour": "blue"}, "colour"),
    ({"online": "yes"}, "online"), ({"starts_local": "2027-1-5T09:00"}, "starts_local"),
    ({"starts_local": None}, "starts_local"), ({"starts_local": "2020-01-01T09:00",
                                               "ends_local": "2020-01-01T10:00"}, "starts_local"),
    ({"enrolment_deadline": local(31, 9).strftime("%Y-%m-%dT%H:%M")}, "enrolment_deadline"),
    ({"venue_country": None}, "venue_country"), ({"venue_country": "XX"}, "venue_country"),
    ({"online": True}, "online"), ({"join_url": "http://meet.example.com/"}, "join_url"),
    ({"venue_city": ["Berlin", "Bonn"]}, "venue_city"),
]


@pytest.mark.parametrize("changes, field", REFUSED)
def test_refused_values_change_nothing(client, member, changes, field):
    org, _user, token = member
    course = make_course(org, sessions=0)
    before = counts()
    response = create(client, course, token, new_session(**changes))
    body = check(response.get_json(), "Problem")
    assert response.status_code == 422 and body["code"] == "invalid" and field in body["errors"], body
    assert counts() == before


def test_bad_bodies_and_japanese_messages(client, member):
    org, _user, token = member
    course = make_course(org, sessions=0)
    path = f"/api/v1/provider/courses/{course.id}/sessions"
    before = counts()
    not_json = client.post(path, data="capacity=3", headers=bearer(token),
                           content_type="application/x-www-form-urlencoded")
    assert not_json.status_code == 415 and not_json.get_json()["code"] == "unsupported_media_type"
    for raw in ("[1, 2]", '"text"', "{broken"):
        answer = client.post(path, data=raw, headers=bearer(token), content_type="application/json")
        assert answer.status_code == 400 and answer.get_json()["code"] == "bad_json", raw
    late = local(30, 8).strftime("%Y-%m-%dT%H:%M")
    response = create(client, course, token, new_session(ends_local=late, capacity=0), **{"Accept-Language": "ja"})
    body = response.get_json()
    assert response.status_code == 422 and response.headers["Content-Language"] == "ja"
    assert body["errors"]["capacity"] == ["定員は1～10,000の範囲で入力してください。"]
    response = create(client, course, token, new_session(ends_local=late), **{"Accept-Language": "ja"})
    assert response.get_json()["errors"]["ends_local"] == ["終了日時は開始日時より後にしてください。"]
    assert counts() == before


def test_locked_course_or_session_is_a_conflict(client, member):
    org, _user, token = member
    archived = make_course(org, status="archived", sessions=0)
    response = create(client, archived, token, new_session())
    assert response.status_code == 409 and response.get_json()["code"] == "conflict" and archived.sessions == []
    session = session_of(make_course(org, sessions=0), status="cancelled")
    response = client.patch(f"/api/v1/provider/sessions/{session.id}", json={"capacity": 5}, headers=bearer(token))
    assert response.status_code == 409 and response.get_json()["code"] == "conflict"


def test_change_a_session_tells_its_learners(client, member, outbox):
    org, user, token = member
    outbox.clear()
    course = make_course(org, sessions=0)
    session = session_of(course, capacity=1)
    first, second = make_user(), make_user()
    enrol(first, session), enrol(second, session)  # the second waits for a seat
    path = f"/api/v1/provider/sessions/{session.id}"
    response = client.patch(path, json={"venue_city": "Hamburg", "capacity": 2}, headers=bearer(token))
    body = check(response.get_json(), "ManagedSession")
    assert response.status_code == 200 and body["venue_city"] == "Hamburg" and body["capacity"] == 2
    assert body["seats_taken"] == 2 and body["enrolments"] == {"confirmed": 2, "waitlisted": 0, "pending": 0}
    assert body["timezone"] == "Europe/Berlin" and body["starts_at"] == session.starts_at.isoformat()
    changed = audit("session.update")[-1]
    assert changed.actor_id == user.id and set(changed.detail["changed"]) == {"venue_city_en", "capacity"}
    assert {m["To"] for m in outbox} >= {first.email, second.email}  # moved; promoted
    # Nothing sent, nothing changed; below the seats taken is refused on its field.
    assert client.patch(path, json={}, headers=bearer(token)).status_code == 200
    assert len(audit("session.update")) == 1
    refused = client.patch(path, json={"capacity": 1}, headers=bearer(token))
    assert refused.status_code == 422 and "2 seats are already taken" in refused.get_json()["errors"]["capacity"][0]
    for bad in ({"capacity": 0}, {"timezone": "Nowhere/Here"}, {"seats_taken": 0}):
        assert client.patch(path, json=bad, headers=bearer(token)).status_code == 422, bad
    db.session.expire_all()
    assert db.session.get(CourseSession, session.id).capacity == 2


def test_roster_shows_what_the_page_shows(client, member):
    org, _user, token = member
    course = make_course(org, sessions=0)
    session = session_of(course, capacity=1, requires_approval=True)
    asked, refused = make_user(family_name="山田", given_name="太郎", family_name_latin="Yamada",
                               given_name_latin="Taro", name_order="family_first"), make_user()
    enrol(asked, session), decline(enrol(refused, session).enrolment, "Full this time")
    response = client.get(f"/api/v1/provider/sessions/{session.id}/roster", headers=bearer(token))
    body = check(response.get_json(), "Roster")
    first, last = body["items"]
    assert first["status"] == "pending" and first["name"] == {"en": "Yamada Taro", "ja": "山田太郎"}
    assert first["email"] == asked.email and first["note"] is None and first["certificate"] is None
    assert last["status"] == "declined" and last["note"] == "Full this time"
    assert body["session"]["enrolments"]["pending"] == 1 and body["started"] is False
    assert audit("roster.export")[-1].detail == {"format": "api", "rows": 2}


def test_who_may_call(client, member):
    org, _user, token = member
    draft = make_course(org, status="draft", sessions=0)
    published = make_course(org, sessions=0)
    session = session_of(draft)
    reads = [f"/api/v1/provider/courses/{draft.id}", f"/api/v1/provider/courses/{draft.id}/sessions",
             f"/api/v1/provider/sessions/{session.id}", f"/api/v1/provider/sessions/{session.id}/roster"]
    writes = [("post", f"/api/v1/provider/courses/{draft.id}/sessions"),
              ("patch", f"/api/v1/provider/sessions/{session.id}")]
    other, learner = make_token(make_user("member", organisation=make_provider())), make_token(make_user())
    read_only = make_token(make_user("owner", organisation=org), ["provider:read"])
    for path in reads + ["/api/v1/provider/courses", "/api/v1/provider/organisations"]:
        assert client.get(path).status_code == 401, path
        assert client.get(path, headers=bearer(learner)).get_json()["code"] == "insufficient_scope", path
        assert client.get(path, headers=bearer(read_only)).status_code == 200, path
    for path in reads:
        assert client.get(path, headers=bearer(other)).status_code == 404, path
    before = counts()
    for method, path in writes:
        answers = [getattr(client, method)(path, json=new_session(), headers=headers)
                   for headers in ({}, bearer(learner), bearer(read_only), bearer(other))]
        assert [a.status_code for a in answers] == [401, 403, 403, 404], path
        assert answers[2].get_json()["code"] == "insufficient_scope"
    assert counts() == before
    # Another organisation's published course can be seen in the catalogue, not changed: 403 as in the workspace.
    assert client.get(f"/api/v1/provider/courses/{published.id}", headers=bearer(other)).status_code == 403
    for method, path in (("get", "/courses/2147483647"), ("get", "/sessions/abc"), ("patch", "/sessions/2147483648"),
                         ("post", "/courses/99999999999999999999/sessions"), ("get", "/sessions/0/roster")):
        assert getattr(client, method)("/api/v1/provider" + path, headers=bearer(token)).status_code == 404, path


@pytest.mark.parametrize("listing", ["courses", "roster"])
def test_list_query_count_is_constant(client, member, count_queries, listing):
    org, _user, token = member
    session = session_of(make_course(org, sessions=0), capacity=1)
    path = f"/api/v1/provider/sessions/{session.id}/roster" if listing == "roster" else "/api/v1/provider/courses"
    counted = []
    for n in (2, 18):
        for _ in range(n):
            if listing == "roster":
                enrol(make_user(), session)
            else:
                make_course(org, skills=("recycling",), languages=("en", "ja"), sessions=2)
        client.get("/api/v1/provider/organisations", headers=bearer(token))  # a token's first use is a write
        with count_queries() as counter:
            body = client.get(path, headers=bearer(token)).get_json()
        counted.append(counter.count)
    assert counted[0] == counted[1] and len(body["items"]) == 20
    if listing == "roster":
        assert [(e["status"], e["waitlist_position"]) for e in body["items"][:3]] == [
            ("confirmed", None), ("waitlisted", 1), ("waitlisted", 2)]


def test_session_venue_in_both_languages_and_the_old_one_field_city(client, member):
    org, _user, token = member
    course = make_course(org, delivery_mode="in_person", sessions=0)
    venue = {"venue_city_en": "Kobe", "venue_city_ja": "神戸", "venue_address_en": "6-9-1 Minatojima-nakamachi",
             "venue_address_ja": "兵庫県神戸市中央区港島中町6-9-1", "venue_country": "JP"}
    body = create(client, course, token, new_session(**venue)).get_json()
    assert {name: body["values"][name] for name in venue} == venue
    public = client.get(f"/api/v1/courses/{course.id}").get_json()["sessions"][0]
    assert public["venue_city_ja"] == "神戸" and public["venue_address_en"] == "6-9-1 Minatojima-nakamachi"
    assert public["venue_city"] == "Kobe"  # the one-field city older clients read
    path = f"/api/v1/provider/sessions/{body['id']}"
    changed = client.patch(path, json={"venue_city": "大阪"}, headers=bearer(token)).get_json()
    assert (changed["values"]["venue_city_en"], changed["values"]["venue_city_ja"]) == (None, "大阪")
    assert changed["values"]["venue_address_ja"] == "兵庫県神戸市中央区港島中町6-9-1"
    refused = client.patch(path, json={"venue_address_en": "x" * 301}, headers=bearer(token))
    assert refused.status_code == 422 and "venue_address_en" in refused.get_json()["errors"]
