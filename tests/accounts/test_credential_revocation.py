"""API tokens end with the sign-ins: a password reset revokes every token; "sign out everywhere" revokes
them when asked to (a checkbox). The pages say exactly what happened."""
from __future__ import annotations

import re

from app.api.models import ApiToken
from app.platform.extensions import db
from tests.api.helpers import bearer, make_token
from tests.factories import make_client, make_user, sign_in

NEW_PASSWORD = "a brand new passphrase for tests"


def _works(client, token) -> bool:
    return client.get("/api/v1/me", headers=bearer(token)).status_code == 200


def _flashes(client) -> str:
    return client.get("/en/").get_data(as_text=True)


def test_password_reset_revokes_every_token(client, outbox):
    user = make_user()
    tokens = [make_token(user), make_token(user)]
    other = make_token(make_user())
    api = make_client(client.application)
    assert all(_works(api, t) for t in tokens)
    client.post("/en/account/forgot-password", data={"email": user.email})
    text = outbox[0].get_body(("plain",)).get_content()
    link = re.search(r"http://localhost(/\S+)", text).group(1)
    response = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert not any(_works(api, t) for t in tokens)
    assert _works(api, other)  # someone else's token is untouched
    page = client.get("/en/account/sign-in").get_data(as_text=True)
    assert "2 API tokens were revoked" in page


def test_sign_out_everywhere_keeps_tokens_unless_asked(client):
    user = make_user()
    token = make_token(user)
    sign_in(client, user)
    assert client.post("/en/account/sign-out-everywhere").status_code == 302
    assert _works(make_client(client.application), token)
    assert "API tokens were not revoked" in _flashes(client)


def test_sign_out_everywhere_can_revoke_tokens(client):
    user = make_user()
    token = make_token(user)
    other = make_token(make_user())
    sign_in(client, user)
    assert "revoke_tokens" in client.get("/en/account/").get_data(as_text=True)
    assert client.post("/en/account/sign-out-everywhere", data={"revoke_tokens": "y"}).status_code == 302
    api = make_client(client.application)
    assert not _works(api, token) and _works(api, other)
    assert "1 API token was revoked" in _flashes(client)
    row = db.session.query(ApiToken).filter_by(user_id=user.id).one()
    assert row.revoked_at is not None


def test_sign_out_everywhere_is_for_signed_in_people(client):
    assert client.post("/en/account/sign-out-everywhere", data={"revoke_tokens": "y"}).status_code == 302
