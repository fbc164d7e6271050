"""A sign-in unused for longer than a remember-me cookie lives no longer opens private pages."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.accounts.models import UserSession
from app.accounts.sessions import token_hash
from tests.factories import make_user, now, sign_in


def test_idle_session_is_refused_and_a_recent_one_kept(app, client, db_session):
    user = make_user()
    token = sign_in(client, user)
    assert client.get("/en/account/").status_code == 200
    idle = timedelta(seconds=app.config["REMEMBER_COOKIE_DURATION"] + 60)
    db_session.execute(sa.update(UserSession).where(UserSession.token_hash == token_hash(token))
                       .values(last_seen_at=now() - idle))
    response = client.get("/en/account/")
    assert response.status_code == 302 and "/en/account/sign-in" in response.headers["Location"]


def test_last_seen_is_refreshed_after_a_while(app, client, db_session):
    from app.accounts.sessions import load_user

    user = make_user()
    token = sign_in(client, user)
    old = now() - timedelta(hours=1)
    db_session.execute(sa.update(UserSession).where(UserSession.token_hash == token_hash(token))
                       .values(last_seen_at=old))
    with app.test_request_context("/en/account/"):
        assert load_user(token).id == user.id
    seen = db_session.execute(sa.select(UserSession.last_seen_at)
                              .where(UserSession.token_hash == token_hash(token))).scalar_one()
    assert seen > old + timedelta(minutes=30)
