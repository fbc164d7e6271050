"""Password policy and hashing.

The policy follows NIST SP 800-63B: a minimum length, no composition rules, any characters (spaces and
emoji too), and a refusal of passwords that are common or made of the person's own address or names.
Passwords are NFC-normalised before counting and hashing, so the same password typed on systems that
compose accents or kana differently (NFD on macOS) is the same password.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 12
MAX_LENGTH = 1024
DEFAULT_METHOD = "scrypt"
COMMON_PASSWORDS = Path(__file__).with_name("common_passwords.txt")
# Beyond this a sign-in attempt is not hashed at all (a form already refuses it): hashing megabytes
# per request would be a cheap way to load the server.
_VERIFY_LIMIT = MAX_LENGTH * 4


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The shipped list, read once per process (a few hundred entries)."""
    with COMMON_PASSWORDS.open(encoding="utf-8") as f:
        return frozenset(
            line.rstrip("\n") for line in f if line.strip() and not line.startswith("#")
        )


def _normalise(password: str) -> str:
    return unicodedata.normalize("NFC", password)


def _fold(text: str) -> str:
    """For comparisons: full-width and half-width alike, case ignored."""
    return unicodedata.normalize("NFKC", text).casefold()


def _without_spaces(text: str) -> str:
    return "".join(_fold(text).split())


def _matches_names(folded: str, names) -> bool:
    parts = [_without_spaces(n) for n in names if n and n.strip()]
    if not parts:
        return False
    compact = "".join(folded.split())
    candidates = set(parts)
    # Family and given name together, in either order.
    candidates.update(a + b for a in parts for b in parts if a != b)
    return compact in candidates


def check_password_policy(password: str, *, email: str | None = None, names=()) -> list[str]:
    """Translated reasons why `password` may not be used; an empty list when it may."""
    if "\x00" in password:
        return [_("The password contains a character that cannot be used (a NUL character).")]
    normalised = _normalise(password)
    length = len(normalised)
    if length < MIN_LENGTH:
        return [_("Use at least %(min)s characters (this password has %(count)s).", min=MIN_LENGTH, count=length)]
    if length > MAX_LENGTH:
        return [_("Use at most %(max)s characters.", max=MAX_LENGTH)]
    errors = []
    folded = _fold(normalised)
    if len(set(folded)) == 1:
        errors.append(_("The password is a single character repeated. Choose something harder to guess."))
    elif folded in common_passwords() or normalised.casefold() in common_passwords():
        errors.append(_("This password is on a list of commonly used passwords. Choose another one."))
    if email:
        address = _fold(email.strip())
        local = address.rpartition("@")[0] or address
        if (address and address in folded) or (len(local) >= 3 and local in folded):
            errors.append(_("The password may not contain your email address."))
    if _matches_names(folded, names):
        errors.append(_("The password may not be your name."))
    return errors


def _method() -> str:
    return current_app.config.get("PASSWORD_HASH_METHOD", DEFAULT_METHOD)


def hash_password(password: str) -> str:
    return generate_password_hash(_normalise(password), method=_method())


def needs_rehash(password_hash: str) -> bool:
    """True when a stored hash was made with another method than the configured one (rehash it after a
    successful sign-in)."""
    return password_hash.partition("$")[0] != _dummy_hash(_method()).partition("$")[0]


@lru_cache(maxsize=4)
def _dummy_hash(method: str) -> str:
    return generate_password_hash("not anyone's password", method=method)


def dummy_verify() -> None:
    """Spend as long as a real check, for a sign-in to an account that does not exist: the answer time
    must not tell which addresses have an account."""
    check_password_hash(_dummy_hash(_method()), "a wrong password")


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether `password` matches; a missing or malformed hash is a mismatch that takes the same time."""
    # werkzeug answers a hash without "method$salt$hash" at once: that must take the usual time too.
    well_formed = bool(password_hash) and password_hash.count("$") >= 2
    if not well_formed or len(password) > _VERIFY_LIMIT or "\x00" in password:
        dummy_verify()
        return False
    try:
        return check_password_hash(password_hash, _normalise(password))
    except (ValueError, TypeError):
        dummy_verify()
        return False
