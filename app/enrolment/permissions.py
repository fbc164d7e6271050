"""Who may see an enrolment or a session's roster, as pure predicates."""
from __future__ import annotations

from datetime import datetime

from app.catalog.permissions import can_edit_course
from app.enrolment.models import EnrolmentStatus


def can_view_enrolment(user, enrolment) -> bool:
    """Only the learner: anyone else gets a 404 (they may not know it exists)."""
    return bool(getattr(user, "is_authenticated", False)) and enrolment.learner_id == user.id


def can_cancel_enrolment(user, enrolment, now: datetime) -> bool:
    return can_view_enrolment(user, enrolment) and enrolment.is_live and now < enrolment.session.starts_at


def can_see_join_link(user, enrolment) -> bool:
    """An online session's link is for its confirmed learners only."""
    return can_view_enrolment(user, enrolment) and enrolment.status == EnrolmentStatus.CONFIRMED


def can_manage_roster(user, session) -> bool:
    """Members of the session's provider."""
    return can_edit_course(user, session.course)
