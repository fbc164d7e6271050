"""Migration 0015 on a database with organisations: each one-language city goes to the language it is
written in, and course search rows gain their provider's city."""
from __future__ import annotations

import os

import flask_migrate
import pytest
import sqlalchemy as sa

from app import create_app
from app.platform.extensions import db
from config import TestConfig

MIGRATIONS = os.path.join(os.path.dirname(__file__), "..", "..", "migrations")
ROWS = """
INSERT INTO organisation (id, name_en, kind, country, city, verified, created_at)
  VALUES (1, 'Kobe Cells', 'training_provider', 'JP', '神戸', 1, '2026-01-01 00:00:00'),
         (2, 'Nord Cells', 'training_provider', 'SE', ' Skellefteå ', 1, '2026-01-01 00:00:00'),
         (3, 'Nowhere Cells', 'training_provider', 'DE', NULL, 1, '2026-01-01 00:00:00');
INSERT INTO provider_application (id, name_en, kind, country, city, status, created_at)
  VALUES (1, 'Osaka Cells', 'training_provider', 'JP', '大阪', 'submitted', '2026-01-01 00:00:00'),
         (2, 'Lyon Cells', 'training_provider', 'FR', 'Lyon', 'submitted', '2026-01-01 00:00:00');
INSERT INTO course (id, title_en, provider_id, kind, status, audience, delivery_mode, certification, created_at, updated_at)
  VALUES (1, 'Cell safety', 1, 'training', 'published', 'engineer', 'online', 'none', '2026-01-01 00:00:00', '2026-01-01 00:00:00');
INSERT INTO course_search (course_id, title, body) VALUES (1, 'cell safety', 'cell safety');
"""


@pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")),
                    reason="runs on its own SQLite file; on PostgreSQL it was run by hand on the demo data")
def test_old_cities_go_to_their_language_and_search_holds_the_providers_city(tmp_path):
    config = TestConfig()
    config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'migrate.sqlite'}"
    application = create_app(config)
    with application.app_context():
        flask_migrate.upgrade(directory=MIGRATIONS, revision="0014")
        with db.engine.begin() as conn:
            for statement in filter(str.strip, ROWS.split(";")):
                conn.exec_driver_sql(statement)
        flask_migrate.upgrade(directory=MIGRATIONS, revision="0015")
        with db.engine.connect() as conn:
            orgs = conn.execute(sa.text("SELECT id, city_en, city_ja FROM organisation ORDER BY id")).all()
            applications = conn.execute(sa.text(
                "SELECT id, city_en, city_ja FROM provider_application ORDER BY id")).all()
            body = conn.execute(sa.text("SELECT body FROM course_search")).scalar()
            grams = set(conn.execute(sa.text("SELECT gram FROM course_gram")).scalars())
        flask_migrate.downgrade(directory=MIGRATIONS, revision="0014")
        with db.engine.connect() as conn:
            back = conn.execute(sa.text("SELECT id, city FROM organisation ORDER BY id")).all()
        db.engine.dispose()
    assert [tuple(row) for row in orgs] == [(1, None, "神戸"), (2, "Skellefteå", None), (3, None, None)]
    assert [tuple(row) for row in applications] == [(1, None, "大阪"), (2, "Lyon", None)]
    assert "神戸" in body and "神戸" in grams
    assert [tuple(row) for row in back] == [(1, "神戸"), (2, "Skellefteå"), (3, None)]
