"""Adding a member sends an invitation: the owner's page says the same whether or not the address has an
account, and the invitee joins through a signed link, signed in with that address (registering first if
needed). Nothing is added until they accept."""
from __future__ import annotations

import re
import secrets

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.platform.extensions import db
from app.providers.models import MemberRole, Membership
from tests.factories import make_client, make_provider, make_user, sign_in


def members(org) -> dict[int, str]:
    rows = db.session.execute(sa.select(Membership.user_id, Membership.role)
                              .where(Membership.organisation_id == org.id))
    return {user_id: role for user_id, role in rows}


def _invite(client, org, email, lang="en"):
    return client.post(f"/{lang}/provider/members/{org.id}/add", data={"email": email}, follow_redirects=True)


def fresh_address() -> str:
    """An address no earlier test (or run) invited: the per-mailbox counters live in Redis when it is set,
    which the tests' rolled-back transactions do not reset."""
    return f"invited-{secrets.token_hex(6)}@example.com"


def _link(message) -> str:
    text = message.get_body(("plain",)).get_content()
    return re.search(r"http://localhost(/\S+/provider/invitations/\S+)", text).group(1)


@pytest.fixture
def org_and_owner(client):
    org = make_provider(name_en="Cell Academy", name_ja="セル学院")
    owner = make_user("owner", organisation=org)
    sign_in(client, owner)
    return org, owner


def test_the_answer_does_not_tell_whether_the_address_has_an_account(client, outbox, org_and_owner):
    org, _owner = org_and_owner
    person = make_user(email="taro@example.jp", family_name="山田", preferred_language="ja")
    pages = {email: _invite(client, org, email) for email in (person.email, "nobody@example.com")}
    for email, page in pages.items():
        assert page.status_code == 200
        assert f"An invitation to join the organisation was sent to {email}." in page.text
        assert "山田" not in page.text
    assert [m["To"] for m in outbox] == [person.email, "nobody@example.com"]
    assert outbox[0]["Content-Language"] == "ja"  # an account's own language; else the sender's
    assert outbox[1]["Content-Language"] == "en"
    assert set(members(org)) == {_owner.id}  # nobody is added before accepting
    entries = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "membership.invite")).all()
    assert len(entries) == 2 and all(e.organisation_id == org.id for e in entries)


def test_the_invitee_accepts_with_the_signed_link(client, outbox, org_and_owner):
    org, _owner = org_and_owner
    _invite(client, org, "Newcomer@Example.com")
    link = _link(outbox[0])
    anonymous = make_client(client.application)
    response = anonymous.get(link)
    assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"]
    newcomer = make_user(email="newcomer@example.com")  # registered after the invitation
    invitee = make_client(client.application)
    sign_in(invitee, newcomer)
    page = invitee.get(link)
    assert page.status_code == 200 and "Cell Academy" in page.text
    assert newcomer.id not in members(org)
    assert invitee.post(link).status_code == 302
    assert members(org)[newcomer.id] == MemberRole.STAFF
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "membership.add"))
    assert entry.actor_id == newcomer.id and entry.organisation_id == org.id
    again = invitee.post(link, follow_redirects=True)
    assert again.status_code == 200 and "already a member" in again.text


def test_another_account_cannot_use_the_link(client, outbox, org_and_owner):
    org, _owner = org_and_owner
    _invite(client, org, "invited@example.com")
    link = _link(outbox[0])
    other = make_client(client.application)
    sign_in(other, make_user(email="someone.else@example.com"))
    assert other.get(link).status_code == 403
    assert other.post(link).status_code == 403
    assert len(members(org)) == 1


@pytest.mark.parametrize("mangle", [lambda link: link[:-3] + "abc", lambda link: link + "x" * 600,
                                    lambda link: link.rsplit("/", 1)[0] + "/%00"])
def test_a_broken_link_is_a_404(client, outbox, org_and_owner, mangle):
    org, _owner = org_and_owner
    email = fresh_address()
    _invite(client, org, email)
    invitee = make_client(client.application)
    sign_in(invitee, make_user(email=email))
    assert invitee.get(mangle(_link(outbox[0]))).status_code == 404
    assert invitee.post(mangle(_link(outbox[0]))).status_code == 404
    assert len(members(org)) == 1


def test_an_expired_link_is_a_404(client, outbox, org_and_owner, app, monkeypatch):
    org, _owner = org_and_owner
    email = fresh_address()
    _invite(client, org, email)
    invitee = make_client(client.application)
    sign_in(invitee, make_user(email=email))
    monkeypatch.setitem(app.config, "INVITATION_LINK_SECONDS", -1)
    assert invitee.post(_link(outbox[0])).status_code == 404 and len(members(org)) == 1


def test_a_mailbox_gets_at_most_three_invitations_an_hour(client, outbox, org_and_owner):
    org, _owner = org_and_owner
    address = fresh_address()
    pages = [_invite(client, org, address) for _ in range(5)]
    assert all("An invitation to join the organisation was sent" in p.text for p in pages)
    assert len(outbox) == 3


def test_inviting_a_member_again_says_so(client, outbox, org_and_owner):
    org, _owner = org_and_owner
    staff = make_user("member", organisation=org)
    page = _invite(client, org, staff.email)
    assert "already a member" in page.text and outbox == []
