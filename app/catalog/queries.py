"""Catalogue reads: skill areas, courses and their sessions, the home page's figures (the search with its
filter counts is in search_queries.py)."""
from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from app.catalog.models import (
    CatalogueState,
    Course,
    CourseSession,
    CourseStatus,
    SessionStatus,
    SkillArea,
    course_skill_area,
)
from app.platform.extensions import db


def list_skill_areas() -> list[SkillArea]:
    return list(db.session.scalars(sa.select(SkillArea).order_by(SkillArea.position)))


def catalogue_version() -> int:
    return db.session.execute(sa.select(CatalogueState.version)).scalar() or 0


def load_courses(ids: list[int]) -> list[Course]:
    """Courses in the given order, with everything a result card shows, in a fixed number of queries."""
    if not ids:
        return []
    rows = db.session.scalars(
        sa.select(Course).where(Course.id.in_(ids)).options(
            joinedload(Course.provider),
            selectinload(Course.skill_areas),
            selectinload(Course.languages),
        )
    ).all()
    by_id = {c.id: c for c in rows}
    return [by_id[i] for i in ids if i in by_id]


def next_sessions(course_ids: list[int], now: datetime) -> dict[int, CourseSession]:
    """The next scheduled session of each course, in one query."""
    if not course_ids:
        return {}
    return _next_sessions(now, course_ids)


def next_sessions_of_published(now: datetime) -> dict[int, CourseSession]:
    """The next scheduled session of every published course, in one statement (no IN list)."""
    return _next_sessions(now, None)


def _next_sessions(now: datetime, course_ids: list[int] | None) -> dict[int, CourseSession]:
    """Of these courses (None: every published one), each one's first scheduled session from `now`."""
    ranked = sa.select(
        CourseSession.id,
        sa.func.row_number().over(
            partition_by=CourseSession.course_id, order_by=(CourseSession.starts_at, CourseSession.id)
        ).label("rank"),
    ).where(CourseSession.status == SessionStatus.SCHEDULED, CourseSession.starts_at >= now)
    if course_ids is None:
        ranked = ranked.join(Course, Course.id == CourseSession.course_id).where(
            Course.status == CourseStatus.PUBLISHED)
    else:
        ranked = ranked.where(CourseSession.course_id.in_(course_ids))
    ranked = ranked.subquery()
    sessions = db.session.scalars(
        sa.select(CourseSession).join(ranked, ranked.c.id == CourseSession.id).where(ranked.c.rank == 1)
    ).all()
    return {s.course_id: s for s in sessions}


def upcoming_of(course: Course, now: datetime) -> list[CourseSession]:
    """A course's sessions still to come and not cancelled, from its loaded sessions (no query)."""
    return [s for s in course.sessions if s.starts_at >= now and s.status != SessionStatus.CANCELLED]


def get_published_course(course_id: int) -> Course | None:
    # Skill areas by selectin: joined through their link table, SQLite materialises the whole
    # link table before it looks at the one course.
    return db.session.scalars(
        sa.select(Course)
        .where(Course.id == course_id, Course.status == CourseStatus.PUBLISHED)
        .options(
            joinedload(Course.provider),
            joinedload(Course.languages),
            selectinload(Course.skill_areas),
            selectinload(Course.sessions),
        )
    ).unique().first()


def upcoming_sessions(now: datetime, limit: int) -> list[CourseSession]:
    """The next sessions across the catalogue, with their courses and providers."""
    return list(
        db.session.scalars(
            sa.select(CourseSession)
            .join(Course)
            .where(
                Course.status == CourseStatus.PUBLISHED,
                CourseSession.status == SessionStatus.SCHEDULED,
                CourseSession.starts_at >= now,
            )
            .order_by(CourseSession.starts_at, CourseSession.id)
            .limit(limit)
            .options(selectinload(CourseSession.course).selectinload(Course.provider))
        )
    )


def skill_area_counts() -> dict[int, int]:
    """Published courses per skill area."""
    rows = db.session.execute(
        sa.select(course_skill_area.c.skill_area_id, sa.func.count())
        .join(Course, Course.id == course_skill_area.c.course_id)
        .where(Course.status == CourseStatus.PUBLISHED)
        .group_by(course_skill_area.c.skill_area_id)
    )
    return dict(rows.all())


def headline_figures(now: datetime) -> dict[str, int]:
    published = Course.status == CourseStatus.PUBLISHED
    row = db.session.execute(
        sa.select(
            sa.select(sa.func.count()).select_from(Course).where(published).scalar_subquery(),
            sa.select(sa.func.count(sa.distinct(Course.provider_id))).where(published).scalar_subquery(),
            sa.select(sa.func.count())
            .select_from(CourseSession)
            .join(Course)
            .where(published, CourseSession.status == SessionStatus.SCHEDULED, CourseSession.starts_at >= now)
            .scalar_subquery(),
            sa.select(sa.func.count(sa.distinct(CourseSession.venue_country)))
            .join(Course)
            .where(published, CourseSession.starts_at >= now - timedelta(days=365))
            .scalar_subquery(),
        )
    ).one()
    return {"courses": row[0], "providers": row[1], "upcoming_sessions": row[2], "countries": row[3]}
