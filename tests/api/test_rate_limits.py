"""API rate limits: per address without a token, per token with one; shared state (Redis or the table);
a refusal is a 429 problem with Retry-After, and every answer says what is left."""
from __future__ import annotations

import secrets

import pytest

from tests.api.helpers import bearer, make_token
from tests.factories import make_user


@pytest.fixture
def tight(app):
    saved = app.config["API_ADDRESS_RATE_LIMIT"], app.config["API_TOKEN_RATE_LIMIT"]
    app.config["API_ADDRESS_RATE_LIMIT"], app.config["API_TOKEN_RATE_LIMIT"] = 3, 2
    yield
    app.config["API_ADDRESS_RATE_LIMIT"], app.config["API_TOKEN_RATE_LIMIT"] = saved


def _address() -> str:
    # A fresh address per test: Redis counters outlive the rolled-back test transaction.
    return f"10.{secrets.randbelow(250)}.{secrets.randbelow(250)}.{secrets.randbelow(250) + 1}"


def test_an_address_without_a_token_is_limited(client, tight):
    where = {"REMOTE_ADDR": _address()}
    answers = [client.get("/api/v1/skill-areas", environ_base=where) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [a.headers["RateLimit-Remaining"] for a in answers[:3]] == ["2", "1", "0"]
    refused = answers[3]
    assert refused.mimetype == "application/problem+json" and refused.get_json()["code"] == "rate_limited"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    # Another address is not held back.
    assert client.get("/api/v1/skill-areas", environ_base={"REMOTE_ADDR": _address()}).status_code == 200


def test_a_token_has_its_own_budget(client, tight):
    where = {"REMOTE_ADDR": _address()}
    token = make_token(make_user())
    codes = [client.get("/api/v1/me", headers=bearer(token), environ_base=where).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    # The address's own budget is untouched by the token's requests.
    assert client.get("/api/v1/skill-areas", environ_base=where).status_code == 200
    assert client.get("/api/v1/me", headers=bearer(make_token(make_user())), environ_base=where).status_code == 200
