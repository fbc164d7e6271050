"""Server-side sign-in sessions behind Flask-Login.

The session cookie and the remember-me cookie carry a random token; the database keeps its SHA-256 in
`user_session`. Every request loads the user through that row, so ending the row (sign out, sign out
everywhere, a password change, a disabled account) refuses a replayed cookie at once, on every server.
"""
from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta

import sqlalchemy as sa
from flask import Flask, current_app, g, request
from flask_login import AnonymousUserMixin, login_user, logout_user

from app.accounts.models import AccountStatus, User, UserSession
from app.platform import cache
from app.platform.database import utcnow
from app.platform.extensions import db, login_manager

# last_seen_at is refreshed at most this often, so reading a page is not a write.
SEEN_EVERY = timedelta(minutes=5)


class Anonymous(AnonymousUserMixin):
    is_staff = False
    is_admin = False
    memberships: list = []
    id = None


_LOADED_WITH_USER: list[Callable[[], object]] = []


def load_with_user(option: Callable[[], object]) -> None:
    """A part built on accounts names what every request loads with the signed-in person (providers: their
    memberships, read by every permission check): option() gives a loader option such as selectinload."""
    if option not in _LOADED_WITH_USER:
        _LOADED_WITH_USER.append(option)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def load_user(token: str) -> User | None:
    if not token or len(token) > 100:
        return None
    row = db.session.execute(
        sa.select(User, UserSession)
        .join(UserSession, UserSession.user_id == User.id)
        .where(
            UserSession.token_hash == token_hash(token),
            UserSession.ended_at.is_(None),
            # A browser unused for longer than a remember-me cookie lives is signed out.
            UserSession.last_seen_at > utcnow() - timedelta(seconds=current_app.config["REMEMBER_COOKIE_DURATION"]),
            User.status == AccountStatus.ACTIVE,
        )
        .options(*(option() for option in _LOADED_WITH_USER))
    ).first()
    if row is None:
        return None
    user, user_session = row
    user.session_token = token
    g.user_session_id = user_session.id
    now = utcnow()
    if now - user_session.last_seen_at > SEEN_EVERY:
        # Its own short transaction: the request's session may be read-only and is not ours to commit.
        with cache.side_write() as conn:
            conn.execute(sa.update(UserSession).where(UserSession.id == user_session.id).values(last_seen_at=now))
    return user


def start_session(user: User, remember: bool = False) -> UserSession:
    """A new session for a person who has just proved who they are (a fresh token, never reused)."""
    token = secrets.token_urlsafe(32)
    user_session = UserSession(
        token_hash=token_hash(token), user_id=user.id, user_agent=(request.user_agent.string or "")[:200]
    )
    db.session.add(user_session)
    db.session.flush()
    user.session_token = token
    g.user_session_id = user_session.id
    login_user(user, remember=remember, fresh=True)
    return user_session


def end_session() -> None:
    """Sign this browser out: end its row and clear its cookies."""
    session_id = g.get("user_session_id")
    if session_id is not None:
        db.session.execute(
            sa.update(UserSession)
            .where(UserSession.id == session_id, UserSession.ended_at.is_(None))
            .values(ended_at=utcnow())
        )
    logout_user()


def end_other_sessions(user: User, keep_current: bool = True) -> int:
    """End every live session of `user` (but this browser's when keep_current); returns how many."""
    stmt = sa.update(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    current = g.get("user_session_id")
    if keep_current and current is not None:
        stmt = stmt.where(UserSession.id != current)
    return db.session.execute(stmt.values(ended_at=utcnow())).rowcount


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.anonymous_user = Anonymous
    login_manager.login_view = "accounts.sign_in"
    # Server-side rows already end stolen sessions; "strong" would also sign people out whenever
    # their address changes (phones moving between networks).
    login_manager.session_protection = "basic"
    login_manager.login_message = None  # the sign-in page says why in the reader's language

    @app.after_request
    def private_pages_not_stored(response):
        # Anything shown to a signed-in person, and every account page, stays out of shared caches.
        from flask_login import current_user

        if request.blueprint in PRIVATE_BLUEPRINTS or (
            "_login_user" in g and current_user.is_authenticated
        ):
            response.headers["Cache-Control"] = "no-store"
            response.headers.pop("ETag", None)
        return response


PRIVATE_BLUEPRINTS = {"accounts", "admin", "audit", "me", "onboarding", "staff", "workspace"}


def sign_in_again_for_new_role(user: User) -> int:
    """A person who has just been given a role that needs a second factor, and has none yet, is signed
    out everywhere: their next sign-in sets up the authenticator before the role can be used."""
    if user.has_second_factor:
        return 0
    return end_other_sessions(user, keep_current=False)
