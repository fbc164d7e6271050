"""The keys that sign credentials (RS256), kept in the database so every process and host signs with the
same one, and the JWT signing and checking built on them.

- `current_key()` gives the key to sign with, creating it on first use. Concurrent first uses (several
  workers, several hosts) end with one key: creation runs in a transaction of its own that takes a lock
  (PostgreSQL advisory lock; SQLite BEGIN IMMEDIATE) and looks again before inserting.
- `rotate()` retires the current key and makes a new one. Retired keys stay in /.well-known/jwks.json, so
  credentials they signed keep verifying.
- The private key is stored as PKCS#8 PEM, encrypted with a password derived from SECRET_KEY (HKDF).
  Changing SECRET_KEY therefore makes the stored private keys unusable: signing then fails with
  `KeyUnusable`, naming the fix, `flask keys rotate`, which needs no old private key (the public parts of
  old keys stay published and valid). Rotate right after changing SECRET_KEY, before serving traffic.
"""
from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app

from app.certifications.models import Certification, SigningKey
from app.platform import cache
from app.platform.database import utcnow, write_transaction
from app.platform.extensions import db
from app.platform.lazy import lazy_import

jwt = lazy_import("jwt")
hashes = lazy_import("cryptography.hazmat.primitives.hashes")
serialization = lazy_import("cryptography.hazmat.primitives.serialization")
rsa = lazy_import("cryptography.hazmat.primitives.asymmetric.rsa")
hkdf = lazy_import("cryptography.hazmat.primitives.kdf.hkdf")

ALGORITHM = "RS256"
KEY_BITS = 3072
# Any constant: the PostgreSQL advisory lock that serialises key creation and rotation.
_LOCK_ID = 0x0B7B_5167
_TABLE = SigningKey.__table__


class KeyUnusable(RuntimeError):
    """A stored private key that SECRET_KEY cannot decrypt (SECRET_KEY changed without a rotation)."""


class InvalidToken(Exception):
    """A token that is not a credential signed here: `code` says why (malformed, algorithm, unknown_key,
    bad_signature)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code


@dataclass(frozen=True)
class Key:
    kid: str
    algorithm: str
    private_key: str  # encrypted PEM
    public_jwk: dict
    created_at: datetime | None
    retired_at: datetime | None

    @classmethod
    def of(cls, row) -> Key:
        return cls(row.kid, row.algorithm, row.private_key, dict(row.public_jwk), row.created_at, row.retired_at)


# ---- keys -------------------------------------------------------------------------------------------------

def _password() -> bytes:
    secret = current_app.config["SECRET_KEY"]
    secret = secret.encode("utf-8") if isinstance(secret, str) else bytes(secret)
    derived = hkdf.HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                   info=b"battery-talent-bridge signing-key encryption v1").derive(secret)
    return base64.urlsafe_b64encode(derived)


def _b64(number: int) -> str:
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def thumbprint(jwk: dict) -> str:
    """RFC 7638 JWK thumbprint (SHA-256, base64url) of an RSA key: its kid."""
    members = json.dumps({"e": jwk["e"], "kty": jwk["kty"], "n": jwk["n"]}, separators=(",", ":"), sort_keys=True)
    return base64.urlsafe_b64encode(hashlib.sha256(members.encode("utf-8")).digest()).rstrip(b"=").decode("ascii")


def _new_key_values(now: datetime) -> dict:
    private = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    numbers = private.public_key().public_numbers()
    jwk = {"kty": "RSA", "n": _b64(numbers.n), "e": _b64(numbers.e)}
    kid = thumbprint(jwk)
    jwk.update(kid=kid, alg=ALGORITHM, use="sig")
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.BestAvailableEncryption(_password()))
    return dict(kid=kid, algorithm=ALGORITHM, private_key=pem.decode("ascii"), public_jwk=jwk, created_at=now,
                retired_at=None)


def _writer():
    """A transaction of its own (the cache's writer, which tests point at their own transaction)."""
    return cache._writer()


def _lock(conn) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:id)"), {"id": _LOCK_ID})


def _current_row(conn_or_session):
    return conn_or_session.execute(
        sa.select(_TABLE).where(_TABLE.c.retired_at.is_(None)).order_by(_TABLE.c.id).limit(1)
    ).first()


def current_key() -> Key:
    """The key that signs now: the oldest key not retired (one, unless a rotation is under way), made on
    first use in a transaction of its own. On SQLite, call it before the request writes anything (a
    pending write of the request would hold the lock that the creation waits for)."""
    row = _current_row(db.session)
    if row is not None:
        return Key.of(row)
    return ensure_key()


def ensure_key(writer=None) -> Key:
    """Create the first key unless one exists, under a lock, looking again once the lock is held.
    `writer` (tests) opens the transaction, by default one of its own."""
    with write_transaction(), (writer or _writer)() as conn:
        _lock(conn)
        row = _current_row(conn)
        if row is None:
            conn.execute(sa.insert(_TABLE).values(**_new_key_values(utcnow())))
            row = _current_row(conn)
    return Key.of(row)


