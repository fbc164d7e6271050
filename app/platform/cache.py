"""A small shared cache: Redis when REDIS_URL is set, else a database table.

Never one process's memory, so every gunicorn worker and host sees the same entries.
"""
from __future__ import annotations

import json
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Mapped, mapped_column

from app.platform.database import UTCDateTime, own_transaction, utcnow
from app.platform.extensions import db


class CacheEntry(db.Model):
    __tablename__ = "cache_entry"

    key: Mapped[str] = mapped_column(sa.String(200), primary_key=True)
    value: Mapped[str] = mapped_column(sa.Text)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


def redis():
    """The shared Redis client when REDIS_URL is set (one per app), else None: callers fall back to the
    database."""
    client = current_app.extensions.get("btb_redis")
    if client is None and current_app.config.get("REDIS_URL"):
        import redis as redis_py

        client = redis_py.Redis.from_url(current_app.config["REDIS_URL"], socket_timeout=1)
        current_app.extensions["btb_redis"] = client
    return client


def get_text(key: str) -> str | None:
    client = redis()
    if client is not None:
        try:
            raw = client.get(key)
        except Exception:  # a cache that is down is a miss, never an error page
            current_app.logger.warning("redis unavailable for cache get", exc_info=True)
            return None
        return raw.decode("utf-8") if raw is not None else None
    return db.session.connection().execute(
        sa.select(CacheEntry.value).where(CacheEntry.key == key, CacheEntry.expires_at > utcnow())
    ).scalar()


def set_text(key: str, value: str, seconds: int) -> None:
    if seconds <= 0:
        return
    client = redis()
    if client is not None:
        try:
            client.set(key, value.encode("utf-8"), ex=seconds)
        except Exception:
            current_app.logger.warning("redis unavailable for cache set", exc_info=True)
        return
    now = utcnow()
    try:
        with side_write() as conn:
            conn.execute(sa.delete(CacheEntry).where(sa.or_(CacheEntry.key == key, CacheEntry.expires_at < now)))
            conn.execute(
                sa.insert(CacheEntry).values(key=key, value=value, expires_at=now + timedelta(seconds=seconds))
            )
    except sa.exc.DBAPIError:  # two workers storing the same key at once: one wins, both are fine
        current_app.logger.info("cache entry %s not stored", key, exc_info=True)


def side_write():
    """A short write of its own (see app.platform.database.own_transaction): counters, stamps, cache entries."""
    return _writer()


def _writer():
    # The request's session may hold a read snapshot that SQLite (WAL) refuses to turn into a write
    # once another process has committed, and committing that session would expire the objects the page
    # is still rendering. Tests replace this to keep such writes inside their rolled-back transaction.
    return own_transaction(db.engine, db.session)


def get_json(key: str):
    raw = get_text(key)
    return json.loads(raw) if raw is not None else None


def set_json(key: str, value, seconds: int) -> None:
    set_text(key, json.dumps(value, separators=(",", ":")), seconds)
