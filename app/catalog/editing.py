"""Writes of the provider workspace: courses and sessions created, changed, submitted, archived, cancelled.

Every write is audited and followed by reindex_courses (search rows, next session, cache version).
Functions flush, never commit; a broken rule raises EditingError, naming the form field when there is one.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext

from app.audit.services import record
from app.catalog.models import (
    VENUE_TEXT_FIELDS,
    Course,
    CourseLanguage,
    CourseSession,
    CourseStatus,
    DeliveryMode,
    SessionStatus,
    SkillArea,
)
from app.catalog.permissions import is_course_locked
from app.catalog.services import reindex_courses
from app.catalog.session_days import set_days
from app.i18n import LANGUAGES
from app.platform.database import utcnow
from app.platform.domain import DomainError
from app.platform.extensions import db

TEXT_FIELDS = ("title", "summary", "description", "learning_outcomes", "prerequisites", "assessment")
COURSE_FIELDS = (
    *(f"{name}_{lang}" for name in TEXT_FIELDS for lang in LANGUAGES),
    "kind", "eqf_level", "audience", "delivery_mode", "duration_hours", "price_amount", "currency",
    "price_includes_tax", "tax_rate_id", "certification", "validity_months",
    "cancellation_terms_en", "cancellation_terms_ja", "cancel_free_days", "cancel_fee_percent",
)
SESSION_FIELDS = (
    "starts_at", "ends_at", "timezone", "starts_on", "online", *VENUE_TEXT_FIELDS, "venue_country", "join_url",
    "capacity", "enrolment_deadline", "requires_approval",
)
DETAIL_TEXT_MAX = 120
MAX_SESSION_DAYS = 366


class EditingError(DomainError):
    """A broken editing rule; `field` names the form field it is about, if one."""

    def __init__(self, message, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def completeness(source, lang: str) -> int:
    """How many of the six text fields are filled in `lang`, for a course or a mapping of form data."""
    get = source.get if isinstance(source, Mapping) else lambda key: getattr(source, key, None)
    return sum(1 for name in TEXT_FIELDS if (get(f"{name}_{lang}") or "").strip())


def can_be_submitted(course: Course) -> bool:
    """A title and a summary in at least one language, the same one."""
    return any(getattr(course, f"title_{lang}") and getattr(course, f"summary_{lang}") for lang in LANGUAGES)


# Courses ---------------------------------------------------------------------------------------------

def _plain(value):
    value = getattr(value, "value", value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime):
        return value.isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, str) and len(value) > DETAIL_TEXT_MAX:
        return value[:DETAIL_TEXT_MAX] + "…"
    return value


def _course_snapshot(course: Course) -> dict:
    snap = {name: _plain(getattr(course, name)) for name in COURSE_FIELDS}
    snap["skill_areas"] = sorted(area.code for area in course.skill_areas)
    snap["languages"] = sorted(course.language_codes)
    return snap


def _diff(before: dict, after: dict) -> dict:
    return {key: [before[key], after[key]] for key in after if before.get(key) != after[key]}


def _apply_course(course: Course, values: Mapping) -> None:
    for name in COURSE_FIELDS:
        if name in values:
            setattr(course, name, values[name])
    if "skill_area_ids" in values:
        ids = sorted(set(values["skill_area_ids"]))
        course.skill_areas = list(db.session.scalars(
            sa.select(SkillArea).where(SkillArea.id.in_(ids)).order_by(SkillArea.position)
        )) if ids else []
    if "languages" in values:
        wanted = list(dict.fromkeys(values["languages"]))
        kept = [row for row in course.languages if row.language in wanted]
        have = {row.language for row in kept}
        course.languages = kept + [CourseLanguage(language=code) for code in wanted if code not in have]


def create_course(provider_id: int, values: Mapping) -> Course:
    course = Course(provider_id=provider_id, status=CourseStatus.DRAFT)
    course.skill_areas, course.languages = [], []
    _apply_course(course, values)
    db.session.add(course)
    db.session.flush()
    record("course.create", "course", course.id, organisation_id=provider_id,
           detail={"title": _plain(course.title_en or course.title_ja)})
    reindex_courses([course.id])
    return course


def update_course(course: Course, values: Mapping) -> dict:
    """Change a draft or published course (a published one stays published). Returns what changed."""
    if is_course_locked(course):
        raise EditingError(_l("This course cannot be edited now."))
    before = _course_snapshot(course)
    _apply_course(course, values)
    changed = _diff(before, _course_snapshot(course))
    if changed:
        db.session.flush()
        record("course.update", "course", course.id, organisation_id=course.provider_id,
               detail={"changed": changed, "status": course.status.value})
        reindex_courses([course.id])
    return changed


def submit_course(course: Course) -> None:
    if course.status != CourseStatus.DRAFT:
        raise EditingError(_l("Only a draft can be submitted for review."))
    if not can_be_submitted(course):
        raise EditingError(_l("Add a title and a summary in at least one language before submitting."))
    course.status = CourseStatus.PENDING_REVIEW
    course.review_comment = None  # the reviewer's earlier comment has been answered
    db.session.flush()
    record("course.submit", "course", course.id, organisation_id=course.provider_id)
    reindex_courses([course.id])


def archive_course(course: Course) -> None:
    if course.status not in (CourseStatus.DRAFT, CourseStatus.PUBLISHED):
        raise EditingError(_l("This course cannot be archived now."))
    previous = course.status.value
    course.status = CourseStatus.ARCHIVED
    db.session.flush()
    record("course.archive", "course", course.id, organisation_id=course.provider_id,
           detail={"previous_status": previous})
    reindex_courses([course.id])


# Sessions --------------------------------------------------------------------------------------------

def to_utc(local: datetime, zone_name: str, field: str) -> datetime:
    """A wall-clock time in `zone_name` as aware UTC; a time the clocks skip is refused."""
    zone = ZoneInfo(zone_name)
    aware = local.replace(tzinfo=zone)
    utc = aware.astimezone(UTC)
    if utc.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise EditingError(
            _l("This local time does not exist in %(zone)s (the clocks change then). Choose another time.",
               zone=zone_name), field)
    return utc


def session_times(starts_local: datetime, ends_local: datetime, deadline_local: datetime | None,
                  zone_name: str) -> dict:
    """starts_at, ends_at, enrolment_deadline (aware UTC) and starts_on (the local date)."""
    starts_at = to_utc(starts_local, zone_name, "starts_local")
    ends_at = to_utc(ends_local, zone_name, "ends_local")
    deadline = to_utc(deadline_local, zone_name, "enrolment_deadline") if deadline_local else None
    if ends_at <= starts_at:
        raise EditingError(_l("The end must be after the start."), "ends_local")
    if ends_at - starts_at > timedelta(days=MAX_SESSION_DAYS):
        raise EditingError(_l("A session can last at most a year."), "ends_local")
    if deadline is not None and deadline >= starts_at:
        raise EditingError(_l("The enrolment deadline must be before the start."), "enrolment_deadline")
    return {"starts_at": starts_at, "ends_at": ends_at, "enrolment_deadline": deadline,
            "starts_on": starts_local.date(), "timezone": zone_name}


def _check_session(course: Course, values: Mapping, session: CourseSession | None) -> dict:
    values = dict(values)
    in_person = course.delivery_mode == DeliveryMode.IN_PERSON
    if values.get("online"):
        if in_person:
            raise EditingError(_l("This course is delivered in person: give the venue."), "online")
        values.update(dict.fromkeys((*VENUE_TEXT_FIELDS, "venue_country")))
    elif not values.get("venue_country"):
        raise EditingError(_l("Choose the venue's country, or tick “Online only”."), "venue_country")
    if values.get("join_url") and in_person:
        raise EditingError(_l("A join link is only for online or blended courses."), "join_url")
    if session is None and values["starts_at"] <= utcnow():
        raise EditingError(_l("A new session must start in the future."), "starts_local")
    taken = session.seats_taken if session is not None else 0
    if values["capacity"] < taken:
        raise EditingError(lazy_ngettext("%(num)s seat is already taken: the capacity cannot be lower.",
                                         "%(num)s seats are already taken: the capacity cannot be lower.", taken),
                           "capacity")
    return values


def _session_snapshot(session: CourseSession) -> dict:
    snapshot = {name: _plain(getattr(session, name)) for name in SESSION_FIELDS}
    snapshot["days"] = [[_plain(start), _plain(end)] for start, end in session.spans]
    return snapshot


def create_session(course: Course, values: Mapping) -> CourseSession:
    if course.status == CourseStatus.ARCHIVED:
        raise EditingError(_l("An archived course takes no new sessions."))
    values = _check_session(course, values, None)
    session = CourseSession(status=SessionStatus.SCHEDULED, seats_taken=0,
                            **{k: values[k] for k in SESSION_FIELDS})
    if values.get("days"):
        set_days(session, values["days"])
    course.sessions.append(session)
    db.session.flush()
    record("session.create", "course_session", session.id, organisation_id=course.provider_id,
           detail={"course_id": course.id, "starts_at": _plain(session.starts_at)})
    reindex_courses([course.id])
    return session


def update_session(session: CourseSession, values: Mapping) -> dict:
    course = session.course
    if session.status != SessionStatus.SCHEDULED or course.status == CourseStatus.ARCHIVED:
        raise EditingError(_l("This session cannot be edited any more."))
    values = _check_session(course, values, session)
    before = _session_snapshot(session)
    for name in SESSION_FIELDS:
        setattr(session, name, values[name])
    if values.get("days"):
        set_days(session, values["days"])
    changed = _diff(before, _session_snapshot(session))
    if changed:
        db.session.flush()
        record("session.update", "course_session", session.id, organisation_id=course.provider_id,
               detail={"course_id": course.id, "changed": changed})
        reindex_courses([course.id])
    return changed


def cancel_session(session: CourseSession) -> None:
    if session.status != SessionStatus.SCHEDULED:
        raise EditingError(_l("Only a scheduled session can be cancelled."))
    session.status = SessionStatus.CANCELLED
    db.session.flush()
    record("session.cancel", "course_session", session.id, organisation_id=session.course.provider_id,
           detail={"course_id": session.course_id, "starts_at": _plain(session.starts_at)})
    reindex_courses([session.course_id])
