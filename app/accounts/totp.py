"""The second factor: TOTP codes from an authenticator app (RFC 6238) and one-time recovery codes.

Writes flush, never commit. A code is accepted within one time step either side of now (clocks drift)
and only for a step later than the last one accepted, so an observed code cannot be replayed. Recovery
codes are stored as SHA-256 only and die when used or when a new set is made.
"""
from __future__ import annotations

import hashlib
import hmac
import io
import secrets
import time
import unicodedata

import sqlalchemy as sa

from app.accounts.models import RecoveryCode, User
from app.platform import ratelimit
from app.platform.database import utcnow
from app.platform.extensions import db
from app.platform.lazy import lazy_import
from app.platform.sealing import Unreadable, seal, sealed_with_current_key, unseal

pyotp = lazy_import("pyotp")
segno = lazy_import("segno")

ISSUER = "Battery Talent Bridge"
DIGITS = 6
INTERVAL = 30
WINDOW = 1  # time steps accepted either side of now
RECOVERY_CODES = 10
# Lower-case letters and digits without the look-alikes 0/o, 1/l/i: easy to read back from paper.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
# Wrong codes allowed per account in each window, across all server processes.
FAILURE_LIMIT = 5
FAILURE_WINDOW = 15 * 60


def new_secret() -> str:
    return pyotp.random_base32()  # 32 base32 characters: 160 bits, as RFC 4226 recommends


def grouped(secret: str) -> str:
    """ABCD EFGH IJKL ... for typing into an app by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def provisioning_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret, digits=DIGITS, interval=INTERVAL).provisioning_uri(
        name=email, issuer_name=ISSUER
    )


def qr_svg(uri: str) -> str:
    """The otpauth:// URI as inline SVG markup, made on the server (no script, no style attribute)."""
    buffer = io.BytesIO()
    segno.make(uri, error="m").save(
        buffer, kind="svg", xmldecl=False, svgns=True, nl=False, scale=5, border=4, dark="#000", light="#fff",
        svgclass="qr-code", lineclass=None,
    )
    out = buffer.getvalue().decode("utf-8")
    if "style=" in out or "<script" in out:  # the page's CSP allows neither
        raise ValueError("unexpected markup in the QR code SVG")
    return out


def _digits(code: str | None) -> str | None:
    """Six digits however they were typed: full-width ６, spaces or a hyphen in the middle."""
    if not code or len(code) > 40:
        return None
    cleaned = "".join(unicodedata.normalize("NFKC", code).split()).replace("-", "")
    return cleaned if len(cleaned) == DIGITS and cleaned.isascii() and cleaned.isdigit() else None


def matching_step(secret: str, code: str | None, *, after: int | None = None, at: float | None = None) -> int | None:
    """The time step whose code is `code` (within the window and later than `after`), else None."""
    digits = _digits(code)
    if digits is None or not secret:
        return None
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=INTERVAL)
    now_step = int((time.time() if at is None else at) // INTERVAL)
    found = None
    for step in range(now_step - WINDOW, now_step + WINDOW + 1):
        # Compare every candidate, so the time taken does not say which step matched.
        if hmac.compare_digest(totp.generate_otp(step), digits) and (after is None or step > after):
            found = step
    return found


def verify_code(user: User, code: str | None) -> bool:
    """Check a code from the person's app; an accepted step is remembered so it cannot be reused."""
    if not user.has_second_factor or not user.totp_secret:
        return False
    step = matching_step(user.totp_secret, code, after=user.totp_last_step)
    if step is None:
        return False
    # Atomic: of two requests racing with the same code, only one moves the step forward.
    moved = db.session.execute(
        sa.update(User)
        .where(User.id == user.id, sa.or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    ).rowcount
    if moved != 1:
        return False
    user.totp_last_step = step
    return True


def enable(user: User, secret: str, code: str | None) -> list[str] | None:
    """Confirm a new authenticator with a first code: save it and return a fresh set of recovery codes
    (plain text, to show once). None when the code does not match."""
    step = matching_step(secret, code)
    if step is None:
        return None
    user.totp_secret = secret
    user.totp_enabled_at = utcnow()
    user.totp_last_step = step
    return new_recovery_codes(user)


def disable(user: User) -> None:
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def reseal_secrets() -> tuple[int, int]:
    """Seal every secret with the current SECRET_KEY (after a change, with the previous key in
    SECRET_KEY_FALLBACKS); returns (re-sealed, unreadable). Idempotent; flushes."""
    done = unreadable = 0
    for user in db.session.scalars(sa.select(User).where(User.totp_secret_sealed.is_not(None))):
        if sealed_with_current_key(user.totp_secret_sealed):
            continue
        try:
            plain = unseal(user.totp_secret_sealed)
        except Unreadable:
            unreadable += 1
            continue
        user.totp_secret_sealed = seal(plain)
        done += 1
    db.session.flush()
    return done, unreadable


# Recovery codes -----------------------------------------------------------------------------------

def _canonical(code: str) -> str:
    return "".join(unicodedata.normalize("NFKC", code).split()).replace("-", "").casefold()


def _hash(code: str) -> str:
    return hashlib.sha256(_canonical(code).encode("utf-8")).hexdigest()


def _recovery_code() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(10))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def new_recovery_codes(user: User) -> list[str]:
    """Replace every recovery code of `user` with RECOVERY_CODES new ones; returns them in plain text."""
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [_recovery_code() for _ in range(RECOVERY_CODES)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash(code)) for code in codes)
    db.session.flush()
    return codes


def use_recovery_code(user: User, code: str | None) -> bool:
    """Spend one unused recovery code; True when it matched (it is dead from now on)."""
    if not code or len(code) > 40 or not user.has_second_factor:
        return False
    used = db.session.execute(
        sa.update(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _hash(code),
               RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    return used == 1


def recovery_codes_left(user: User) -> int:
    return db.session.execute(
        sa.select(sa.func.count()).select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    ).scalar_one()


# Throttling wrong codes ---------------------------------------------------------------------------

def _key(user: User) -> str:
    return f"2fa:account:{user.id}"


def retry_after(user: User) -> int:
    """Seconds until `user` may try a code again; 0 when they may now."""
    verdict = ratelimit.peek(_key(user), FAILURE_LIMIT, FAILURE_WINDOW)
    return 0 if verdict.allowed else max(verdict.retry_after, 1)


def count_failure(user: User) -> None:
    ratelimit.hit(_key(user), FAILURE_LIMIT, FAILURE_WINDOW)


def clear_failures(user: User) -> None:
    ratelimit.reset(_key(user))
