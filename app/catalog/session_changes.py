"""Changing a session, shared by the workspace's session form and the API: the form's values in UTC, the
change itself with the waitlist moving up into new seats, and what the learners are then told."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l

from app.catalog import editing
from app.catalog.editing import EditingError
from app.catalog.forms import SessionForm
from app.catalog.models import VENUE_TEXT_FIELDS, CourseSession
from app.catalog.session_days import days_from_span
from app.catalog.signals import session_changed, then


def session_values(form: SessionForm) -> dict:
    """The form's values, the local times turned into UTC (raises EditingError)."""
    values = editing.session_times(form.starts_local.data, form.ends_local.data,
                                   form.enrolment_deadline.data, form.timezone.data)
    values.update({name: form[name].data for name in
                   ("online", *VENUE_TEXT_FIELDS, "venue_country", "join_url", "capacity", "requires_approval")})
    if "each_day" in form and form.each_day.data:
        values["days"] = each_day(form, values["timezone"])
        values.update(starts_at=values["days"][0][1], ends_at=values["days"][-1][2], starts_on=values["days"][0][0])
        if values["enrolment_deadline"] and values["enrolment_deadline"] >= values["starts_at"]:
            raise EditingError(_l("The enrolment deadline must be before the start."), "enrolment_deadline")
    else:
        values["days"] = days_from_span(values["starts_at"], values["ends_at"], values["timezone"])
    return values


def each_day(form, zone: str) -> list[tuple]:
    """The per-day rows as (date, start, end) in UTC; an end at or before its start is on the next day."""
    days = []
    for row in form.day_hours:
        try:
            on = date.fromisoformat(row.day.data or "")
        except ValueError:
            raise EditingError(_l("A day in the list is not a date. Reload the page and try again."),
                               "each_day") from None
        if row.starts.data is None or row.ends.data is None:
            raise EditingError(_l("Give a start and an end time for every day."), "each_day")
        if row.starts.data == row.ends.data:
            raise EditingError(_l("A day's end must differ from its start."), "each_day")
        ends_on = on + timedelta(days=1) if row.ends.data < row.starts.data else on
        days.append((on, editing.to_utc(datetime.combine(on, row.starts.data), zone, "each_day"),
                     editing.to_utc(datetime.combine(ends_on, row.ends.data), zone, "each_day")))
    if not days or len({d[0] for d in days}) != len(days):
        raise EditingError(_l("A day in the list is not a date. Reload the page and try again."), "each_day")
    return sorted(days, key=lambda d: d[1])


# What learners are told about when it changes (notify.notify_session_changed).
TOLD_FIELDS = ("starts_at", "ends_at", "timezone", "online", *VENUE_TEXT_FIELDS, "venue_country", "join_url")
# ... and "days": the session's days before the change, when any day moved.


def update_session(session: CourseSession, values: dict) -> tuple[dict, list]:
    """Change the session; a larger capacity gives its new seats to the waitlist (enrolment does that on
    `session_changed`). Returns the changed fields learners are told about (name -> old value) and what
    to run once the change is committed."""
    before = {name: getattr(session, name) for name in TOLD_FIELDS}
    spans = session.spans
    changed = editing.update_session(session, values)
    told = {name: old for name, old in before.items() if getattr(session, name) != old}
    if session.spans != spans:
        told["days"] = spans  # also when only a middle day's hours moved
    grew = "capacity" in changed and changed["capacity"][1] > changed["capacity"][0]
    return told, then(session_changed.send(session, told=told, grew=grew))


def tell_learners(session: CourseSession, told: dict, after_commit: list) -> None:
    """After the commit: the mails the change causes (promoted learners, everyone on a changed session)."""
    for step in after_commit:
        step()
