"""API test helpers: a personal token for a user, and the header that carries it."""
from __future__ import annotations

from app.api.auth import create_token, scopes_for
from app.platform.extensions import db


def make_token(user, scopes: list[str] | None = None, days: int | None = None) -> str:
    """A live token (all the scopes the user may hold, unless named) and its plain text."""
    _row, plain = create_token(user, "test token", scopes or scopes_for(user), days)
    db.session.flush()
    return plain


def bearer(token: str, **headers) -> dict:
    return {"Authorization": f"Bearer {token}", **headers}
