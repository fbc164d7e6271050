"""A committed database, gunicorn with four workers on it, and a reader of what they did (one per module)."""
from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.concurrency import harness
from tests.concurrency.config import ConcurrencyConfig


@pytest.fixture(autouse=True)
def db_session():
    """Replaces the suite's rolled-back transaction: these tests commit to a database of their own,
    which other processes serve."""
    yield None


@dataclass
class Stack:
    app: object  # the app in this process: its serializers, its URL map
    seed: harness.Seed
    server: harness.Server
    browser: harness.Browser
    engine: sa.Engine  # reads what the workers committed
    outbox: Path

    def scalar(self, sql: str, **params):
        with self.engine.connect() as conn:
            return conn.execute(sa.text(sql), params).scalar_one()

    def rows(self, sql: str, **params) -> list:
        with self.engine.connect() as conn:
            return conn.execute(sa.text(sql), params).all()

    def log_has_errors(self) -> str:
        """The server log's tracebacks and lock errors, or "" when there are none."""
        log = self.server.log()
        bad = ("Traceback", "database is locked", "deadlock detected", "WORKER TIMEOUT", "read then write")
        return log if any(word in log for word in bad) else ""


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    if importlib.util.find_spec("gunicorn") is None:
        pytest.skip("gunicorn is not installed (it is pinned in requirements.txt: run `make install`)")
    from app import create_app

    tmp = tmp_path_factory.mktemp("concurrency")
    url = harness.create_database(tmp)
    server = engine = None
    try:
        config = ConcurrencyConfig(url, str(tmp / "outbox"))
        config.MIGRATIONS = True  # this process migrates; the workers do not load Alembic
        app = create_app(config)
        seed = harness.migrate_and_seed(app, harness.CROWD)
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        server = harness.Server(url, tmp / "outbox", tmp / "gunicorn.log", workers=4)
        server.start()
        yield Stack(app, seed, server, harness.Browser(app), engine, tmp / "outbox")
    finally:
        if server is not None:
            server.stop()
        if engine is not None:
            engine.dispose()
        harness.drop_database(url)
