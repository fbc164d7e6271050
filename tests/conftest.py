"""Fixtures: one schema per run built by the real migrations, each test in a rolled-back transaction.

TEST_DATABASE_URL points the whole suite at PostgreSQL; without it a temporary SQLite file is used.
"""
from __future__ import annotations

import os

import flask_migrate
import pytest
import sqlalchemy as sa
from flask_sqlalchemy.session import _app_ctx_id
from sqlalchemy import event
from sqlalchemy.orm import scoped_session, sessionmaker

from app import create_app
from app.catalog import facet_index
from app.platform.extensions import db
from config import TestConfig, database_url


def _reset_database(url: str) -> None:
    if url.startswith("postgresql"):
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA public CASCADE")
            conn.exec_driver_sql("CREATE SCHEMA public")
        engine.dispose()


def _forget_rate_counters(redis_url: str | None) -> None:
    """Rate counters in Redis outlive a run (the database is rolled back, Redis is not): a second run
    within the hour would start with the first one's sign-in failures and registrations counted."""
    if not redis_url:
        return
    import redis

    client = redis.Redis.from_url(redis_url, socket_timeout=2)
    try:
        for name in client.scan_iter("rl:*", count=1000):
            client.delete(name)
    finally:
        client.close()


@pytest.fixture(scope="session")
def database_uri(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return database_url(url, "")
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"


@pytest.fixture(scope="session")
def app(database_uri):
    config = TestConfig()
    config.SQLALCHEMY_DATABASE_URI = database_uri
    _reset_database(database_uri)
    application = create_app(config)
    _forget_rate_counters(config.REDIS_URL)
    with application.app_context():
        flask_migrate.upgrade(directory=os.path.join(os.path.dirname(__file__), "..", "migrations"))
        db.engine.dispose()
    yield application


@pytest.fixture(autouse=True)
def db_session(request, app):
    """Each test runs inside a transaction that is rolled back; commits become SAVEPOINT releases."""
    # The rollback hands the catalogue version back, to be reused with other data: start without the
    # facet index an earlier test built.
    facet_index.forget()
    if "live_server" in request.fixturenames:
        yield None
        return
    with app.app_context():
        connection = db.engine.connect()
        transaction = connection.begin()
        # A plain SQLAlchemy session: Flask-SQLAlchemy's own would pick the engine from db.engines
        # and ignore this bind, making every commit real.
        session = scoped_session(
            sessionmaker(bind=connection, join_transaction_mode="create_savepoint"),
            scopefunc=_app_ctx_id,
        )
        original, db.session = db.session, session
        # Writes the app makes in a transaction of their own (cache entries, last-seen times) go
        # through the test's connection, which would otherwise hold the lock they wait for.
        from contextlib import contextmanager

        from flask import has_request_context, request

        from app.platform import cache
        from app.platform.database import UNSAFE_METHODS

        @contextmanager
        def in_test_transaction():
            # As in production, a side write in a read (GET) or outside a request is committed on its
            # own; in a write request it joins the request's transaction (app.platform.database.own_transaction).
            yield db.session.connection()
            if not (has_request_context() and request.method in UNSAFE_METHODS):
                db.session.commit()

        original_writer, cache._writer = cache._writer, in_test_transaction
        try:
            yield session
        finally:
            cache._writer = original_writer
            session.remove()
            db.session = original
            transaction.rollback()
            connection.close()


@pytest.fixture
def outbox(app):
    """The mails the app sent during the test (MAIL_SUPPRESS_SEND keeps them in a list), newest last."""
    box = app.extensions.setdefault("mail_outbox", [])
    box.clear()
    yield box
    box.clear()


@pytest.fixture
def csrf_on(app):
    """CSRF protection as in production (the test config turns it off)."""
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture
def client(app):
    from tests.factories import make_client

    return make_client(app)


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, conn, cursor, statement, *args):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN")):
            self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app):
    """with count_queries() as counter: ...; counter.count is the number of SQL statements run."""
    from contextlib import contextmanager

    @contextmanager
    def counting():
        counter = QueryCounter()
        event.listen(db.engine, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            event.remove(db.engine, "before_cursor_execute", counter)

    return counting
