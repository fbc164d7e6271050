"""Personal API tokens in the account pages: created (shown once, only the hash kept), scoped by the
person's roles, limited in number, revoked; another person's token is a 404; the export lists them without
hashes and deleting the account deletes them."""
from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.api.auth import MAX_TOKENS_PER_USER, create_token, digest, revoke
from app.api.models import ApiToken
from app.audit.labels import ACTIONS
from app.audit.models import AuditEntry
from app.platform.extensions import db
from tests.api.helpers import bearer
from tests.factories import PASSWORD, make_client, make_user, now, sign_in

PAGE = "/{lang}/account/api-tokens/"
TOKEN_RE = re.compile(r'id="created-token"[^>]*>(btb_[A-Za-z0-9_-]+)</textarea>')


def _tokens(user) -> list[ApiToken]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)))


def _audit(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action)))


def _create(client, lang="en", **data):
    form = {"name": "HR sync", "scopes": ["learning:read"], "expiry": "90", **data}
    return client.post(PAGE.format(lang=lang), data=form)


@pytest.fixture
def learner(client):
    user = make_user()
    sign_in(client, user)
    return user


# --- who may --------------------------------------------------------------------------------------

def test_anonymous_is_sent_to_sign_in(client):
    user = make_user()
    token, _plain = create_token(user, "x", ["learning:read"], None)
    db.session.flush()
    for method, path in (("GET", PAGE.format(lang="en")), ("POST", PAGE.format(lang="en")),
                         ("POST", f"/en/account/api-tokens/{token.id}/revoke")):
        response = client.open(path, method=method, data={"name": "x", "scopes": "learning:read"})
        assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"]
    assert not _tokens(user)[0].revoked_at and len(_tokens(user)) == 1


def test_learner_sees_only_the_scopes_a_learner_may_hold(client, learner):
    response = client.get(PAGE.format(lang="en"))
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    body = response.get_data(as_text=True)
    assert 'value="learning:read"' in body
    for scope in ("provider:read", "provider:write", "exchanges:read", "exchanges:write", "reports:read"):
        assert f'value="{scope}"' not in body
    assert "You have no API tokens yet." in body


def test_provider_member_may_give_provider_scopes(client):
    member = make_user("member")
    sign_in(client, member)
    body = client.get(PAGE.format(lang="en")).get_data(as_text=True)
    assert 'value="provider:read"' in body and 'value="provider:write"' in body
    assert 'value="exchanges:read"' not in body
    assert _create(client, scopes=["provider:read", "learning:read"]).status_code == 200
    assert _tokens(member)[0].scopes == "learning:read provider:read"


def test_a_scope_whose_role_is_gone_is_marked(client):
    member = make_user("member")
    create_token(member, "roster sync", ["provider:read", "learning:read"], None)
    member.memberships.clear()
    db.session.flush()
    sign_in(client, member)
    body = client.get(PAGE.format(lang="en")).get_data(as_text=True)
    assert body.count("not usable with your current roles") == 1
    assert 'value="provider:read"' not in body  # and it cannot be given to a new token


def test_another_persons_token_is_invisible_and_cannot_be_revoked(client, learner):
    other = make_user()
    token, _plain = create_token(other, "Someone else's", ["learning:read"], None)
    db.session.flush()
    assert "Someone else" not in client.get(PAGE.format(lang="en")).get_data(as_text=True)
    assert client.post(f"/en/account/api-tokens/{token.id}/revoke").status_code == 404
    assert client.post("/en/account/api-tokens/2147483647/revoke").status_code == 404
    assert client.post("/en/account/api-tokens/99999999999/revoke").status_code == 404  # past int4: no 500
    assert _tokens(other)[0].revoked_at is None and not _audit("api_token.revoke")


# --- create, use, revoke ----------------------------------------------------------------------------

def test_token_is_shown_once_and_only_its_hash_is_kept(client, learner):
    response = _create(client, name="HR sync")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    body = response.get_data(as_text=True)
    plain = TOKEN_RE.search(body).group(1)
    assert f'Authorization: Bearer {plain}" http://localhost/api/v1/me' in body
    (row,) = _tokens(learner)
    assert row.token_hash == digest(plain) and row.prefix == plain[:12] and plain not in (row.token_hash,)
    assert row.name == "HR sync" and row.scopes == "learning:read"
    assert timedelta(days=89, hours=23) < row.expires_at - row.created_at <= timedelta(days=90)
    # Never again: the list shows the first characters only.
    again = client.get(PAGE.format(lang="en")).get_data(as_text=True)
    assert plain not in again and row.prefix in again and "HR sync" in again
    (entry,) = _audit("api_token.create")
    assert entry.actor_id == learner.id and entry.object_id == str(row.id)
    assert entry.detail["scopes"] == ["learning:read"] and plain not in json.dumps(entry.detail)


def test_created_token_works_until_revoked(client, learner, app):
    plain = TOKEN_RE.search(_create(client).get_data(as_text=True)).group(1)
    api = make_client(app)
    me = api.get("/api/v1/me", headers=bearer(plain))
    assert me.status_code == 200 and me.get_json()["id"] == learner.id
    assert me.get_json()["token"]["scopes"] == ["learning:read"]
    (row,) = _tokens(learner)
    page = client.get(PAGE.format(lang="en")).get_data(as_text=True)
    assert "Not used yet" not in page  # the call was recorded as its last use

    response = client.post(f"/en/account/api-tokens/{row.id}/revoke")
    assert response.status_code == 302 and response.headers["Location"].endswith("/en/account/api-tokens/")
    assert api.get("/api/v1/me", headers=bearer(plain)).status_code == 401
    assert _tokens(learner)[0].revoked_at is not None
    assert len(_audit("api_token.revoke")) == 1
    follow = client.get(PAGE.format(lang="en")).get_data(as_text=True)
    assert "is revoked" in follow and "Revoked" in follow and f"/{row.id}/revoke" not in follow
    # Revoking twice changes nothing and records nothing more.
    assert client.post(f"/en/account/api-tokens/{row.id}/revoke").status_code == 302
    assert len(_audit("api_token.revoke")) == 1


