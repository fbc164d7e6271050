"""The audit service and the staff audit log page: filters, bad values, eager loading."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.audit.services import record
from app.platform.extensions import db
from tests.factories import make_provider, make_user, now, sign_in


def entry(action="course.update", object_type="course", object_id=1, actor=None, org=None, at=None, detail=None):
    e = AuditEntry(action=action, object_type=object_type, object_id=str(object_id), actor_id=actor.id if actor else None,
                   organisation_id=org.id if org else None, at=at or now(), detail=detail)
    db.session.add(e)
    db.session.flush()
    return e


def test_record_outside_a_request_has_no_actor(app):
    e = record("course.update", "course", 5, organisation_id=None, detail={"title_en": ["a", "b"]})
    db.session.flush()
    assert (e.actor_id, e.ip, e.object_id, e.detail) == (None, None, "5", {"title_en": ["a", "b"]})


def test_record_in_a_request_takes_the_signed_in_actor_and_address(app):
    user = make_user()
    with app.test_request_context("/en/", environ_base={"REMOTE_ADDR": "203.0.113.9"}):
        from flask_login import login_user

        login_user(user)
        e = record("person.view", "user", user.id)
    assert (e.actor_id, e.ip, e.object_id) == (user.id, "203.0.113.9", str(user.id))


def test_permissions(client):
    assert "/en/account/sign-in" in client.get("/en/staff/audit").headers["Location"]
    for role in ("learner", "owner"):
        sign_in(client, make_user(role))
        assert client.get("/en/staff/audit").status_code == 403
    for role in ("staff", "admin"):
        sign_in(client, make_user(role))
        assert client.get("/ja/staff/audit").status_code == 200


def ids_shown(text: str, entries) -> list[int]:
    return [e.id for e in entries if f"<code>{e.object_type} {e.object_id}</code>" in text]


def test_filters_and_newest_first(client):
    org = make_provider()
    alice, bob = make_user(email="alice@acme.example"), make_user(email="bob@other.example")
    old = entry("course.update", "course", 11, alice, org, at=now() - timedelta(days=10))
    new = entry("course.approve", "course", 12, bob, None, detail={"comment": "日本語の説明"})
    person = entry("person.view", "user", 13, bob)
    sign_in(client, make_user("staff"))
    text = client.get("/en/staff/audit").get_data(as_text=True)
    assert text.index("<code>user 13</code>") < text.index("<code>course 12</code>") < text.index("<code>course 11</code>")
    assert "日本語の説明" in text and "alice@acme.example" in text
    cases = {
        "actor=ACME": [old], "action=course": [old, new], "action=course.approve": [new],
        "object_type=user": [person], "object_type=course&object_id=12": [new],
        f"organisation={org.id}": [old],
        f"from={(now() - timedelta(days=11)).date()}&to={(now() - timedelta(days=9)).date()}": [old],
        f"from={now().date()}": [new, person],
        "actor=_": [], "actor=%25": [],
    }
    everything = [old, new, person]
    for query, expected in cases.items():
        text = client.get(f"/en/staff/audit?{query}").get_data(as_text=True)
        assert sorted(ids_shown(text, everything)) == sorted(e.id for e in expected), query


@pytest.mark.parametrize("query", [
    "organisation=abc", "organisation=-1", "organisation=99999999999999", "from=2024-13-45", "to=yesterday",
    "from=2025-05-01&to=2025-04-01", "actor=" + "a" * 300, "action=a%00b", "object_id=" + "9" * 65,
    "from=9999-12-31", "to=0001-01-01", "object_type=%F0%9F%94%8B",
])
def test_bad_filter_values_are_ignored_with_a_notice(client, query):
    entry()
    sign_in(client, make_user("staff"))
    response = client.get(f"/en/staff/audit?{query}")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    if "F0%9F" not in query:
        assert "could not be used and were ignored" in text


def test_bad_page_is_404(client):
    sign_in(client, make_user("staff"))
    assert client.get("/en/staff/audit?page=abc").status_code == 404
    assert client.get("/en/staff/audit?page=5").status_code == 404


def test_searching_by_actor_is_itself_audited(client):
    staff = make_user("staff")
    sign_in(client, staff)
    client.get("/en/staff/audit?actor=alice")
    e = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "audit.search"))
    assert e.actor_id == staff.id and e.detail == {"actor": "alice"}


def test_pagination_keeps_the_filters(client):
    actor = make_user()
    for i in range(55):
        entry("course.update", "course", i, actor)
    sign_in(client, make_user("staff"))
    text = client.get("/en/staff/audit?action=course.update").get_data(as_text=True)
    assert "page=2" in text and "action=course.update" in text.split("page=2")[0].rsplit('href="', 1)[1]


def test_query_count_is_constant(client, count_queries):
    sign_in(client, make_user("staff"))
    orgs = [make_provider() for _ in range(3)]

    def add(n):
        for i in range(n):
            entry("course.update", "course", i, make_user(), orgs[i % 3])

    def measure():
        with count_queries() as counter:
            assert client.get("/en/staff/audit").status_code == 200
        return counter.count

    add(3)
    few = measure()
    add(27)
    assert measure() == few


def test_actions_are_named_in_the_readers_language_with_their_code(app, db_session):
    from app.audit.labels import ACTIONS
    from app.audit.services import record
    from tests.factories import make_client, make_user, sign_in

    staff = make_user("staff")
    with app.test_request_context("/"):
        record("course.submit", "course", 1)
        record("something.new", "thing", 2)
    db_session.flush()
    client = make_client(app)
    sign_in(client, staff)
    english = client.get("/en/staff/audit").get_data(as_text=True)
    assert "Course submitted for review" in english and "<code>something.new</code>" in english
    japanese = client.get("/ja/staff/audit").get_data(as_text=True)
    assert "Course submitted for review" not in japanese and "<code>course.submit</code>" in japanese
    assert all(code.count(".") == 1 for code in ACTIONS)
