"""Signing keys: made once (also under concurrent first use), kept encrypted in the database, rotated with
the old public keys still published; only RS256 tokens with one of our kids are accepted."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading

import jwt
import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwcrypto import jwk

from app.certifications import signing
from app.certifications.models import SigningKey
from app.platform.extensions import db

PRIVATE_MEMBERS = {"d", "p", "q", "dp", "dq", "qi", "k"}


def _b64(data: dict | bytes) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def test_first_use_makes_one_key_and_reuses_it(db_session):
    first = signing.current_key()
    assert signing.current_key().kid == first.kid
    assert db.session.execute(sa.select(sa.func.count()).select_from(SigningKey)).scalar() == 1
    assert first.algorithm == "RS256"
    # kid: the RFC 7638 thumbprint of the public key, as another library computes it
    assert first.kid == jwk.JWK(**{k: first.public_jwk[k] for k in ("kty", "n", "e")}).thumbprint()
    public = signing.public_key(first)
    assert public.key_size >= 2048


def test_private_key_is_encrypted_with_a_key_derived_from_secret_key(app, db_session):
    key = signing.current_key()
    assert key.private_key.startswith("-----BEGIN ENCRYPTED PRIVATE KEY-----")
    with pytest.raises(TypeError):  # no password: cannot be read
        serialization.load_pem_private_key(key.private_key.encode(), password=None)
    for secret in ("test-secret-key", app.config["SECRET_KEY"]):
        assert secret.encode() not in key.private_key.encode()
    signing.sign({"iss": "x", "jti": "y"})
    original = app.config["SECRET_KEY"]
    try:
        app.config["SECRET_KEY"] = "another-secret-key-after-a-change-000000"
        with pytest.raises(signing.KeyUnusable, match="flask keys rotate"):
            signing.sign({"iss": "x", "jti": "y"})
        fresh = signing.rotate()  # needs no old private key
        token = signing.sign({"iss": "x", "jti": "y"})
        assert jwt.get_unverified_header(token)["kid"] == fresh.kid
    finally:
        app.config["SECRET_KEY"] = original


def test_rotation_retires_the_old_key_and_keeps_it_published(db_session):
    old = signing.current_key()
    token = signing.sign({"iss": "x", "jti": "before"})
    new = signing.rotate()
    assert new.kid != old.kid and signing.current_key().kid == new.kid
    assert signing.key_by_kid(old.kid).retired_at is not None
    published = signing.jwks()["keys"]
    assert [k["kid"] for k in published] == [old.kid, new.kid]
    for entry in published:
        assert entry["alg"] == "RS256" and entry["use"] == "sig" and entry["kty"] == "RSA"
        assert not PRIVATE_MEMBERS & set(entry)
    payload, key = signing.verify_jwt(token)
    assert payload["jti"] == "before" and key.kid == old.kid
    assert jwt.get_unverified_header(signing.sign({"iss": "x", "jti": "after"}))["kid"] == new.kid


def test_concurrent_first_use_ends_with_one_key(app, db_session):
    """Several workers asking for the first key at once, each on a connection of its own (real commits,
    removed afterwards): one key is made, and every worker gets that one."""
    engine = db.engine
    barrier, kids, errors = threading.Barrier(4), [], []

    def worker():
        try:
            with app.app_context():
                barrier.wait(timeout=10)
                kids.append(signing.ensure_key(writer=engine.begin).kid)
        except Exception as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert not errors, errors
        with engine.connect() as conn:
            stored = conn.execute(sa.select(SigningKey.kid)).scalars().all()
        assert len(set(kids)) == 1 and len(kids) == 4
        assert stored == kids[:1]
    finally:
        with engine.begin() as conn:
            conn.execute(sa.delete(SigningKey).where(SigningKey.kid.in_(kids or [""])))


def test_only_rs256_with_a_published_kid_is_accepted(db_session):
    key = signing.current_key()
    payload = {"iss": "http://localhost/api/v1/issuer", "jti": "x"}
    # alg "none"
    none = f"{_b64({'alg': 'none', 'typ': 'JWT', 'kid': key.kid})}.{_b64(payload)}."
    with pytest.raises(signing.InvalidToken) as refused:
        signing.verify_jwt(none)
    assert refused.value.code == "algorithm"
    # HS256 "signed" with our public key (PEM or JWK) as the HMAC secret: the classic confusion
    pem = signing.public_key(key).public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo)
    for secret in (pem, json.dumps(key.public_jwk).encode()):
        head = f"{_b64({'alg': 'HS256', 'typ': 'JWT', 'kid': key.kid})}.{_b64(payload)}"
        mac = hmac.new(secret, head.encode(), hashlib.sha256).digest()
        with pytest.raises(signing.InvalidToken) as refused:
            signing.verify_jwt(f"{head}.{_b64(mac)}")
        assert refused.value.code == "algorithm"
    # Another RSA key: under its own kid not ours, under our kid a bad signature
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(signing.InvalidToken) as refused:
        signing.verify_jwt(jwt.encode(payload, stranger, algorithm="RS256", headers={"kid": "someone-else"}))
    assert refused.value.code == "unknown_key"
    with pytest.raises(signing.InvalidToken) as refused:
        signing.verify_jwt(jwt.encode(payload, stranger, algorithm="RS256", headers={"kid": key.kid}))
    assert refused.value.code == "bad_signature"
    for alg in ("RS512", "PS256", "ES256", "EdDSA", "HS512", None):
        head = _b64({"alg": alg, "kid": key.kid}) if alg else _b64({"kid": key.kid})
        with pytest.raises(signing.InvalidToken):
            signing.verify_jwt(f"{head}.{_b64(payload)}.{_b64(b'x' * 256)}")


def test_keys_commands(app, db_session):
    runner = app.test_cli_runner()
    created = runner.invoke(args=["keys", "create"])
    assert created.exit_code == 0, created.output
    kid = signing.current_key().kid
    assert kid in created.output
    again = runner.invoke(args=["keys", "create"])
    assert kid in again.output and len(signing.all_keys()) == 1
    rotated = runner.invoke(args=["keys", "rotate"])
    assert rotated.exit_code == 0 and signing.current_key().kid != kid
    listed = runner.invoke(args=["keys", "list"])
    assert listed.exit_code == 0 and kid in listed.output and "retired" in listed.output
    assert listed.output.count("usable") == 2
