"""Reads for the open data exports: each a fixed number of statements, whatever the number of rows."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from app.catalog.models import Course, CourseSession, CourseStatus, SessionStatus
from app.platform.extensions import db
from app.providers.models import Organisation

FEED_LIMIT = 2000


def feed_sessions(now: datetime, provider_id: int | None = None, limit: int | None = None) -> list[CourseSession]:
    """The next scheduled sessions of published courses (at most FEED_LIMIT), with course and provider, in
    one statement."""
    statement = (
        sa.select(CourseSession)
        .join(CourseSession.course)
        .join(Course.provider)
        .where(
            Course.status == CourseStatus.PUBLISHED,
            CourseSession.status == SessionStatus.SCHEDULED,
            CourseSession.starts_at >= now,
        )
        .order_by(CourseSession.starts_at, CourseSession.id)
        .limit(limit or FEED_LIMIT)
        .options(contains_eager(CourseSession.course).contains_eager(Course.provider))
    )
    if provider_id is not None:
        statement = statement.where(Course.provider_id == provider_id)
    return list(db.session.scalars(statement))


def published_courses() -> list[Course]:
    """Every published course with provider, skill areas and languages (three statements)."""
    return list(
        db.session.scalars(
            sa.select(Course)
            .where(Course.status == CourseStatus.PUBLISHED)
            .order_by(Course.id)
            .options(
                joinedload(Course.provider),
                selectinload(Course.skill_areas),
                selectinload(Course.languages),
            )
        )
    )


def get_training_provider(provider_id: int) -> Organisation | None:
    from app.providers.queries import get_provider

    return get_provider(provider_id)
