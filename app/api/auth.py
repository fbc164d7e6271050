"""Personal API tokens: scopes, creation and revocation, and the Bearer check of authenticated endpoints.

A token stands for its owner, narrowed to its scopes: an endpoint needs its scope AND the same permission
predicate as the matching HTML page (checked there, against `g.api_user`). The session cookie is never
read by the API, so cookie-borne requests cannot write through it (the blueprint is CSRF-exempt)."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from functools import wraps

import sqlalchemy as sa
from flask import g, request
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.attributes import set_committed_value

from app.accounts import permissions, signals
from app.api.models import ApiToken
from app.api.problems import problem
from app.platform import cache
from app.platform.database import utcnow
from app.platform.extensions import db
from app.providers import permissions as provider_permissions

TOKEN_PREFIX = "btb_"
# scope -> (who may hold it, label)
SCOPES = {
    "learning:read": (permissions.is_signed_in, _l("Read my enrolments and certificates")),
    "provider:read": (provider_permissions.is_provider_member,
                      _l("Read my organisations' courses, sessions and rosters")),
    "provider:write": (provider_permissions.is_provider_member, _l("Create and change my organisations' sessions")),
    "exchanges:read": (permissions.is_staff, _l("Read talent exchange records")),
    "exchanges:write": (permissions.is_staff, _l("Record and approve talent exchanges")),
    "reports:read": (permissions.is_staff, _l("Read report figures")),
}
EXPIRY_DAYS = (30, 90, 365)
MAX_TOKENS_PER_USER = 20
# Writing last_used_at on every request would turn each read into a write; once a minute is enough.
LAST_USED_PRECISION = timedelta(minutes=1)

MISSING = _l("This endpoint needs a personal API token: send it as \"Authorization: Bearer <token>\".")
INVALID = _l("The API token is not valid: it is unknown, revoked or expired, or its account is not active.")


def no_scope(scope: str):
    return _l("The API token does not have the scope this endpoint needs: %(scope)s.", scope=scope)


def scopes_for(user) -> list[str]:
    """The scopes this person may give a token now (a withdrawn role also stops existing tokens)."""
    return [scope for scope, (may_hold, _label) in SCOPES.items() if may_hold(user)]


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(user, name: str, scopes: list[str], days: int | None, now: datetime | None = None
                 ) -> tuple[ApiToken, str]:
    """A new token row (added, not committed) and the token itself, which is never stored."""
    now = now or utcnow()
    allowed = set(scopes_for(user))
    if not scopes or not set(scopes) <= allowed:
        raise ValueError("scopes")
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, name=name, token_hash=digest(plain), prefix=plain[:12],
                   scopes=" ".join(s for s in SCOPES if s in scopes), created_at=now,
                   expires_at=now + timedelta(days=days) if days else None)
    db.session.add(row)
    return row, plain


def revoke(token: ApiToken, now: datetime | None = None) -> None:
    if token.revoked_at is None:
        token.revoked_at = now or utcnow()


def revoke_all(user, now: datetime | None = None) -> int:
    """Revoke every live token of `user` (a password reset, "sign out everywhere"); returns how many."""
    now = now or utcnow()
    return db.session.execute(
        sa.update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None),
                                  sa.or_(ApiToken.expires_at.is_(None), ApiToken.expires_at > now))
        .values(revoked_at=now).execution_options(synchronize_session="fetch")
    ).rowcount


signals.revoke_credentials.connect(revoke_all, weak=False)


def live_token_count(user_id: int) -> int:
    now = utcnow()
    return db.session.execute(
        sa.select(sa.func.count()).select_from(ApiToken).where(
            ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None),
            sa.or_(ApiToken.expires_at.is_(None), ApiToken.expires_at > now))
    ).scalar_one()


def tokens_of(user_id: int) -> list[ApiToken]:
    """Every token of the person, newest first (one statement, whatever their number)."""
    return list(db.session.scalars(
        sa.select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.created_at.desc(),
                                                                        ApiToken.id.desc())))


def own_token(user_id: int, token_id: int) -> ApiToken | None:
    """The token, if it is this person's: another person's is as absent as an unknown one."""
    return db.session.execute(
        sa.select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user_id)
    ).scalar_one_or_none()


def delete_tokens(user_id: int) -> None:
    """Every token of the person gone (their account erased)."""
    db.session.execute(sa.delete(ApiToken).where(ApiToken.user_id == user_id))


def bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    kind, _, value = header.partition(" ")
    if kind.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def find_token(plain: str) -> ApiToken | None:
    """The live token for `plain`, with its active owner, or None."""
    if not plain.startswith(TOKEN_PREFIX) or len(plain) > 100:
        return None
    token = db.session.execute(
        sa.select(ApiToken).where(ApiToken.token_hash == digest(plain))
    ).scalar_one_or_none()
    now = utcnow()
    if token is None or not token.is_live(now) or not token.user.is_active:
        return None
    return token


def stamp_used(token_id: int, now: datetime) -> None:
    """Record the last use in a short transaction of its own: a read through the API stays a read, and
    on SQLite its snapshot could not be turned into a write once another process had written."""
    with cache.side_write() as conn:
        conn.execute(sa.update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now))


def _unauthorized(detail, code: str):
    response = problem(401, code, detail)
    response.headers["WWW-Authenticate"] = 'Bearer realm="api"' + (
        ', error="invalid_token"' if code == "invalid_token" else "")
    return response


def requires(scope: str | None):
    """Endpoint decorator: a live token with `scope` (None: any scope); sets g.api_user and g.api_token."""
    assert scope is None or scope in SCOPES, scope

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            plain = bearer()
            if plain is None:
                return _unauthorized(MISSING, "token_required")
            token = getattr(g, "api_token", None) or find_token(plain)
            if token is None:
                return _unauthorized(INVALID, "invalid_token")
            if scope is not None and (scope not in token.scope_set or not SCOPES[scope][0](token.user)):
                return problem(403, "insufficient_scope", no_scope(scope))
            g.api_user, g.api_token = token.user, token
            now = utcnow()
            if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
                stamp_used(token.id, now)
                set_committed_value(token, "last_used_at", now)
            return view(*args, **kwargs)

        wrapper.api_scope = scope  # read by the OpenAPI document and the permission table test
        return wrapper

    return decorate
