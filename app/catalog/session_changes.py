"""Changing a session, shared by the workspace's session form and the API: the form's values in UTC, the
change itself with the waitlist moving up into new seats, and what the learners are then told."""
from __future__ import annotations

from app.catalog import editing
from app.catalog.forms import SessionForm
from app.catalog.models import VENUE_TEXT_FIELDS, CourseSession
from app.enrolment import notify, roster_queries
from app.enrolment import services as enrolments


def session_values(form: SessionForm) -> dict:
    """The form's values, the local times turned into UTC (raises EditingError)."""
    values = editing.session_times(form.starts_local.data, form.ends_local.data,
                                   form.enrolment_deadline.data, form.timezone.data)
    values.update({name: form[name].data for name in
                   ("online", *VENUE_TEXT_FIELDS, "venue_country", "join_url", "capacity", "requires_approval")})
    return values


# What learners are told about when it changes (notify.notify_session_changed).
TOLD_FIELDS = ("starts_at", "ends_at", "timezone", "online", *VENUE_TEXT_FIELDS, "venue_country", "join_url")


def update_session(session: CourseSession, values: dict) -> tuple[dict, list]:
    """Change the session; a larger capacity gives its new seats to the waitlist. Returns the changed
    fields learners are told about (name -> old value) and the enrolments promoted."""
    before = {name: getattr(session, name) for name in TOLD_FIELDS}
    changed = editing.update_session(session, values)
    grew = "capacity" in changed and changed["capacity"][1] > changed["capacity"][0]
    promoted = enrolments.promote_waitlisted(session) if grew else []
    return {name: old for name, old in before.items() if getattr(session, name) != old}, promoted


def tell_learners(session: CourseSession, told: dict, promoted: list) -> None:
    """After the commit: mail the learners promoted, and everyone on the session about a change."""
    if promoted:
        notify.notify_promoted(promoted)
    if told:
        notify.notify_session_changed(roster_queries.live_enrolments(session.id), session, told)