def test_never_expiring_and_year_long_tokens(client, learner):
    _create(client, name="forever", expiry="never")
    _create(client, name="a year", expiry="365")
    forever, year = _tokens(learner)
    assert forever.expires_at is None
    assert year.expires_at - year.created_at == timedelta(days=365)
    assert "Never" in client.get(PAGE.format(lang="en")).get_data(as_text=True)


def test_states_dates_and_labels_in_japanese(client, learner):
    past = now() - timedelta(days=40)
    expired, _p = create_token(learner, "期限切れ", ["learning:read"], 30, now=past)
    revoked, _p = create_token(learner, "取り消し", ["learning:read"], None)
    create_token(learner, "有効", ["learning:read"], 30)
    revoke(revoked)
    db.session.flush()
    body = client.get(PAGE.format(lang="ja")).get_data(as_text=True)
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日", body)  # dates in the Japanese format
    assert 'lang="ja"' in body
    for tag in ("tag-ok", "tag-warn", "tag-danger"):
        assert tag in body
    assert body.count("/revoke") == 1  # only the live token can be revoked


def test_audit_actions_have_labels():
    assert "api_token.create" in ACTIONS and "api_token.revoke" in ACTIONS


# --- refusals ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("scopes", [["exchanges:read"], ["learning:read", "provider:write"], ["bogus"],
                                    ["learning:read\x00"], []])
def test_scopes_the_person_may_not_hold_are_refused(client, learner, scopes):
    response = _create(client, scopes=scopes)
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert 'id="scopes-error"' in body and not _tokens(learner)
    if scopes and scopes[-1] in ("exchanges:read", "provider:write"):
        assert "Your account cannot give a token this permission" in body


@pytest.mark.parametrize("data", [
    {"name": ""}, {"name": "   "}, {"name": "x" * 10_000}, {"name": "bad\x00name"}, {"name": None},
    {"expiry": "7"}, {"expiry": ""}, {"expiry": "\x00"}, {"scopes": "learning:read" * 1000},
])
def test_bad_input_changes_nothing(client, learner, data):
    form = {"name": "HR sync", "scopes": ["learning:read"], "expiry": "90", **data}
    form = {k: v for k, v in form.items() if v is not None}
    response = client.post(PAGE.format(lang="en"), data=form)
    assert response.status_code == 400
    assert "Please correct the fields marked below." in response.get_data(as_text=True)
    assert not _tokens(learner) and not _audit("api_token.create")


def test_no_more_than_the_limit_of_live_tokens(client, learner):
    create_token(learner, "old", ["learning:read"], 30, now=now() - timedelta(days=60))  # expired: not counted
    for n in range(MAX_TOKENS_PER_USER):
        create_token(learner, f"t{n}", ["learning:read"], None)
    db.session.flush()
    page = client.get(PAGE.format(lang="en")).get_data(as_text=True)
    assert "the most an account may hold" in page and 'name="name"' not in page
    response = _create(client, name="one too many")
    assert response.status_code == 409 and "the most an account may hold" in response.get_data(as_text=True)
    assert len(_tokens(learner)) == MAX_TOKENS_PER_USER + 1
    # Revoking one makes room again.
    revoke(_tokens(learner)[1])
    db.session.flush()
    assert _create(client, name="now it fits").status_code == 200


# --- the person's data ------------------------------------------------------------------------------

def test_export_lists_tokens_without_hashes(client, learner):
    row, plain = create_token(learner, "HR sync", ["learning:read"], 30)
    db.session.flush()
    response = client.get("/en/account/export")
    body = response.get_data(as_text=True)
    (exported,) = json.loads(body)["api_tokens"]
    assert exported["name"] == "HR sync" and exported["prefix"] == row.prefix
    assert exported["scopes"] == ["learning:read"] and exported["revoked_at"] is None
    assert exported["created_at"] and exported["expires_at"] and exported["last_used_at"] is None
    assert "token_hash" not in exported and row.token_hash not in body and plain not in body


def test_deleting_the_account_deletes_its_tokens(client, learner, app):
    _row, plain = create_token(learner, "HR sync", ["learning:read"], None)
    db.session.flush()
    response = client.post("/en/account/delete", data={"password": PASSWORD, "confirm": "y"})
    assert response.status_code == 302
    assert not _tokens(learner)
    assert make_client(app).get("/api/v1/me", headers=bearer(plain)).status_code == 401


# --- no N+1 ------------------------------------------------------------------------------------------

def test_list_page_query_count_does_not_grow(client, learner, count_queries):
    counts, made = [], 0
    for total in (2, 15):
        for n in range(made, total):
            row, _plain = create_token(learner, f"t{n}", ["learning:read"], 30 if n % 2 else None)
            if n % 3 == 2:
                revoke(row)
        made = total
        db.session.flush()
        client.get(PAGE.format(lang="en"))
        with count_queries() as counter:
            assert client.get(PAGE.format(lang="en")).status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1]
