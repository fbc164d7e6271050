"""The credential endpoints are signed once and rate limited like the rest of the API.

Before: every GET of /api/v1/credentials/<id> signed a fresh RS256 JWT, and none of the credential
endpoints (credential, status, JWKS, issuer) counted against the API's per-address limit.
"""
from __future__ import annotations

import time

import pytest

from app.certifications import services, signing
from app.platform import ratelimit
from app.platform.extensions import db
from tests.certifications.test_credential_schema import issued
from tests.factories import make_client, make_user


@pytest.fixture
def counted_signatures(monkeypatch):
    calls = []
    original = signing.sign

    def counting(payload):
        calls.append(payload["jti"])
        return original(payload)

    monkeypatch.setattr(signing, "sign", counting)
    return calls


def test_a_credential_is_signed_once_and_served_as_stored(client, counted_signatures):
    cert = issued()
    first = client.get(f"/api/v1/credentials/{cert.public_id}?format=jwt").get_data(as_text=True)
    again = [client.get(f"/api/v1/credentials/{cert.public_id}?format=jwt").get_data(as_text=True)
             for _ in range(3)]
    as_json = client.get(f"/api/v1/credentials/{cert.public_id}").get_json()["jwt"]
    assert again == [first] * 3 and as_json == first
    assert len(counted_signatures) == 1
    db.session.expire_all()
    assert cert.signed_jwt == first


def test_revoking_signs_afresh_and_withdrawing_deletes_the_stored_credential(client, counted_signatures):
    cert = issued()
    client.get(f"/api/v1/credentials/{cert.public_id}?format=jwt")
    services.revoke(cert, "Issued by mistake", make_user("member"))
    assert cert.signed_jwt is None
    other = issued()
    client.get(f"/api/v1/credentials/{other.public_id}?format=jwt")
    db.session.expire_all()
    assert other.signed_jwt
    services.set_public(other, False)
    db.session.expire_all()
    assert other.signed_jwt is None
    assert client.get(f"/api/v1/credentials/{other.public_id}?format=jwt").status_code == 404


@pytest.mark.parametrize("path", ["/api/v1/credentials/{id}", "/api/v1/credentials/{id}/status",
                                  "/.well-known/jwks.json", "/api/v1/issuer"])
def test_credential_endpoints_count_against_the_address_limit(app, monkeypatch, path):
    monkeypatch.setitem(app.config, "API_ADDRESS_RATE_LIMIT", 3)
    # One window for the four requests: a window boundary between them would start the count again.
    start = int(time.time())
    monkeypatch.setattr(ratelimit, "_window", lambda seconds: (start // seconds * seconds, seconds))
    cert = issued()
    client = make_client(app)
    address = f"10.77.{cert.id % 250}.{len(path)}"
    answers = [client.get(path.format(id=cert.public_id), environ_base={"REMOTE_ADDR": address})
               for _ in range(4)]
    assert [a.status_code for a in answers[:3]] == [200] * 3
    assert answers[3].status_code == 429 and int(answers[3].headers["Retry-After"]) > 0
    assert answers[0].headers["RateLimit-Limit"] == "3"
