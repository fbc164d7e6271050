"""Course review by association staff: approve (publish) or send back to draft with a comment.

Both only from pending review; anything else raises ReviewError and changes nothing. Flush, never commit.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.audit.services import record
from app.catalog.models import Course, CourseStatus
from app.catalog.services import reindex_courses
from app.platform.database import utcnow
from app.platform.domain import DomainError
from app.platform.extensions import db


class ReviewError(DomainError):
    """A broken review rule."""


def _move(course: Course, values: dict) -> None:
    """Change the status only if the course is still pending review (two reviewers cannot both win)."""
    changed = db.session.execute(
        sa.update(Course)
        .where(Course.id == course.id, Course.status == CourseStatus.PENDING_REVIEW)
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        raise ReviewError(_l("This course is not waiting for review any more; nothing was changed."))
    db.session.refresh(course)


def approve_course(course: Course, reviewer) -> Course:
    if course.status != CourseStatus.PENDING_REVIEW:
        raise ReviewError(_l("This course is not waiting for review any more; nothing was changed."))
    now = utcnow()
    values = {"status": CourseStatus.PUBLISHED, "review_comment": None, "updated_at": now}
    first = course.published_at is None
    if first:
        values["published_at"] = now
    _move(course, values)
    reindex_courses([course.id])
    record("course.approve", "course", course.id, organisation_id=course.provider_id,
           detail={"status": ["pending_review", "published"], "first_publication": first,
                   "reviewer": getattr(reviewer, "id", None)})
    return course


def send_back_course(course: Course, reviewer, comment: str) -> Course:
    comment = (comment or "").strip()
    if not comment:
        raise ReviewError(_l("Write a comment telling the provider what to change."))
    if course.status != CourseStatus.PENDING_REVIEW:
        raise ReviewError(_l("This course is not waiting for review any more; nothing was changed."))
    _move(course, {"status": CourseStatus.DRAFT, "review_comment": comment, "updated_at": utcnow()})
    reindex_courses([course.id])
    record("course.send_back", "course", course.id, organisation_id=course.provider_id,
           detail={"status": ["pending_review", "draft"], "comment": comment,
                   "reviewer": getattr(reviewer, "id", None)})
    return course
