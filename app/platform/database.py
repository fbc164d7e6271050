"""The declarative base, the constraint naming convention and column types shared by every feature."""
from __future__ import annotations

import enum
import logging
import sys
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator):
    """Stores naive UTC, hands back aware UTC, refuses naive input (a bug waiting to happen)."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def enum_type(enum_cls: type[enum.Enum]) -> sa.Enum:
    """A VARCHAR with a CHECK constraint: portable, and new values need only a migration."""
    return sa.Enum(
        enum_cls,
        name=enum_cls.__name__.lower(),
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum_cls),
        values_callable=lambda cls: [m.value for m in cls],
        validate_strings=True,
    )


# The sqlite3 module keeps up to 128 prepared statements per connection by default; the catalogue's
# filter combinations filled them with ~4-5 MiB of SQLite memory per worker (two connections). A page
# runs about ten distinct statements, so 16 keeps those prepared.
SQLITE_CACHED_STATEMENTS = 16
# SQLite's page cache per connection (KiB). The default 2,000 KiB filled up in each of a worker's two
# connections (the request's and the cache writer's) and stayed in the worker; the database file's pages
# stay in the operating system's cache whatever this is, so a page that is not held here costs a read().
SQLITE_CACHE_KIB = 512


def _is_sqlite(dbapi_connection) -> bool:
    # Not `import sqlite3` at the top: a worker on PostgreSQL would map libsqlite3 for nothing (~1 MiB).
    sqlite3 = sys.modules.get("sqlite3")
    return sqlite3 is not None and isinstance(dbapi_connection, sqlite3.Connection)


@event.listens_for(Engine, "do_connect")
def _sqlite_connect_args(dialect, _record, _cargs, cparams):
    if dialect.name == "sqlite":
        cparams.setdefault("cached_statements", SQLITE_CACHED_STATEMENTS)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    # WAL lets readers run beside one writer; the busy timeout makes writers queue instead of failing.
    if _is_sqlite(dbapi_connection):
        # SQLAlchemy, not the sqlite3 module, decides where transactions begin (see _sqlite_begin):
        # the module's implicit BEGIN breaks SAVEPOINTs.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
        cursor.close()


_IMMEDIATE: ContextVar[bool] = ContextVar("sqlite_begin_immediate", default=False)
_DEFERRED: ContextVar[bool] = ContextVar("sqlite_begin_deferred", default=False)
# Methods that change something: on SQLite their request's transactions take the write lock when they
# begin, so a view that reads and then writes queues behind another writer instead of failing.
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_WRITING = "btb_writing"  # Connection.info: this transaction holds (or asked for) the write lock


@contextmanager
def write_transaction():
    """Transactions begun inside this block take SQLite's write lock at once (BEGIN IMMEDIATE).

    A deferred transaction that reads and then writes fails at once with "database is locked" when
    another process wrote in between, whatever the busy timeout; an immediate one queues instead.
    Requests with an unsafe method (POST, PUT, PATCH, DELETE) begin this way anyway, unless their view
    runs `reads_first()`. On PostgreSQL the services lock the rows they decide on instead.
    End the request's read transaction (commit) before entering, so the next statement begins anew.
    """
    token = _IMMEDIATE.set(True)
    try:
        yield
    finally:
        _IMMEDIATE.reset(token)


def reads_first() -> None:
    """For a view that does slow work between its reads and its writes (checking a password): its
    transactions begin deferred, and it ends its reads and writes inside `write_transaction()`."""
    if has_request_context():
        g._btb_reads_first = True


def _immediate() -> bool:
    if _IMMEDIATE.get():
        return True
    return (has_request_context() and request.method in UNSAFE_METHODS
            and not g.get("_btb_reads_first", False))


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn):
    immediate = False
    if conn.dialect.name == "sqlite":
        immediate = _immediate()
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
    conn.info[_WRITING] = immediate  # info outlives the checkout: a new transaction starts clean
    conn.info.pop(_READ, None)


_READS = ("SELECT", "PRAGMA", "BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT", "WITH", "EXPLAIN")
_READ = "btb_read"  # Connection.info: this deferred SQLite transaction has read
# Set from the SQLITE_STRICT_WRITES setting: a write after a read in a deferred SQLite transaction
# raises instead of being logged (the concurrency tests' server runs this way, so that a path that would
# fail only when two processes collide fails every time).
STRICT_SQLITE_WRITES = False


class ReadThenWrite(RuntimeError):
    """A deferred SQLite transaction read and then wrote: it fails whenever another process wrote between."""


@event.listens_for(Engine, "before_cursor_execute")
def _note_write(conn, _cursor, statement, _parameters, _context, _executemany):
    if conn.info.get(_WRITING):
        return
    head = statement[:40].lstrip()[:9].upper()  # not lstrip() of the whole: a catalogue query is KiB long
    if head.startswith(_READS):
        if head.startswith(("SELECT", "WITH")) and conn.in_transaction():
            conn.info[_READ] = True
        return
    # Checked in requests, where server processes collide; a CLI command (a migration, the demo seed)
    # runs on its own.
    if conn.info.pop(_READ, False) and conn.dialect.name == "sqlite" and has_request_context():
        message = f"read then write in a deferred SQLite transaction: {statement[:80]!r}"
        if STRICT_SQLITE_WRITES:
            raise ReadThenWrite(message)
        logging.getLogger(__name__).warning(message)
    conn.info[_WRITING] = True


@event.listens_for(Engine, "commit")
@event.listens_for(Engine, "rollback")
def _end_write(conn):
    conn.info.pop(_WRITING, None)
    conn.info.pop(_READ, None)


def _session_writer(session):
    """The connection of `session` when its transaction already writes (joining it keeps one writer:
    a second connection would wait for the lock this one holds), else None. Never begins anything."""
    if session is not None and hasattr(session, "registry"):  # a scoped_session: the session it holds
        session = session.registry()
    transaction = session.get_transaction() if session is not None else None
    if transaction is None or not transaction.is_active:  # none, or committing (after_commit hooks)
        return None
    # SessionTransaction keeps its connections here; asking session.connection() would begin one.
    for conn, trans, *_ in list(transaction._connections.values()):
        if trans is not None and trans.is_active and not conn.closed and conn.info.get(_WRITING):
            return conn
    return None


@contextmanager
def own_transaction(engine, session=None):
    """A short write of its own (a counter, a last-seen stamp, a cache entry, the audit of a read),
    committed at the end of the block whatever the request does next. On SQLite it begins IMMEDIATE,
    so it queues behind other writers instead of failing; when `session` already writes, the block
    joins that transaction instead (and the caller's commit saves it)."""
    joined = _session_writer(session)
    if joined is not None:
        with joined.begin_nested():  # a failed side write must not abort the caller's transaction
            yield joined
        return
    token = _IMMEDIATE.set(True)
    try:
        with engine.begin() as conn:
            yield conn
    finally:
        _IMMEDIATE.reset(token)
