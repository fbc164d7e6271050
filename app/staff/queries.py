"""Reads for the moderation queue: what waits for review, oldest first, with its relations loaded."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from app.catalog.models import Course, CourseStatus
from app.platform.extensions import db
from app.providers.models import ApplicationStatus, Membership, ProviderApplication


def queue_counts() -> dict[str, int]:
    applications = sa.select(sa.func.count()).select_from(ProviderApplication).where(
        ProviderApplication.status == ApplicationStatus.SUBMITTED).scalar_subquery()
    courses = sa.select(sa.func.count()).select_from(Course).where(
        Course.status == CourseStatus.PENDING_REVIEW).scalar_subquery()
    row = db.session.execute(sa.select(applications.label("applications"), courses.label("courses"))).one()
    return {"applications": row.applications, "courses": row.courses}


def list_open_applications() -> sa.Select:
    """Submitted applications, oldest first, each with its applicant (one statement per page)."""
    return (
        sa.select(ProviderApplication)
        .where(ProviderApplication.status == ApplicationStatus.SUBMITTED)
        .options(joinedload(ProviderApplication.applicant))
        .order_by(ProviderApplication.created_at, ProviderApplication.id)
    )


def get_application(application_id: int) -> ProviderApplication | None:
    return db.session.scalars(
        sa.select(ProviderApplication)
        .where(ProviderApplication.id == application_id)
        .options(joinedload(ProviderApplication.applicant), joinedload(ProviderApplication.organisation))
    ).first()


def list_pending_courses() -> sa.Select:
    """Courses pending review, the longest-waiting first, with provider, sessions and languages."""
    return (
        sa.select(Course)
        .where(Course.status == CourseStatus.PENDING_REVIEW)
        .options(joinedload(Course.provider), selectinload(Course.sessions), selectinload(Course.languages))
        .order_by(Course.updated_at, Course.id)
    )


def get_course_for_review(course_id: int) -> Course | None:
    return db.session.scalars(
        sa.select(Course)
        .where(Course.id == course_id)
        .options(joinedload(Course.provider), selectinload(Course.sessions), selectinload(Course.languages),
                 selectinload(Course.skill_areas))
    ).first()


def provider_people(organisation_id: int) -> list:
    """The members (owners and staff) of a provider, with their accounts, for review mails."""
    return list(db.session.scalars(
        sa.select(Membership).where(Membership.organisation_id == organisation_id)
        .options(joinedload(Membership.user))
    ))
