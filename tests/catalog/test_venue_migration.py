"""Migration 0011 on a database with sessions: each one-language city goes to the language it is
written in, and the search rows are folded (hiragana as katakana) and hold the cities."""
from __future__ import annotations

import os

import flask_migrate
import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

from app import create_app
from app.platform.extensions import db
from config import TestConfig

MIGRATIONS = os.path.join(os.path.dirname(__file__), "..", "..", "migrations")
ROWS = """
INSERT INTO organisation (id, name_en, kind, country, verified, created_at)
  VALUES (1, 'Kobe Cells', 'training_provider', 'JP', 1, '2026-01-01 00:00:00');
INSERT INTO course (id, title_ja, provider_id, kind, status, audience, delivery_mode, certification, created_at, updated_at)
  VALUES (1, 'りさいくる入門', 1, 'training', 'published', 'engineer', 'in_person', 'none', '2026-01-01 00:00:00', '2026-01-01 00:00:00');
INSERT INTO course_search (course_id, title, body) VALUES (1, 'りさいくる入門', 'りさいくる入門');
INSERT INTO course_session (id, course_id, starts_at, ends_at, timezone, starts_on, online, venue_city, venue_country,
                            capacity, seats_taken, requires_approval, status, created_at)
  VALUES (1, 1, '2027-01-01 00:00:00', '2027-01-01 08:00:00', 'Asia/Tokyo', '2027-01-01', 0, '神戸', 'JP',
          10, 0, 0, 'scheduled', '2026-01-01 00:00:00'),
         (2, 1, '2027-02-01 00:00:00', '2027-02-01 08:00:00', 'Europe/Stockholm', '2027-02-01', 0, 'Skellefteå', 'SE',
          10, 0, 0, 'scheduled', '2026-01-01 00:00:00'),
         (3, 1, '2027-03-01 00:00:00', '2027-03-01 08:00:00', 'Asia/Tokyo', '2027-03-01', 1, NULL, NULL,
          10, 0, 0, 'scheduled', '2026-01-01 00:00:00');
"""


@pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")),
                    reason="runs on its own SQLite file; on PostgreSQL it was run by hand on the demo data")
def test_old_cities_go_to_their_language_and_search_is_refolded(tmp_path):
    config = TestConfig()
    config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'migrate.sqlite'}"
    application = create_app(config)
    before = ScriptDirectory(MIGRATIONS).get_revision("0011").down_revision
    with application.app_context():
        flask_migrate.upgrade(directory=MIGRATIONS, revision=before)
        with db.engine.begin() as conn:
            for statement in filter(str.strip, ROWS.split(";")):
                conn.exec_driver_sql(statement)
        flask_migrate.upgrade(directory=MIGRATIONS, revision="0011")
        with db.engine.connect() as conn:
            cities = conn.execute(sa.text(
                "SELECT id, venue_city_en, venue_city_ja FROM course_session ORDER BY id")).all()
            body = conn.execute(sa.text("SELECT body FROM course_search")).scalar()
            grams = set(conn.execute(sa.text("SELECT gram FROM course_gram")).scalars())
            trigram = conn.execute(sa.text(
                "SELECT rowid FROM course_fts WHERE course_fts MATCH '\"リサイクル\"'")).scalars().all()
        db.engine.dispose()
    assert [tuple(row) for row in cities] == [(1, None, "神戸"), (2, "Skellefteå", None), (3, None, None)]
    assert "リサイクル入門" in body and "神戸" in body and "skellefteå" in body
    assert {"リサ", "神戸", "^sk"} <= grams and "りさ" not in grams
    assert trigram == [1]
