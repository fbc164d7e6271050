"""Production settings, response headers, migrations that match the models, an idempotent demo seed."""
from __future__ import annotations

import ast
import re
import secrets
from html.parser import HTMLParser
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app import create_app
from app.catalog.models import (
    Course,
    CourseLanguage,
    CourseSearch,
    CourseSession,
    SkillArea,
    course_skill_area,
)
from app.platform.extensions import db
from app.providers.models import Organisation
from config import DEFAULT_SECRET_KEY, ProductionConfig
from tests.factories import make_course

ROOT = Path(__file__).resolve().parents[2]


# ---------------------------------------------------------------------------------------------
# ProductionConfig
# ---------------------------------------------------------------------------------------------

@pytest.fixture
def site_url(monkeypatch):
    monkeypatch.setenv("SITE_URL", "https://talent.example.eu")


@pytest.mark.parametrize("key", [DEFAULT_SECRET_KEY, "", None, "short", "x" * 31])
def test_production_refuses_a_default_or_short_secret_key(monkeypatch, site_url, key):
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", key)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        ProductionConfig()


def test_production_refuses_the_default_key_through_the_factory(monkeypatch, site_url):
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", DEFAULT_SECRET_KEY)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("config.ProductionConfig")


def test_production_needs_site_url(monkeypatch):
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", secrets.token_urlsafe(48))
    monkeypatch.delenv("SITE_URL", raising=False)
    with pytest.raises(RuntimeError, match="SITE_URL"):
        ProductionConfig()


def test_production_starts_with_a_proper_key(monkeypatch, site_url):
    key = secrets.token_urlsafe(48)
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", key)
    config = ProductionConfig()
    application = create_app(config)
    assert application.config["SECRET_KEY"] == key
    assert application.config["SESSION_COOKIE_SECURE"] is True
    assert not application.config.get("DEBUG")
    assert not application.config.get("TESTING")


# ---------------------------------------------------------------------------------------------
# Security headers and what a strict CSP implies for the pages
# ---------------------------------------------------------------------------------------------

def _csp(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    directives = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


class Assets(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.inline_scripts: list[dict] = []
        self.inline_styles = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if "style" in a:
            self.inline_styles += 1
        if tag == "style":
            self.inline_styles += 1
        if tag == "script":
            if a.get("src"):
                self.urls.append(a["src"])
            else:
                self.inline_scripts.append(a)
        elif tag == "img" and a.get("src"):
            self.urls.append(a["src"])
        elif tag == "link" and a.get("rel") in ("stylesheet", "icon", "preload", "manifest"):
            self.urls.append(a["href"])


@pytest.mark.parametrize(
    "path", ["/en/", "/ja/courses", "/ja/courses/{course}", "/en/providers", "/ja/no-such-page"]
)
def test_security_headers(client, path):
    course = make_course()
    response = client.get(path.format(course=course.id))
    assert response.status_code in (200, 404)
    csp = _csp(response)
    assert csp["frame-ancestors"] == ["'none'"]
    assert "script-src" in csp
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert "'unsafe-inline'" not in csp.get("style-src", [])
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in (
        "no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"
    )

    html = response.get_data(as_text=True)
    assets = Assets(html)
    assert all(url.startswith("/") and not url.startswith("//") for url in assets.urls), assets.urls
    # The CSP blocks inline styles and un-nonced inline scripts: the page must not depend on any.
    assert assets.inline_styles == 0
    nonces = {f"'nonce-{s.get('nonce')}'" for s in assets.inline_scripts}
    assert nonces <= set(csp["script-src"])


def test_healthz_and_redirect_carry_the_headers_too(client):
    for response in (client.get("/healthz"), client.get("/")):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


# ---------------------------------------------------------------------------------------------
# Migrations build exactly the schema the models describe
# ---------------------------------------------------------------------------------------------

def _include_name_from_env():
    """The `include_name` rule of migrations/env.py (that file runs Alembic on import, so read it)."""
    path = ROOT / "migrations" / "env.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    wanted = [
        node for node in tree.body
        if (isinstance(node, ast.FunctionDef) and node.name == "include_name")
        or (isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id.isupper() for t in node.targets))
    ]
    namespace: dict = {}
    exec(compile(ast.Module(body=wanted, type_ignores=[]), str(path), "exec"), namespace)
    return namespace["include_name"]


def test_migrations_match_the_models(app):
    include_name = _include_name_from_env()
    context = MigrationContext.configure(
        db.session.connection(),
        opts={"include_name": include_name, "compare_type": True, "target_metadata": db.metadata},
    )
    differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_the_hand_made_search_objects_exist_and_are_excluded(app):
    """The rule above hides only the hand-made search objects, and those exist in the database."""
    include_name = _include_name_from_env()
    inspector = sa.inspect(db.session.connection())
    tables = set(inspector.get_table_names())
    hidden = {t for t in tables if not include_name(t, "table", {})}
    assert hidden <= {t for t in tables if t.startswith("course_fts")}
    assert set(db.metadata.tables) <= tables
    if db.session.get_bind().dialect.name == "sqlite":
        assert "course_fts" in tables
    else:
        indexes = {i["name"] for i in inspector.get_indexes("course_search")}
        assert "ix_course_search_body_trgm" in indexes


# ---------------------------------------------------------------------------------------------
# flask seed-demo
# ---------------------------------------------------------------------------------------------

def _counts() -> dict[str, int]:
    def count(model) -> int:
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))

    return {
        "providers": count(Organisation),
        "courses": count(Course),
        "sessions": count(CourseSession),
        "languages": count(CourseLanguage),
        "skill areas": count(SkillArea),
        "course skills": count(course_skill_area),
        "search rows": count(CourseSearch),
    }


def _added(output: str) -> dict[str, int]:
    return {name: int(n) for name, n in re.findall(r"(\w+): (\d+) added", output)}


@pytest.fixture
def commits_stay_in_the_test(db_session, monkeypatch):
    """A command's commit must be a SAVEPOINT release inside the test's rolled-back transaction
    (otherwise the demo data would stay in the shared test database)."""
    connection = db_session.bind
    assert db.session.connection() is connection
    return connection


def test_seed_demo_is_idempotent(app, commits_stay_in_the_test):
    for name in ("providers.json", "courses.json"):
        assert (ROOT / "app" / "demo" / name).exists(), f"app/demo/{name} is missing"
    runner = app.test_cli_runner()
    before = _counts()

    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    added = _added(first.output)
    after_first = _counts()
    assert added["providers"] == after_first["providers"] - before["providers"]
    assert added["courses"] == after_first["courses"] - before["courses"]
    # The demo data SPEC.md asks for.
    assert after_first["providers"] >= 12
    assert after_first["courses"] >= 60
    assert after_first["sessions"] >= 150

    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0, second.output
    again = _added(second.output)
    assert {"providers", "courses"} <= set(again) and set(again.values()) == {0}, second.output
    assert _counts() == after_first

    only_if_empty = runner.invoke(args=["seed-demo", "--if-empty"])
    assert only_if_empty.exit_code == 0, only_if_empty.output
    assert _counts() == after_first
