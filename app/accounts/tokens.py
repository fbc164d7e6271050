"""Signed one-time links for activating an account and resetting a password.

No table: each link signs the state it changes (the account still pending; the current password hash),
so it is dead once used, and the signature's timestamp makes it expire.
"""
from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from app.accounts.models import AccountStatus, User
from app.platform.extensions import db


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"accounts.{purpose}")


def _password_fingerprint(user: User) -> str:
    return hashlib.sha256((user.password_hash or "").encode("utf-8")).hexdigest()[:16]


def activation_token(user: User) -> str:
    return _serializer("activate").dumps({"u": user.id, "e": user.email_key})


def reset_token(user: User) -> str:
    return _serializer("reset").dumps({"u": user.id, "p": _password_fingerprint(user)})


def _load(purpose: str, token: str, max_age: int) -> dict | None:
    if not token or len(token) > 500:
        return None
    try:
        data = _serializer(purpose).loads(token, max_age=max_age)
    except BadSignature:  # also SignatureExpired
        return None
    return data if isinstance(data, dict) and isinstance(data.get("u"), int) else None


def user_for_activation(token: str) -> User | None:
    data = _load("activate", token, current_app.config["ACTIVATION_LINK_SECONDS"])
    user = db.session.get(User, data["u"]) if data else None
    if user is None or user.status != AccountStatus.PENDING or user.email_key != data.get("e"):
        return None
    return user


def user_for_reset(token: str) -> User | None:
    data = _load("reset", token, current_app.config["RESET_LINK_SECONDS"])
    user = db.session.get(User, data["u"]) if data else None
    if user is None or user.status != AccountStatus.ACTIVE or _password_fingerprint(user) != data.get("p"):
        return None
    return user
