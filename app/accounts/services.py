"""Account writes and rules: registering, activating, signing in, passwords. Flush, never commit."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app

from app.accounts.models import AccountStatus, Consent, ConsentKind, NameOrder, User
from app.accounts.passwords import dummy_verify, hash_password, verify_password
from app.platform import ratelimit
from app.platform.database import utcnow
from app.platform.domain import DomainError
from app.platform.extensions import db


class AccountError(DomainError):
    """A broken rule about accounts."""


def email_key(email: str) -> str:
    """One account per address however it is typed: width (ＡＢＣ), case and surrounding space."""
    return unicodedata.normalize("NFKC", email).strip().casefold()


def find_by_email(email: str) -> User | None:
    return db.session.execute(sa.select(User).where(User.email_key == email_key(email))).scalar_one_or_none()


@dataclass
class Registration:
    user: User
    created: bool  # False: the address already had an account (the caller mails its owner instead)


def suggested_name_order(family_name: str | None, given_name: str | None) -> NameOrder:
    """Family name first for names written in Japanese (or other CJK) script, else given name first."""
    text = ((family_name or "") + (given_name or "")).strip()
    cjk = ("CJK ", "HIRAGANA", "KATAKANA", "HANGUL", "IDEOGRAPHIC", "HALFWIDTH KATAKANA")
    if text and any(unicodedata.name(ch, "").startswith(cjk) for ch in text):
        return NameOrder.FAMILY_FIRST
    return NameOrder.GIVEN_FIRST


def register(email: str, password: str, *, preferred_language: str, family_name: str | None = None,
             given_name: str | None = None, country: str | None = None, timezone: str | None = None,
             share_with_providers: bool = False, consent_version: str,
             family_name_kana: str | None = None, given_name_kana: str | None = None,
             family_name_latin: str | None = None, given_name_latin: str | None = None) -> Registration:
    existing = find_by_email(email)
    if existing is not None:
        hash_password(password)  # as long as creating an account: the answer time must not tell
        return Registration(existing, False)
    user = User(
        email=unicodedata.normalize("NFKC", email).strip(),
        email_key=email_key(email),
        password_hash=hash_password(password),
        status=AccountStatus.PENDING,
        preferred_language=preferred_language,
        family_name=family_name or None,
        given_name=given_name or None,
        family_name_kana=family_name_kana or None,
        given_name_kana=given_name_kana or None,
        family_name_latin=family_name_latin or None,
        given_name_latin=given_name_latin or None,
        name_order=suggested_name_order(family_name, given_name),
        country=country or None,
        timezone=timezone or None,
        password_changed_at=utcnow(),
    )
    db.session.add(user)
    db.session.flush()
    db.session.add(Consent(user_id=user.id, kind=ConsentKind.TERMS, version=consent_version))
    if share_with_providers:
        db.session.add(Consent(user_id=user.id, kind=ConsentKind.SHARE_WITH_PROVIDERS, version=consent_version))
    return Registration(user, True)


def activate(user: User) -> None:
    user.status = AccountStatus.ACTIVE
    user.activated_at = utcnow()


class SignInResult:
    OK = "ok"
    FAILED = "failed"
    THROTTLED = "throttled"
    NOT_ACTIVATED = "not_activated"


@dataclass
class SignIn:
    result: str
    user: User | None = None
    retry_after: int = 0


def _throttle_keys(email: str, address: str) -> dict[str, tuple[str, int, int]]:
    """key -> (counter key, failures allowed, window seconds). An account and an account tried from one
    address allow 5 failures in 15 minutes; an address as a whole allows many more, since an office or a
    university behind one NAT (or the reverse proxy, without TRUSTED_PROXIES) is many people."""
    config = current_app.config
    account, addr = email_key(email)[:150], address[:45]
    window = config["SIGNIN_WINDOW_SECONDS"]
    return {
        "account": (f"signin:account:{account}", config["SIGNIN_LIMIT_PER_ACCOUNT"], window),
        "pair": (f"signin:pair:{addr}:{account}", config["SIGNIN_LIMIT_PER_ACCOUNT"], window),
        "address": (f"signin:address:{addr}", config["SIGNIN_LIMIT_PER_ADDRESS"],
                    config["SIGNIN_ADDRESS_WINDOW_SECONDS"]),
    }


def authenticate(email: str, password: str, address: str) -> SignIn:
    """Check a password, counting failures in the shared counters (per account, per account from this
    address, and per address). Never sleeps: a throttled attempt is answered at once with when to retry.

    An unknown address, a wrong password and a disabled account look the same to the caller's reader.
    """
    keys = _throttle_keys(email, address)
    verdicts = [ratelimit.peek(*spec) for spec in keys.values()]
    if not all(v.allowed for v in verdicts):
        return SignIn(SignInResult.THROTTLED, retry_after=max(v.retry_after for v in verdicts))
    user = find_by_email(email)
    if user is None or user.password_hash is None:
        dummy_verify()
        ok = False
    else:
        ok = verify_password(user.password_hash, password)
    if ok and user.status == AccountStatus.ACTIVE:
        ratelimit.reset(keys["account"][0])
        ratelimit.reset(keys["pair"][0])
        return SignIn(SignInResult.OK, user)
    if ok and user.status == AccountStatus.PENDING:
        return SignIn(SignInResult.NOT_ACTIVATED, user)
    for spec in keys.values():
        ratelimit.hit(*spec)
    return SignIn(SignInResult.FAILED)


def reset_allowed(email: str, address: str) -> bool:
    """Reset mails are limited per address typed and per client, so the form cannot flood an inbox."""
    return (ratelimit.hit(f"reset:account:{email_key(email)[:150]}", 3, 3600).allowed
            and ratelimit.hit(f"reset:address:{address[:45]}", 20, 3600).allowed)


# Registration mails (activation, "you already have an account") allowed per mailbox in an hour.
REGISTER_MAILS_PER_MAILBOX = 3


def registration_allowed(address: str) -> ratelimit.Verdict:
    """Count one registration attempt from a client address (each one costs a password hash)."""
    return ratelimit.hit(f"register:address:{address[:45]}",
                         current_app.config["REGISTER_LIMIT_PER_ADDRESS"], 3600)


def registration_mail_allowed(email: str) -> bool:
    """Count one registration mail to this mailbox; False past the limit (the caller sends nothing, and
    answers as always, so the page never tells whether the address has an account)."""
    return ratelimit.hit(f"register:mailbox:{email_key(email)[:150]}", REGISTER_MAILS_PER_MAILBOX, 3600).allowed


def set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()


def purge_unconfirmed(older_than_seconds: int) -> int:
    """Delete registrations never confirmed within the activation link's lifetime (the privacy notice
    promises it); returns how many. Safe to run from cron any number of times."""
    from datetime import timedelta

    cutoff = utcnow() - timedelta(seconds=older_than_seconds)
    result = db.session.execute(
        sa.delete(User).where(User.status == AccountStatus.PENDING, User.created_at < cutoff)
    )
    return result.rowcount
