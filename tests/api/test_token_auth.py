"""Personal API tokens at the door: Bearer only (never the cookie), hashed, scoped, revocable, expiring,
tied to an active account and to the roles its owner still has."""
from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest

from app.accounts.models import AccountStatus
from app.api.auth import create_token, revoke, scopes_for
from app.api.models import ApiToken
from app.platform.extensions import db
from tests.api.helpers import bearer, make_token
from tests.factories import make_user, now, sign_in


def _me(client, token=None, **headers):
    if token is not None:
        headers = bearer(token, **headers)
    return client.get("/api/v1/me", headers=headers)


def test_no_token_is_a_401_problem_that_says_how(client):
    response = _me(client)
    assert response.status_code == 401 and response.mimetype == "application/problem+json"
    assert response.get_json()["code"] == "token_required"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_the_session_cookie_alone_opens_nothing(client):
    sign_in(client, make_user())
    assert _me(client).status_code == 401


@pytest.mark.parametrize("header", ["Bearer", "Bearer nonsense", "Basic dXNlcjpwYXNz",
                                    "Bearer btb_" + "x" * 43, "Bearer btb_" + "y" * 500])
def test_malformed_or_unknown_tokens_are_refused(client, header):
    response = client.get("/api/v1/me", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.get_json()["code"] in ("token_required", "invalid_token")


def test_a_live_token_names_its_owner_and_only_its_hash_is_kept(client):
    user = make_user()
    row, plain = create_token(user, "HR sync", ["learning:read"], 30)
    db.session.flush()
    assert plain.startswith("btb_") and len(plain) > 40
    assert row.token_hash == hashlib.sha256(plain.encode()).hexdigest() and plain not in row.token_hash
    assert row.prefix == plain[:12]
    response = _me(client, plain)
    assert response.status_code == 200
    body = response.get_json()
    assert body["id"] == user.id and body["token"]["name"] == "HR sync"
    assert body["token"]["scopes"] == ["learning:read"]
    assert "no-cache" in response.headers["Cache-Control"] and "private" in response.headers["Cache-Control"]
    db.session.expire_all()
    assert db.session.get(ApiToken, row.id).last_used_at is not None


def test_revoked_expired_and_disabled_are_all_refused(client):
    user = make_user()
    revoked, expired, live = make_token(user), make_token(user, days=1), make_token(user)
    revoke(db.session.query(ApiToken).filter_by(token_hash=hashlib.sha256(revoked.encode()).hexdigest()).one())
    db.session.query(ApiToken).filter_by(token_hash=hashlib.sha256(expired.encode()).hexdigest()).one() \
        .expires_at = now() - timedelta(seconds=1)
    db.session.flush()
    assert _me(client, revoked).get_json()["code"] == "invalid_token"
    assert _me(client, expired).status_code == 401
    assert _me(client, live).status_code == 200
    user.status = AccountStatus.DISABLED
    db.session.flush()
    assert _me(client, live).status_code == 401


def test_a_scope_the_token_lacks_is_a_403_in_the_readers_language(client):
    token = make_token(make_user("member"), scopes=["provider:read"])
    response = client.get("/api/v1/me/enrolments", headers=bearer(token, **{"Accept-Language": "ja"}))
    assert response.status_code == 403
    body = response.get_json()
    assert body["code"] == "insufficient_scope" and "learning:read" in body["detail"]
    assert response.headers["Content-Language"] == "ja" and body["detail"].isascii() is False


def test_scopes_follow_roles():
    learner, staff, member = make_user(), make_user("staff"), make_user("member")
    assert scopes_for(learner) == ["learning:read"]
    assert set(scopes_for(member)) == {"learning:read", "provider:read", "provider:write"}
    assert {"exchanges:read", "exchanges:write", "reports:read"} <= set(scopes_for(staff))
    with pytest.raises(ValueError):
        create_token(learner, "too much", ["exchanges:read"], None)
    with pytest.raises(ValueError):
        create_token(learner, "nothing", [], None)


def test_a_withdrawn_role_stops_its_scope_on_existing_tokens(client):
    member = make_user("member")
    token = make_token(member)
    assert set(_me(client, token).get_json()["token"]["usable_scopes"]) >= {"provider:read"}
    for membership in list(member.memberships):
        db.session.delete(membership)
    db.session.flush()
    db.session.expire_all()
    assert _me(client, token).get_json()["token"]["usable_scopes"] == ["learning:read"]