def rotate() -> Key:
    """Retire every current key and make a new one; the retired keys stay published."""
    now = utcnow()
    values = _new_key_values(now)
    with write_transaction(), _writer() as conn:
        _lock(conn)
        conn.execute(sa.update(_TABLE).where(_TABLE.c.retired_at.is_(None)).values(retired_at=now))
        conn.execute(sa.insert(_TABLE).values(**values))
        # Stored credentials stay valid (retired keys stay published) but are signed afresh with the new key.
        conn.execute(sa.update(Certification).where(Certification.signed_jwt.is_not(None)).values(signed_jwt=None))
        row = conn.execute(sa.select(_TABLE).where(_TABLE.c.kid == values["kid"])).first()
    return Key.of(row)


def all_keys() -> list[Key]:
    """Every key ever used, oldest first (for the JWKS document and for verification)."""
    return [Key.of(r) for r in db.session.execute(sa.select(_TABLE).order_by(_TABLE.c.id))]


def key_by_kid(kid: str) -> Key | None:
    row = db.session.execute(sa.select(_TABLE).where(_TABLE.c.kid == kid)).first()
    return Key.of(row) if row is not None else None


def jwks() -> dict:
    """The public parts of every key, retired ones included: {"keys": [{kty, n, e, kid, alg, use}, ...]}."""
    public = ("kty", "n", "e", "crv", "x", "kid", "alg", "use")
    return {"keys": [{name: k.public_jwk[name] for name in public if name in k.public_jwk} for k in all_keys()]}


# Decrypting a PEM costs a little; the result depends only on the key and SECRET_KEY.
_loaded: dict[tuple[str, bytes], rsa.RSAPrivateKey] = {}


def private_key(key: Key) -> rsa.RSAPrivateKey:
    password = _password()
    cache_key = (key.kid, hashlib.sha256(password).digest())
    loaded = _loaded.get(cache_key)
    if loaded is None:
        try:
            loaded = serialization.load_pem_private_key(key.private_key.encode("ascii"), password=password)
        except (ValueError, TypeError) as error:
            raise KeyUnusable(
                f"The signing key {key.kid} cannot be decrypted with the current SECRET_KEY (was SECRET_KEY "
                "changed?). Run `flask keys rotate` to make a new signing key; credentials signed before stay "
                "verifiable through the published public key."
            ) from error
        _loaded[cache_key] = loaded
    return loaded


def public_key(key: Key) -> rsa.RSAPublicKey:
    jwk = key.public_jwk
    if jwk.get("kty") != "RSA":
        raise InvalidToken("unknown_key", "not an RSA key")
    return jwt.PyJWK(jwk, algorithm=ALGORITHM).key


# ---- JWTs -------------------------------------------------------------------------------------------------

def sign(payload: dict, key: Key | None = None) -> str:
    """A compact JWS (RS256) of `payload`, header {alg, typ: JWT, kid}."""
    key = key or current_key()
    return jwt.encode(payload, private_key(key), algorithm=key.algorithm, headers={"kid": key.kid, "typ": "JWT"})


MAX_TOKEN_CHARS = 64_000


def verify_jwt(token: str) -> tuple[dict, Key]:
    """(payload, key) of a token signed by one of our keys, else InvalidToken. Only RS256 with a kid we
    published is accepted: "none", HMAC algorithms (a public key used as an HMAC secret) and any other
    algorithm are refused before the signature is looked at. Times (nbf, exp) are not enforced here: an
    expired credential still has a valid signature, and its status is the caller's to report."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_CHARS or token.count(".") != 2:
        raise InvalidToken("malformed")
    try:
        header = jwt.get_unverified_header(token)
    except (jwt.PyJWTError, ValueError, TypeError) as error:
        raise InvalidToken("malformed", str(error)[:100]) from None
    if header.get("alg") != ALGORITHM:
        raise InvalidToken("algorithm", repr(header.get("alg"))[:40])
    kid = header.get("kid")
    key = key_by_kid(kid) if isinstance(kid, str) and 0 < len(kid) <= 64 else None
    if key is None or key.algorithm != ALGORITHM:
        raise InvalidToken("unknown_key")
    try:
        payload = jwt.decode(
            token, public_key(key), algorithms=[ALGORITHM],
            options={"verify_exp": False, "verify_nbf": False, "verify_iat": False, "verify_aud": False,
                     "verify_iss": False, "verify_sub": False, "verify_jti": False, "require": ["iss", "jti"]},
        )
    except (jwt.PyJWTError, ValueError, TypeError) as error:
        # It names one of our keys but does not verify against it (or no longer decodes): altered.
        raise InvalidToken("bad_signature", str(error)[:100]) from None
    if not isinstance(payload, dict):
        raise InvalidToken("bad_signature")
    return payload, key
