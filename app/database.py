"""The declarative base, the constraint naming convention and column types shared by every feature."""
from __future__ import annotations

import enum
import sys
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timezone

import sqlalchemy as sa
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
    return datetime.now(timezone.utc)


class UTCDateTime(sa.types.TypeDecorator):
    """Stores naive UTC, hands back aware UTC, refuses naive input (a bug waiting to happen)."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc)


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


@contextmanager
def write_transaction():
    """Transactions begun inside this block take SQLite's write lock at once (BEGIN IMMEDIATE).

    A deferred transaction that reads and then writes fails at once with "database is locked" when
    another process wrote in between, whatever the busy timeout; an immediate one queues instead.
    On PostgreSQL the services lock the rows they decide on instead (SELECT ... FOR UPDATE).
    End the request's read transaction (commit) before entering, so the next statement begins anew.
    """
    token = _IMMEDIATE.set(True)
    try:
        yield
    finally:
        _IMMEDIATE.reset(token)


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn):
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _IMMEDIATE.get() else "BEGIN")
