"""Reads of the provider workspace: an organisation's courses with their session figures."""
from __future__ import annotations

import sqlalchemy as sa
from flask import g
from sqlalchemy.orm import joinedload, selectinload

from app.catalog.models import Course, CourseSession, CourseStatus
from app.i18n.reading import organisation_key
from app.platform.extensions import db
from app.providers.models import Organisation

# Courses per page of the workspace list (and of the API's list of a provider's courses).
PAGE_SIZE = 20


def pick_organisation(orgs: list[Organisation], raw: str) -> Organisation | None:
    """The organisation whose id is `raw` among `orgs`, the first of them when `raw` is blank, else None
    (someone else's organisation and a malformed id alike)."""
    raw = raw.strip()
    if not raw:
        return orgs[0] if orgs else None
    return next((org for org in orgs if raw == str(org.id)), None)


def member_organisations(user) -> list[Organisation]:
    """The organisations the user is a member of, by name (one query)."""
    ids = [m.organisation_id for m in user.memberships]
    if not ids:
        return []
    orgs = db.session.scalars(sa.select(Organisation).where(Organisation.id.in_(ids))).all()
    return sorted(orgs, key=lambda o: organisation_key(o, g.get("lang") or "en"))


def organisation_courses(org_id: int, status: CourseStatus | None) -> sa.Select:
    """An organisation's courses, the most recently changed first (rows for paginate_rows)."""
    stmt = sa.select(Course).where(Course.provider_id == org_id)
    if status is not None:
        stmt = stmt.where(Course.status == status)
    return stmt.order_by(Course.updated_at.desc(), Course.id.desc())


def status_counts(org_id: int) -> dict[str, int]:
    rows = db.session.execute(
        sa.select(Course.status, sa.func.count()).where(Course.provider_id == org_id).group_by(Course.status)
    )
    return {getattr(status, "value", status): n for status, n in rows}


def session_counts(course_ids: list[int]) -> dict[int, int]:
    if not course_ids:
        return {}
    rows = db.session.execute(
        sa.select(CourseSession.course_id, sa.func.count())
        .where(CourseSession.course_id.in_(course_ids))
        .group_by(CourseSession.course_id)
    )
    return dict(rows.all())


def get_course(course_id: int) -> Course | None:
    """A course in any status, with what the workspace pages show."""
    return db.session.scalars(
        sa.select(Course).where(Course.id == course_id).options(
            joinedload(Course.provider),
            selectinload(Course.skill_areas),
            selectinload(Course.languages),
            selectinload(Course.sessions),
        )
    ).first()


def get_session(session_id: int) -> CourseSession | None:
    return db.session.scalars(
        sa.select(CourseSession).where(CourseSession.id == session_id)
        .options(joinedload(CourseSession.course).joinedload(Course.provider))
    ).first()
