"""Catalogue writes: keeping the search index and the cache version in step with the courses."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.catalog.models import (
    CatalogueState,
    Course,
    CourseGram,
    CourseSearch,
    CourseSession,
    SessionStatus,
)
from app.catalog.search import course_text, gram_keys
from app.platform.database import utcnow
from app.platform.extensions import db
from app.providers.signals import directory_changed


def bump_catalogue_version() -> None:
    """Invalidate every cached catalogue result (one row, one atomic update)."""
    db.session.execute(sa.update(CatalogueState).values(version=CatalogueState.version + 1))


@directory_changed.connect
def _directory_changed(organisation, **_) -> None:
    bump_catalogue_version()  # the provider directory is cached on the catalogue version


def refresh_next_sessions(now: datetime | None = None) -> int:
    """Recompute Course.next_session_at wherever it has gone stale (`flask refresh-catalogue`, safe to
    run from cron as often as wanted). Returns the number of courses changed."""
    now = now or utcnow()
    changed = _recompute_next_sessions(Course.next_session_at < now, now)
    if changed:
        bump_catalogue_version()
    return changed


def _recompute_next_sessions(which, now: datetime) -> int:
    upcoming = (
        sa.select(sa.func.min(CourseSession.starts_at))
        .where(
            CourseSession.course_id == Course.id,
            CourseSession.status == SessionStatus.SCHEDULED,
            CourseSession.starts_at >= now,
        )
        .scalar_subquery()
    )
    stmt = sa.update(Course).values(next_session_at=upcoming).where(which)
    return db.session.execute(stmt.execution_options(synchronize_session=False)).rowcount


def reindex_courses(course_ids: Iterable[int]) -> None:
    """Rebuild the search rows of these courses in a few bulk statements."""
    ids = list(course_ids)
    if not ids:
        return
    db.session.flush()
    courses = db.session.scalars(
        sa.select(Course)
        .where(Course.id.in_(ids))
        .options(selectinload(Course.skill_areas), selectinload(Course.provider), selectinload(Course.sessions))
    ).all()
    # Inserted through the tables (plain executemany), not the ORM bulk path: the same rows, a third
    # of the time for the hundreds of gram rows each course has.
    search_rows, gram_rows = [], []
    for course in courses:
        title, body = course_text(course)
        search_rows.append({"course_id": course.id, "title": title, "body": body})
        gram_rows.extend({"gram": g, "course_id": course.id} for g in gram_keys(body))
    db.session.execute(sa.delete(CourseGram).where(CourseGram.course_id.in_(ids)))
    db.session.execute(sa.delete(CourseSearch).where(CourseSearch.course_id.in_(ids)))
    sqlite = db.session.get_bind().dialect.name == "sqlite"
    if sqlite:
        db.session.execute(
            sa.text("DELETE FROM course_fts WHERE rowid IN (SELECT value FROM json_each(:ids))"),
            {"ids": _json_list(ids)},
        )
    if search_rows:
        db.session.execute(sa.insert(CourseSearch.__table__), search_rows)
        if sqlite:
            db.session.execute(
                sa.text("INSERT INTO course_fts(rowid, body) VALUES (:course_id, :body)"), search_rows
            )
    if gram_rows:
        db.session.execute(sa.insert(CourseGram.__table__), gram_rows)
    _recompute_next_sessions(Course.id.in_(ids), utcnow())
    bump_catalogue_version()


def _json_list(ids: list[int]) -> str:
    return "[" + ",".join(str(int(i)) for i in ids) + "]"
