"""Fixed-window counters shared by every server process: Redis when REDIS_URL is set, else a table.

`hit(key, limit, seconds)` counts one attempt and says whether it is within the limit, and if not,
how many seconds until the window ends. Used for failed sign-ins, resets, verification lookups, the API.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Mapped, mapped_column

from app.platform.cache import redis, side_write
from app.platform.extensions import db


class RateCounter(db.Model):
    __tablename__ = "rate_counter"

    key: Mapped[str] = mapped_column(sa.String(200), primary_key=True)
    window_start: Mapped[int] = mapped_column(sa.BigInteger)
    count: Mapped[int] = mapped_column(default=0)


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    count: int
    retry_after: int  # seconds until the window resets (0 when allowed)


def _window(seconds: int) -> tuple[int, int]:
    now = time.time()
    start = int(now // seconds * seconds)
    return start, max(1, math.ceil(start + seconds - now))


def hit(key: str, limit: int, seconds: int) -> Verdict:
    """Count one attempt against `key` in the current window of `seconds`."""
    start, left = _window(seconds)
    client = redis()
    if client is not None:
        try:
            name = f"rl:{key}:{start}"
            with client.pipeline() as pipe:
                pipe.incr(name)
                pipe.expire(name, seconds + 1)
                count = int(pipe.execute()[0])
            return Verdict(count <= limit, count, 0 if count <= limit else left)
        except Exception:  # Redis down: fall back to the database rather than letting everyone through
            current_app.logger.warning("redis unavailable for rate limit", exc_info=True)
    count = _hit_table(key, start)
    return Verdict(count <= limit, count, 0 if count <= limit else left)


def peek(key: str, limit: int, seconds: int) -> Verdict:
    """The state of `key` without counting (to refuse before checking a password)."""
    start, left = _window(seconds)
    client = redis()
    count = None
    if client is not None:
        try:
            raw = client.get(f"rl:{key}:{start}")
            count = int(raw) if raw is not None else 0
        except Exception:
            current_app.logger.warning("redis unavailable for rate limit", exc_info=True)
    if count is None:
        count = db.session.execute(
            sa.select(RateCounter.count).where(RateCounter.key == key, RateCounter.window_start == start)
        ).scalar() or 0
    return Verdict(count < limit, count, 0 if count < limit else left)


def reset(key: str) -> None:
    client = redis()
    if client is not None:
        try:
            for name in client.scan_iter(f"rl:{key}:*"):
                client.delete(name)
        except Exception:
            current_app.logger.warning("redis unavailable for rate limit", exc_info=True)
    with side_write() as conn:
        conn.execute(sa.delete(RateCounter).where(RateCounter.key == key))


def _hit_table(key: str, start: int) -> int:
    """One atomic statement: insert the counter, or add one (restarting it in a new window)."""
    dialect = db.engine.dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(RateCounter).values(key=key, window_start=start, count=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=[RateCounter.key],
        set_={
            "count": sa.case((RateCounter.window_start == start, RateCounter.count + 1), else_=1),
            "window_start": start,
        },
    ).returning(RateCounter.count)
    # Its own short transaction: a counter is a blind upsert that must count whatever the request does
    # next, and on SQLite the request's read snapshot could not be turned into a write.
    with side_write() as conn:
        return int(conn.execute(stmt).scalar_one())
