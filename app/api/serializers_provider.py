"""Shapes of the provider endpoints: organisations, courses in every status, sessions as their provider
sees them (join link, seats taken, the values POST and PATCH take) and roster rows.

Also the way in: a session's current values in the body's own shape (PATCH starts from them), and a check
that each value sent has its JSON type, because the workspace's form reads values as a browser posts them
(strings) and would otherwise take "yes" for true or 12.0 for 12."""
from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

from app.accounts.names import display_name
from app.api.serializers import course, session, when
from app.catalog.models import VENUE_TEXT_FIELDS
from app.enrolment.models import EnrolmentStatus
from app.i18n import LANGUAGES
from app.i18n.fields import both
from app.i18n.scripts import split_by_language

# The local date-times of the session form (its DateTimeLocalField formats), with nothing else around.
LOCAL_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2})?$"
LOCAL_FIELDS = ("starts_local", "ends_local", "enrolment_deadline")
TEXT_FIELDS = ("timezone", "venue_city", *VENUE_TEXT_FIELDS, "venue_country", "join_url")
FLAGS = ("online", "requires_approval")
# The note is the provider's reason for declining: the roster shows it with the ended enrolments only.
NOTE_SHOWN = (EnrolmentStatus.CANCELLED, EnrolmentStatus.DECLINED)

NOT_TEXT = _l("Send this as a JSON string.")
NOT_WHOLE = _l("Send this as a whole number (a JSON integer).")
NOT_FLAG = _l("Send this as true or false.")
NOT_LOCAL = _l("Enter a local date and time as YYYY-MM-DDTHH:MM, e.g. 2026-11-25T09:30.")


def organisation(org, role) -> dict:
    return {"id": org.id, "name": both(org, "name"), "country": org.country, "city": org.city,
            "city_en": org.city_en, "city_ja": org.city_ja, "verified": bool(org.verified), "role": str(role)}


def _local(value: datetime | None, zone: ZoneInfo) -> str | None:
    if value is None:
        return None
    moment = value.astimezone(zone)
    return moment.strftime("%Y-%m-%dT%H:%M" if moment.second == 0 else "%Y-%m-%dT%H:%M:%S")


def current_values(s) -> dict:
    """The session as its form holds it (local times in its own zone): the body of POST and PATCH."""
    zone = ZoneInfo(s.timezone)
    return {"starts_local": _local(s.starts_at, zone), "ends_local": _local(s.ends_at, zone),
            "timezone": s.timezone, "online": bool(s.online), "venue_city": s.venue_city,
            **{name: getattr(s, name) for name in VENUE_TEXT_FIELDS}, "venue_country": s.venue_country,
            "join_url": s.join_url, "capacity": s.capacity,
            "enrolment_deadline": _local(s.enrolment_deadline, zone),
            "requires_approval": bool(s.requires_approval)}


def with_legacy_city(data: dict, sent: dict) -> dict:
    """Clients written before venues had two languages send one `venue_city`: it goes to the language it
    is written in and clears the other, unless the client also sent that language's field."""
    data = {name: value for name, value in data.items() if name != "venue_city"}
    if "venue_city" not in sent:
        return data
    en, ja = split_by_language(sent["venue_city"])
    data["venue_city_en"] = sent.get("venue_city_en", en)
    data["venue_city_ja"] = sent.get("venue_city_ja", ja)
    return data


def managed_session(s, counts: dict) -> dict:
    return {**session(s), "course_id": s.course_id, "seats_taken": s.seats_taken, "join_url": s.join_url,
            "created_at": when(s.created_at),
            "enrolments": {name: counts.get(name, 0) for name in ("confirmed", "waitlisted", "pending")},
            "values": current_values(s)}


def managed_course(c, next_session, session_count: int) -> dict:
    return {**course(c, next_session), "status": str(c.status),
            "review_comment": c.review_comment if str(c.status) == "draft" else None,
            "session_count": session_count, "created_at": when(c.created_at), "updated_at": when(c.updated_at)}


def managed_course_detail(c, next_session, sessions: list, counts: dict, can_sessions: bool,
                          locked: bool) -> dict:
    data = managed_course(c, next_session, len(sessions))
    for name in ("description", "learning_outcomes", "prerequisites", "assessment"):
        data[name] = both(c, name)
    data.update(validity_months=c.validity_months, can_manage_sessions=can_sessions, locked=locked,
                sessions=[managed_session(s, counts.get(s.id, {})) for s in sessions])
    return data


def roster_entry(e, position: int | None, certificate) -> dict:
    learner = e.learner
    return {"id": e.id, "status": str(e.status), "waitlist_position": position,
            "name": {lang: display_name(learner, lang) for lang in LANGUAGES},
            "email": learner.email, "country": learner.country, "enrolled_at": when(e.created_at),
            "note": e.note if e.status in NOTE_SHOWN else None,
            "certificate": None if certificate is None else {"id": certificate.public_id,
                                                             "status": str(certificate.status)}}


def type_errors(sent: dict) -> dict:
    """{field: [message]} for the values sent whose JSON type the form cannot take; null is left to the
    form (a required field says so), and keys it does not know are refused by inputs.validated."""
    errors = {}
    for name, value in sent.items():
        if value is None:
            continue
        if name in LOCAL_FIELDS:
            wrong = None if isinstance(value, str) and re.fullmatch(LOCAL_PATTERN, value) else NOT_LOCAL
        elif name in TEXT_FIELDS:
            wrong = None if isinstance(value, str) else NOT_TEXT
        elif name in FLAGS:
            wrong = None if isinstance(value, bool) else NOT_FLAG
        elif name == "capacity":
            wrong = None if isinstance(value, int) and not isinstance(value, bool) else NOT_WHOLE
        else:
            continue
        if wrong is not None:
            errors[name] = [wrong]
    return errors
