"""Keeping the cached report figures current: a committed write to the data they count changes a version
number, which is part of every cached figure's key, so the next reader computes them afresh.

Exchanges, certificates, courses and organisations are always watched: staff see an approval or an import
in the report at once. Enrolments, seats and profiles change many times a minute at busy moments; they are
watched when the cache is Redis (a SET after the commit, well under a millisecond) and not when it is the
database table, where a shared write after every enrolment made 100 concurrent enrolments on SQLite time
out: there the enrolment and learner figures follow within REPORTS_CACHE_SECONDS.

The version is written after the commit on a connection of its own, never as a hot row inside the
writers' transactions.
"""
from __future__ import annotations

import secrets
from itertools import chain

from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.platform import cache

VERSION_KEY = "reports:version"
VERSION_SECONDS = 30 * 24 * 3600
# The tables the figures are computed from: always, and only when the shared cache is Redis.
WATCHED = frozenset({
    "exchange", "exchange_skill", "exchange_certification", "certification", "course", "course_skill_area",
    "organisation",
})
WATCHED_WITH_REDIS = frozenset({"enrolment", "course_session", "user_account"})


def _watched(table_name: str | None) -> bool:
    if table_name in WATCHED:
        return True
    return (table_name in WATCHED_WITH_REDIS and has_app_context()
            and bool(current_app.config.get("REDIS_URL")))
_FLAG = "reports_changed"


def version() -> str:
    return cache.get_text(VERSION_KEY) or "0"


def bump() -> None:
    try:
        cache.set_text(VERSION_KEY, secrets.token_hex(8), VERSION_SECONDS)
    except Exception:  # the data is saved; the report catches up within REPORTS_CACHE_SECONDS
        current_app.logger.warning("report figures version not changed", exc_info=True)


@event.listens_for(Session, "after_flush")
def _note_flush(session, _context) -> None:
    if _FLAG not in session.info and any(
        _watched(getattr(obj, "__tablename__", None)) for obj in chain(session.new, session.dirty, session.deleted)
    ):
        session.info[_FLAG] = True


@event.listens_for(Session, "do_orm_execute")
def _note_statement(state) -> None:
    # Bulk INSERT/UPDATE/DELETE statements (imports, seat counters) do not pass through the flush.
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if _watched(getattr(table, "name", None)):
            state.session.info[_FLAG] = True


@event.listens_for(Session, "after_commit")
def _bump_after_commit(session) -> None:
    if session.info.pop(_FLAG, False) and has_app_context():
        bump()


@event.listens_for(Session, "after_rollback")
def _forget(session) -> None:
    session.info.pop(_FLAG, None)
