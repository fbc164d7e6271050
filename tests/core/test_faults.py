"""Faults answered, not crashed: a database that does not answer, a Redis that does not answer.

Real unreachable services, not mocks: a PostgreSQL address where nothing listens, an SQLite file in a
folder that does not exist, a Redis port where nothing listens.
"""
from __future__ import annotations

import socket

import pytest

from app import create_app
from config import TestConfig
from tests.factories import make_client


def closed_port() -> int:
    with socket.socket() as sock:  # bound and closed again: nothing listens there now
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(params=["sqlite", "postgresql"])
def down_app(request, tmp_path, monkeypatch):
    from app.platform.extensions import db

    config = TestConfig()
    config.MIGRATIONS = False
    config.SQLALCHEMY_DATABASE_URI = (f"sqlite:///{tmp_path / 'missing' / 'db.sqlite'}"
                                      if request.param == "sqlite" else
                                      f"postgresql+psycopg://postgres@127.0.0.1:{closed_port()}/none"
                                      "?connect_timeout=2")
    config.REDIS_URL = None
    application = create_app(config)
    # The test-wide session is bound to the suite's database; give this app a session of its own.
    monkeypatch.setattr(db, "session", db._make_scoped_session({}))
    yield application
    db.session.remove()
    with application.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("path", ["/ja/courses", "/ja/", "/ja/courses/1", "/ja/me/"])
def test_pages_answer_503_in_the_readers_language_when_the_database_is_down(down_app, path):
    client = make_client(down_app)
    if path.startswith("/ja/me"):  # a signed-in person: loading them is what meets the database first
        signer = down_app.session_interface.get_signing_serializer(down_app)
        client.set_cookie(down_app.config["SESSION_COOKIE_NAME"], signer.dumps({"_user_id": "x" * 43}))
    response = client.get(path)
    assert response.status_code == 503, response.get_data(as_text=True)[:500]
    text = response.get_data(as_text=True)
    assert "一時的に" in text or "ご利用いただけません" in text, text[:800]
    assert "Traceback" not in text and "OperationalError" not in text
    assert response.headers.get("Retry-After")


def test_forms_and_the_api_answer_503_too(down_app):
    client = make_client(down_app)
    form = client.post("/en/account/sign-in", data={"email": "a@example.com", "password": "x" * 12})
    assert form.status_code == 503 and "Temporarily unavailable" in form.get_data(as_text=True)
    api = client.get("/api/v1/courses", headers={"Accept-Language": "ja"})
    assert api.status_code == 503 and api.get_json()["code"] == "unavailable"
    assert not api.get_json()["title"].isascii()
    health = client.get("/healthz")
    assert health.status_code == 503 and "database" in health.get_data(as_text=True)


@pytest.fixture
def redis_down(app, monkeypatch):
    """The suite's app with REDIS_URL pointing where nothing listens."""
    monkeypatch.setitem(app.config, "REDIS_URL", f"redis://127.0.0.1:{closed_port()}/0")
    saved = app.extensions.pop("btb_redis", None)
    yield app
    app.extensions.pop("btb_redis", None)
    if saved is not None:
        app.extensions["btb_redis"] = saved


def test_without_redis_caches_and_counters_fall_back_to_the_database(redis_down, client):
    from app.platform import cache, ratelimit
    from tests.factories import make_course, make_user

    make_course(title_en="Cell assembly basics")
    assert client.get("/en/courses").status_code == 200
    assert client.get("/en/courses?q=cell").status_code == 200
    with redis_down.test_request_context("/"):
        cache.set_text("fault:key", "value", 60)
        assert cache.get_text("fault:key") in ("value", None)  # a miss is fine, an error is not
        first = ratelimit.hit("fault:counter", 2, 60)
        second = ratelimit.hit("fault:counter", 2, 60)
        third = ratelimit.hit("fault:counter", 2, 60)
        assert (first.allowed, second.allowed, third.allowed) == (True, True, False)  # counted in the table
    user = make_user()
    response = client.post("/en/account/sign-in", data={"email": user.email, "password": "wrong password 1"})
    assert response.status_code == 200
    assert client.get("/api/v1/courses").status_code == 200
