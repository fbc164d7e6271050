"""The Open Badges endpoints and the check of a pasted credential: another JWT library (jwcrypto) verifies
a credential from the published keys alone; altered, foreign and algorithm-confused tokens fail; revoked
and expired say so; a private certificate is a 404 identical to an unknown id."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import timedelta

import pytest
from jwcrypto import jwk, jws
from jwcrypto import jwt as jjwt

from app.certifications import credential as credentials
from app.certifications import services, signing
from app.platform.extensions import db
from tests.certifications.test_credential_schema import issued
from tests.factories import make_user, now


def _b64(data) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def fetch_jwt(client, cert) -> str:
    response = client.get(f"/api/v1/credentials/{cert.public_id}?format=jwt")
    assert response.status_code == 200 and response.mimetype == "application/vc+jwt"
    return response.get_data(as_text=True)


def published_keys(client) -> jwk.JWKSet:
    response = client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    return jwk.JWKSet.from_json(response.get_data(as_text=True))


def jwcrypto_claims(token: str, keys: jwk.JWKSet) -> dict:
    checked = jjwt.JWT(jwt=token, key=keys, algs=["RS256"], check_claims={"exp": None, "nbf": None})
    return json.loads(checked.claims)


def tamper(token: str) -> str:
    """One character of the payload changed (to another base64url character)."""
    head, payload, signature = token.split(".")
    i = len(payload) // 2
    payload = payload[:i] + ("B" if payload[i] != "B" else "C") + payload[i + 1:]
    return f"{head}.{payload}.{signature}"


def test_another_library_verifies_from_the_published_keys_alone(client):
    cert = issued()
    token = fetch_jwt(client, cert)
    keys = published_keys(client)
    assert all(not {"d", "p", "q"} & set(json.loads(k.export_public())) for k in keys["keys"])
    claims = jwcrypto_claims(token, keys)
    assert claims["jti"] == f"http://localhost/api/v1/credentials/{cert.public_id}"
    assert claims["iss"] == "http://localhost/api/v1/issuer" and claims["type"][1] == "OpenBadgeCredential"
    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    assert header["alg"] == "RS256" and header["typ"] == "JWT" and header["kid"]


def test_json_and_jwt_forms(client):
    cert = issued()
    as_json = client.get(f"/api/v1/credentials/{cert.public_id}")
    assert as_json.status_code == 200 and as_json.mimetype == "application/json"
    body = as_json.get_json()
    assert body["credential"]["id"].endswith(cert.public_id) and body["jwt"].count(".") == 2
    by_accept = client.get(f"/api/v1/credentials/{cert.public_id}", headers={"Accept": "application/vc+jwt"})
    assert by_accept.mimetype == "application/vc+jwt" and by_accept.get_data(as_text=True) == body["jwt"]
    assert as_json.headers["Cache-Control"] == "no-store" and as_json.headers["Access-Control-Allow-Origin"] == "*"
    # The JSON document pasted as a whole is understood too
    verdict = credentials.check_pasted(as_json.get_data(as_text=True))
    assert verdict.signature_ok and verdict.status == "valid" and verdict.certificate.id == cert.id


def test_tampered_credential_fails_everywhere(client):
    cert = issued()
    token = fetch_jwt(client, cert)
    assert credentials.check_pasted(token).signature_ok
    altered = tamper(token)
    verdict = credentials.check_pasted(altered)
    assert not verdict.signature_ok and verdict.status is None and verdict.certificate is None
    assert verdict.reason == "bad_signature"
    keys = published_keys(client)
    with pytest.raises(jjwt.JWTMissingKey):  # jwcrypto's word, with a key set, for "no key verifies it"
        jwcrypto_claims(altered, keys)
    (only,) = keys["keys"]
    with pytest.raises(jws.InvalidJWSSignature):
        jwcrypto_claims(altered, only)
    assert jwcrypto_claims(token, only)["jti"].endswith(cert.public_id)


def test_algorithm_confusions_are_refused(client):
    cert = issued()
    token = fetch_jwt(client, cert)
    head, payload, _sig = token.split(".")
    kid = json.loads(base64.urlsafe_b64decode(head + "=="))["kid"]
    none = f"{_b64({'alg': 'none', 'typ': 'JWT', 'kid': kid})}.{payload}."
    assert credentials.check_pasted(none).reason == "algorithm"
    key = signing.key_by_kid(kid)
    from cryptography.hazmat.primitives import serialization

    pem = signing.public_key(key).public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo)
    hs_head = f"{_b64({'alg': 'HS256', 'typ': 'JWT', 'kid': kid})}.{payload}"
    forged = f"{hs_head}.{_b64(hmac.new(pem, hs_head.encode(), hashlib.sha256).digest())}"
    verdict = credentials.check_pasted(forged)
    assert not verdict.signature_ok and verdict.reason == "algorithm"
    with pytest.raises((jjwt.JWTMissingKey, jws.InvalidJWSSignature)):  # jwcrypto refuses it as well
        jwcrypto_claims(forged, published_keys(client))


def test_a_token_from_elsewhere_is_not_issued_here(db_session):
    import jwt
    from cryptography.hazmat.primitives.asymmetric import rsa

    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = jwt.encode({"iss": "https://elsewhere.example/issuer", "jti": "https://elsewhere.example/c/1"},
                       other, algorithm="RS256", headers={"kid": "elsewhere"})
    verdict = credentials.check_pasted(token)
    assert verdict == credentials.Verdict(False, None, None, "not_issued_here")


@pytest.mark.parametrize("garbage", [
    None, "", "   ", "x", "a.b.c", "...", "証明書.証明書.証明書", "eyJ.eyJ.x", "x" * 1_000_000,
    "{", '{"jwt": 5}', '{"jwt": "a.b.c"}', "[1, 2]", '{"a":' * 50_000, "data:application/vc+jwt,",
    _b64([1, 2]) + "." + _b64({}) + ".x", _b64(b"\xff\xfe") + ".e30.x", "a" * 100 + "." * 3,
])
def test_garbage_gives_a_verdict_never_an_error(db_session, garbage):
    verdict = credentials.check_pasted(garbage)
    assert verdict.signature_ok is False and verdict.certificate is None
    assert verdict.reason in ("malformed", "algorithm", "not_issued_here", "bad_signature")


def test_revoked_says_revoked(client):
    cert = issued()
    token = fetch_jwt(client, cert)
    status = client.get(f"/api/v1/credentials/{cert.public_id}/status").get_json()
    assert status["status"] == "valid" and status["revoked"] is False and status["revokedCredentials"] == []
    assert status["type"] == "1EdTechRevocationList" and status["issuer"] == "http://localhost/api/v1/issuer"
    services.revoke(cert, "Assessment irregularity", make_user())
    db.session.flush()
    status = client.get(f"/api/v1/credentials/{cert.public_id}/status").get_json()
    assert status["status"] == "revoked" and status["revoked"] is True and status["revokedAt"].endswith("Z")
    assert status["revokedCredentials"] == [{"id": credentials.credential_id(cert.public_id), "revoked": True,
                                             "revokedAt": status["revokedAt"]}]
    assert "irregularity" not in json.dumps(status)  # the reason is for the verification page, not here
    verdict = credentials.check_pasted(token)
    assert verdict.signature_ok and verdict.status == "revoked"


def test_expired_says_expired(client):
    cert = issued()
    cert.issued_at = now() - timedelta(days=800)
    cert.expires_at = now() - timedelta(days=70)
    db.session.flush()
    token = fetch_jwt(client, cert)
    assert client.get(f"/api/v1/credentials/{cert.public_id}/status").get_json()["status"] == "expired"
    verdict = credentials.check_pasted(token)
    assert verdict.signature_ok and verdict.status == "expired"
    keys = published_keys(client)
    with pytest.raises(jjwt.JWTExpired):  # an outside verifier sees it expired too ...
        jwcrypto_claims(token, keys)
    unexpired = jjwt.JWT(jwt=token, key=keys, algs=["RS256"], check_claims=False)  # ... and genuine
    assert json.loads(unexpired.claims)["exp"] < now().timestamp()


def test_credentials_signed_before_a_rotation_still_verify(client):
    cert = issued()
    before = fetch_jwt(client, cert)
    signing.rotate()
    db.session.flush()
    after = fetch_jwt(client, cert)
    kid = lambda t: json.loads(base64.urlsafe_b64decode(t.split(".")[0] + "=="))["kid"]  # noqa: E731
    assert kid(before) != kid(after)
    keys = published_keys(client)
    assert len(keys["keys"]) == 2
    assert jwcrypto_claims(before, keys)["jti"] == jwcrypto_claims(after, keys)["jti"]
    assert credentials.check_pasted(before).status == "valid"


def test_private_certificate_is_a_404_identical_to_an_unknown_id(client):
    cert = issued(public=False)
    unknown = "A" * len(cert.public_id)
    responses = [client.get(f"/api/v1/credentials/{pid}") for pid in (cert.public_id, unknown)]
    responses += [client.get(f"/api/v1/credentials/{pid}?format=jwt") for pid in (cert.public_id, unknown)]
    for response in responses:
        assert response.status_code == 404 and response.mimetype == "application/problem+json"
        assert response.get_data() == responses[0].get_data()
        # The same headers but for the rate counter, which counts every request alike.
        same = lambda r: sorted(h for h in r.headers.items() if h[0] != "RateLimit-Remaining")  # noqa: E731
        assert same(response) == same(responses[0])
    assert cert.public_id not in responses[0].get_data(as_text=True)
    # ... while its status still answers, so a credential shared before does not look fake
    assert client.get(f"/api/v1/credentials/{cert.public_id}/status").status_code == 200
    assert client.get(f"/api/v1/credentials/{unknown}/status").status_code == 404
    # turning the page off hides the credential at once
    services.set_public(cert, True)
    db.session.flush()
    assert client.get(f"/api/v1/credentials/{cert.public_id}").status_code == 200
    services.set_public(cert, False)
    db.session.flush()
    assert client.get(f"/api/v1/credentials/{cert.public_id}").get_data() == responses[0].get_data()


def test_issuer_and_keys_are_cacheable_json(client):
    for path in ("/api/v1/issuer", "/.well-known/jwks.json"):
        first = client.get(path)
        assert first.status_code == 200 and "max-age" in first.headers["Cache-Control"] and first.headers["ETag"]
        again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304
    assert client.get("/.well-known/jwks.json").mimetype == "application/jwk-set+json"
    refused = client.post("/.well-known/jwks.json")
    assert refused.status_code == 405 and refused.mimetype == "application/problem+json"
    assert "GET" in refused.headers["Allow"]
    missing = client.get("/.well-known/no-such-thing")
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"
    refused = client.post("/api/v1/issuer")
    assert refused.status_code == 405 and refused.mimetype == "application/problem+json"
