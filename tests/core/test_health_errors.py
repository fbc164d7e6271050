"""/healthz, and the error pages: in the reader's language, never a stack trace, never a bare 500."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import abort

from app import create_app
from app.platform.extensions import db
from config import TestConfig

TRACE_SIGNS = ("Traceback", 'File "', "werkzeug", "sqlalchemy.exc", "kaboom")


def _operational_error(*_args, **_kwargs):
    raise sa.exc.OperationalError("SELECT 1", {}, Exception("could not connect to server"))


# ---------------------------------------------------------------------------------------------
# /healthz
# ---------------------------------------------------------------------------------------------

def test_healthz_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_data(as_text=True).strip() == "ok"
    assert response.headers["Cache-Control"] == "no-store"


def test_healthz_is_503_when_the_database_fails(client, monkeypatch):
    monkeypatch.setattr(db.session, "execute", _operational_error)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_data(as_text=True).strip() != "ok"
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("folder, status", [("existing-folder", 200), ("missing-folder", 503)])
def test_healthz_against_a_real_database_file(monkeypatch, tmp_path, folder, status):
    """Not a mock: an SQLite file that can be opened answers 200, one in a missing folder 503."""
    (tmp_path / "existing-folder").mkdir()
    config = TestConfig()
    config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / folder / 'db.sqlite'}"
    application = create_app(config)
    # The test-wide session is bound to the suite's database; give this app a session of its own.
    monkeypatch.setattr(db, "session", db._make_scoped_session({}))
    try:
        response = application.test_client().get("/healthz")
        assert response.status_code == status
    finally:
        db.session.remove()
        with application.app_context():
            db.engine.dispose()


# ---------------------------------------------------------------------------------------------
# 404 and 500 pages in both languages
# ---------------------------------------------------------------------------------------------

NOT_FOUND = {"en": "Page not found", "ja": "ページが見つかりません"}
SERVER_ERROR = {
    "en": ("Something went wrong", "An unexpected error occurred on our side."),
    "ja": ("エラーが発生しました", "システムで予期しないエラーが発生しました。"),
}


def _assert_no_trace(html: str) -> None:
    for sign in TRACE_SIGNS:
        assert sign not in html


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("path", ["/{lang}/courses/987654321", "/{lang}/providers/987654321",
                                  "/{lang}/no-such-page", "/{lang}/courses?page=99999"])
def test_404_page_in_both_languages(client, lang, path):
    response = client.get(path.format(lang=lang))
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in html
    assert NOT_FOUND[lang] in html
    other = "ja" if lang == "en" else "en"
    assert NOT_FOUND[other] not in html
    _assert_no_trace(html)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_500_from_a_failing_query_is_a_page_in_the_readers_language(client, monkeypatch, lang):
    from app.catalog import queries

    def explode(*_args, **_kwargs):
        raise RuntimeError("kaboom: internal detail")

    monkeypatch.setattr(queries, "list_skill_areas", explode)
    response = client.get(f"/{lang}/courses")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in html
    heading, message = SERVER_ERROR[lang]
    assert heading in html and message in html
    _assert_no_trace(html)
    assert "RuntimeError" not in html


@pytest.fixture
def fresh_app(database_uri):
    """An app of its own, so that test-only routes can be added to it."""
    config = TestConfig()
    config.SQLALCHEMY_DATABASE_URI = database_uri
    application = create_app(config)

    @application.get("/<lang:lang_code>/test-only/boom")
    def boom():
        raise ZeroDivisionError("kaboom")

    @application.get("/<lang:lang_code>/test-only/database")
    def database():
        _operational_error()

    @application.get("/<lang:lang_code>/test-only/unavailable")
    def unavailable():
        abort(503)

    @application.get("/api/test-only/boom")
    def api_boom():
        raise ZeroDivisionError("kaboom")

    yield application
    with application.app_context():
        db.engine.dispose()


UNAVAILABLE = {"en": ("Temporarily unavailable", "Please try again in a few minutes."),
               "ja": ("一時的にご利用いただけません", "")}


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("route", ["boom", "database"])
def test_500_page_without_trace(fresh_app, lang, route):
    """An unexpected error is a 500 page; a database that does not answer is a temporary 503 page."""
    response = fresh_app.test_client().get(f"/{lang}/test-only/{route}")
    assert response.status_code == (500 if route == "boom" else 503)
    html = response.get_data(as_text=True)
    assert response.content_type.startswith("text/html")
    assert f'<html lang="{lang}">' in html
    heading, message = (SERVER_ERROR if route == "boom" else UNAVAILABLE)[lang]
    assert heading in html and message in html
    _assert_no_trace(html)
    assert "ZeroDivisionError" not in html and "OperationalError" not in html


def test_500_page_in_japanese_text(fresh_app):
    html = fresh_app.test_client().get("/ja/test-only/boom").get_data(as_text=True)
    assert "<h1>エラーが発生しました</h1>" in html
    assert "Something went wrong" not in html


@pytest.mark.parametrize("lang, text", [("en", "Temporarily unavailable"), ("ja", "一時的にご利用いただけません")])
def test_503_page_in_both_languages(fresh_app, lang, text):
    response = fresh_app.test_client().get(f"/{lang}/test-only/unavailable")
    assert response.status_code == 503
    assert text in response.get_data(as_text=True)


def test_api_errors_are_json_without_trace(fresh_app):
    response = fresh_app.test_client().get("/api/test-only/boom")
    assert response.status_code == 500
    assert response.content_type == "application/problem+json"
    assert response.get_json()["status"] == 500
    _assert_no_trace(response.get_data(as_text=True))
    missing = fresh_app.test_client().get("/api/no-such-thing")
    assert missing.status_code == 404
    assert missing.get_json()["status"] == 404


def test_wrong_method_is_405_with_allow_header(client):
    response = client.post("/en/courses")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    assert "This page cannot be used that way." in response.get_data(as_text=True)
    ja = client.delete("/ja/courses")
    assert ja.status_code == 405
    assert "このページではその操作を行えません。" in ja.get_data(as_text=True)
