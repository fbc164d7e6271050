"""Secrets kept in the database, encrypted at rest with a key derived from SECRET_KEY (HKDF, Fernet:
AES-128-CBC with an HMAC-SHA256), as the certificate signing keys are (app/certifications/signing.py).

A sealed value is "enc1:" followed by a Fernet token. `unseal` also reads values sealed with a key in
SECRET_KEY_FALLBACKS (the previous SECRET_KEY, while a change is rolled out) and plain values left from
before sealing existed; `flask keys rotate` re-seals everything with the current SECRET_KEY.
"""
from __future__ import annotations

import base64

from flask import current_app

from app.platform.lazy import lazy_import

fernet = lazy_import("cryptography.fernet")
hashes = lazy_import("cryptography.hazmat.primitives.hashes")
hkdf = lazy_import("cryptography.hazmat.primitives.kdf.hkdf")

PREFIX = "enc1:"
_INFO = b"battery-talent-bridge secrets-at-rest v1"


class Unreadable(RuntimeError):
    """A sealed value that neither SECRET_KEY nor any of SECRET_KEY_FALLBACKS opens."""


def _fernet(secret_key) -> fernet.Fernet:
    raw = secret_key.encode("utf-8") if isinstance(secret_key, str) else bytes(secret_key)
    derived = hkdf.HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(raw)
    return fernet.Fernet(base64.urlsafe_b64encode(derived))


def _keys() -> list:
    config = current_app.config
    return [config["SECRET_KEY"], *(config.get("SECRET_KEY_FALLBACKS") or [])]


def seal(plain: str, secret_key=None) -> str:
    key = secret_key if secret_key is not None else current_app.config["SECRET_KEY"]
    return PREFIX + _fernet(key).encrypt(plain.encode("utf-8")).decode("ascii")


def is_sealed(stored: str | None) -> bool:
    return bool(stored) and stored.startswith(PREFIX)


def unseal(stored: str | None, secret_keys=None) -> str | None:
    """The plain value; Unreadable when no key opens it."""
    if stored is None:
        return None
    if not is_sealed(stored):
        return stored  # from before sealing (the migration converts them; kept readable all the same)
    token = stored[len(PREFIX):].encode("ascii")
    for key in secret_keys if secret_keys is not None else _keys():
        try:
            return _fernet(key).decrypt(token).decode("utf-8")
        except fernet.InvalidToken:
            continue
    raise Unreadable("a sealed secret that SECRET_KEY cannot open (was SECRET_KEY changed? put the previous "
                     "one in SECRET_KEY_FALLBACKS and run `flask keys rotate`)")


def sealed_with_current_key(stored: str | None) -> bool:
    if not is_sealed(stored):
        return False
    try:
        unseal(stored, [current_app.config["SECRET_KEY"]])
    except Unreadable:
        return False
    return True
