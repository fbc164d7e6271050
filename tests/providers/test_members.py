"""Owners add and remove members of their organisation; others read the list or get a 404."""
from __future__ import annotations

import difflib
import re

import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.platform.extensions import db
from app.providers.models import MemberRole, Membership
from tests.factories import make_provider, make_user, sign_in


def members(org) -> dict[int, str]:
    rows = db.session.execute(sa.select(Membership.user_id, Membership.role).where(Membership.organisation_id == org.id))
    return {user_id: role for user_id, role in rows}


def url(org, action=""):
    return f"/en/provider/members/{org.id}{action}"


def test_permissions(client):
    org, other = make_provider(), make_provider()
    owner = make_user("owner", organisation=org)
    staff = make_user("member", organisation=org)
    stranger = make_user("owner", organisation=other)
    assert client.get(url(org)).status_code == 302  # anonymous → sign-in
    sign_in(client, make_user())
    assert client.get(url(org)).status_code == 404
    assert client.get("/en/provider/members").status_code == 404
    sign_in(client, stranger)
    assert client.get(url(org)).status_code == 404
    assert client.post(url(org, "/add"), data={"email": "x@example.com"}).status_code == 404
    assert client.post(url(org, "/remove"), data={"user_id": staff.id}).status_code == 404
    sign_in(client, staff)
    page = client.get(url(org))
    assert page.status_code == 200 and owner.email in page.get_data(as_text=True)
    assert "/remove" not in page.get_data(as_text=True)
    assert client.post(url(org, "/add"), data={"email": stranger.email}).status_code == 403
    assert client.post(url(org, "/remove"), data={"user_id": owner.id}).status_code == 403
    assert set(members(org)) == {owner.id, staff.id}
    sign_in(client, owner)
    assert client.get(url(org)).status_code == 200
    assert client.get("/en/provider/members").headers["Location"].endswith(url(org))
    assert client.get("/en/provider/members/99999999999").status_code == 404


def test_adding_a_member_invites_and_adds_nobody_yet(client):
    """Invitations and their acceptance are in test_invitations.py."""
    org = make_provider()
    owner = make_user("owner", organisation=org)
    newcomer = make_user(email="Newcomer@Example.com")
    sign_in(client, owner)
    response = client.post(url(org, "/add"), data={"email": "  ＮＥＷＣＯＭＥＲ@example.com "})
    assert response.status_code == 302
    assert set(members(org)) == {owner.id}
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "membership.invite"))
    assert entry.actor_id == owner.id and entry.organisation_id == org.id
    assert entry.detail == {"email": "newcomer@example.com"} and newcomer.id not in members(org)


def test_unknown_or_inactive_address_gets_the_same_answer(client):
    org = make_provider()
    sign_in(client, make_user("owner", organisation=org))
    pending = make_user(status="pending")
    disabled = make_user(status="disabled")
    active = make_user()
    texts = set()
    for email in ("nobody@example.com", pending.email, disabled.email, active.email):
        response = client.post(url(org, "/add"), data={"email": email}, follow_redirects=True)
        assert response.status_code == 200
        text = response.get_data(as_text=True).replace(email, "ADDRESS")
        # A CSRF token is signed with the second it was made in: pages a second apart differ there only.
        texts.add(re.sub(r'(name="csrf_token"[^>]*value=|value=)"[\w.-]{40,}"', r'\1"TOKEN"', text))
    assert len(texts) == 1, "\n".join(difflib.unified_diff(*(t.splitlines() for t in list(texts)[:2]), lineterm=""))
    assert len(members(org)) == 1


def test_bad_input(client):
    org = make_provider()
    sign_in(client, make_user("owner", organisation=org))
    for email in ("", "a\x00b@example.com", "x" * 300 + "@example.com"):
        assert client.post(url(org, "/add"), data={"email": email}).status_code == 400
    for user_id in ("", "abc", "9" * 40, "-1", "１"):
        response = client.post(url(org, "/remove"), data={"user_id": user_id}, follow_redirects=True)
        assert response.status_code == 200
    assert len(members(org)) == 1


def test_remove_member_and_last_owner_rules(client):
    org = make_provider()
    owner = make_user("owner", organisation=org)
    staff = make_user("member", organisation=org)
    sign_in(client, owner)
    # the last owner cannot remove themselves
    response = client.post(url(org, "/remove"), data={"user_id": owner.id}, follow_redirects=True)
    assert "at least one owner" in response.get_data(as_text=True)
    assert owner.id in members(org)
    # staff can be removed
    assert client.post(url(org, "/remove"), data={"user_id": staff.id}).status_code == 302
    assert staff.id not in members(org)
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "membership.remove")).detail == {
        "user": staff.id, "role": "staff"}
    # with a second owner, an owner may leave
    second = make_user("owner", organisation=org)
    response = client.post(url(org, "/remove"), data={"user_id": owner.id})
    assert response.status_code == 302 and "/en/account/" in response.headers["Location"]
    assert set(members(org)) == {second.id}


def test_list_is_one_query_per_page_whatever_the_size(client, count_queries):
    org = make_provider()
    sign_in(client, make_user("owner", organisation=org))

    def measure():
        with count_queries() as counter:
            assert client.get(url(org)).status_code == 200
        return counter.count

    for _ in range(2):
        make_user("member", organisation=org)
    few = measure()
    for _ in range(25):
        make_user("member", organisation=org)
    assert measure() == few


def test_owner_of_several_organisations_chooses(client):
    a, b = make_provider(name_en="Alpha Org"), make_provider(name_en="Beta Org")
    owner = make_user("owner", organisation=a)
    db.session.add(Membership(organisation_id=b.id, user_id=owner.id, role=MemberRole.STAFF))
    db.session.flush()
    sign_in(client, owner)
    page = client.get("/ja/provider/members").get_data(as_text=True)
    assert url(a).replace("/en/", "/ja/") in page and url(b).replace("/en/", "/ja/") in page
    # staff of b: read-only there
    assert client.post(url(b, "/add"), data={"email": owner.email}).status_code == 403


def test_the_only_owner_is_not_offered_removal(client):
    org = make_provider()
    owner = make_user("owner", organisation=org)
    staff = make_user(organisation=org)
    db.session.add(Membership(organisation_id=org.id, user_id=staff.id, role=MemberRole.STAFF))
    db.session.flush()
    sign_in(client, owner)
    page = client.get(url(org)).get_data(as_text=True)
    assert f"user_id={staff.id}" in page and f"user_id={owner.id}" not in page
    assert "The only owner" in page
