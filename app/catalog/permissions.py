"""Who may change or see which course, as pure predicates (no queries beyond the user's memberships)."""
from __future__ import annotations

from app.accounts.permissions import is_staff
from app.catalog.models import CourseStatus
from app.providers.permissions import is_provider_member


def can_edit_course(user, course) -> bool:
    """Members (owners and staff) of the course's provider edit its courses and sessions."""
    return is_provider_member(user, course.provider_id)


def can_view_course_draft(user, course) -> bool:
    """Who may see a course that is not published: its provider's members, and association staff
    (who see every record, and review pending courses)."""
    return can_edit_course(user, course) or is_staff(user)


def can_see_course(user, course) -> bool:
    return course.status == CourseStatus.PUBLISHED or can_view_course_draft(user, course)


def is_course_locked(course) -> bool:
    """A course waiting for review or archived cannot be changed by its provider."""
    return course.status in (CourseStatus.PENDING_REVIEW, CourseStatus.ARCHIVED)


def can_submit_course(user, course) -> bool:
    return can_edit_course(user, course) and course.status == CourseStatus.DRAFT


def can_archive_course(user, course) -> bool:
    return can_edit_course(user, course) and course.status in (CourseStatus.DRAFT, CourseStatus.PUBLISHED)


def can_manage_sessions(user, course) -> bool:
    return can_edit_course(user, course) and course.status != CourseStatus.ARCHIVED
