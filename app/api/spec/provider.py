"""OpenAPI part: a provider member's organisations, courses, sessions and rosters (provider:read), and
creating and changing sessions (provider:write)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.api.serializers_provider import LOCAL_PATTERN
from app.api.spec.common import DATETIME, PAGE_PARAM, nullable, obj, path_param, query, read, ref, write
from app.api.spec.public import COURSE_PROPERTIES, SESSION_PROPERTIES
from app.catalog.forms import TIMEZONES
from app.i18n.countries import country_choices

COURSE_STATUSES = ["draft", "pending_review", "published", "archived"]
ENROLMENT_STATUSES = ["pending", "confirmed", "waitlisted", "declined", "cancelled", "completed",
                      "not_completed"]
COUNT = {"type": "integer", "minimum": 0}
LOCAL = {"type": "string", "pattern": LOCAL_PATTERN,
         "description": _l("A wall-clock time in the session's time zone, without offset: 2026-11-25T09:30")}

ORGANISATION = obj(["id", "name", "country", "city", "verified", "role"], {
    "id": {"type": "integer"}, "name": ref("Bilingual"), "country": {"type": "string"},
    "city": nullable("string", description=_l("The city in English, else in Japanese")),
    "city_en": nullable("string"), "city_ja": nullable("string"), "verified": {"type": "boolean"},
    "role": {"type": "string", "enum": ["owner", "staff"], "description": _l("The token owner's role in it")}})
# The body of POST .../sessions and PATCH /provider/sessions/{id}: the workspace's session form.
SESSION_INPUT = {
    "starts_local": LOCAL, "ends_local": LOCAL,
    "timezone": {"type": "string", "enum": list(TIMEZONES),
                 "description": _l("IANA zone in which starts_local, ends_local and enrolment_deadline are read")},
    "online": {"type": "boolean", "description": _l("Online only: the venue is then dropped (not for in-person "
                                                 "courses)")},
    "venue_city": nullable("string", maxLength=120,
                           description=_l("One city name: filed under English or Japanese by its script "
                                          "(clears the other); kept for older clients")),
    "venue_city_en": nullable("string", maxLength=120), "venue_city_ja": nullable("string", maxLength=120),
    "venue_address_en": nullable("string", maxLength=300, description=_l("Street address, for sessions in person")),
    "venue_address_ja": nullable("string", maxLength=300),
    "venue_country": {"type": ["string", "null"], "enum": [*sorted(c for c, _n in country_choices("en")), None],
                      "description": _l("ISO 3166 code; required unless online")},
    "join_url": nullable("string", maxLength=500, pattern="^https://",
                         description=_l("Only for online or blended courses; only confirmed learners see it")),
    "capacity": {"type": "integer", "minimum": 1, "maximum": 10000,
                 "description": _l("Not below the seats already taken")},
    "enrolment_deadline": {**LOCAL, "type": ["string", "null"],
                           "description": _l("Local, before the start; null: until it starts")},
    "requires_approval": {"type": "boolean", "description": _l("Each enrolment waits for the provider's approval")},
}
NEW_SESSION = obj(["starts_local", "ends_local", "timezone", "capacity"], SESSION_INPUT)
SESSION_CHANGE = obj([], SESSION_INPUT, description=_l("Only the fields to change; the others keep their values. "
                                                    "Local times are read in the timezone sent, else the "
                                                    "session's."))
SESSION_VALUES = obj(list(SESSION_INPUT), {
    **SESSION_INPUT, "timezone": {"type": "string"}, "venue_country": nullable("string"),
    "join_url": nullable("string"), "capacity": COUNT, "enrolment_deadline": nullable("string")},
    description=_l("The session's values in the shape POST and PATCH take"))
MANAGED_SESSION = obj([*SESSION_PROPERTIES, "course_id", "seats_taken", "join_url", "created_at", "enrolments",
                       "values"], {
    **SESSION_PROPERTIES, "course_id": {"type": "integer"}, "seats_taken": COUNT, "join_url": nullable("string"),
    "created_at": DATETIME,
    "enrolments": obj(["confirmed", "waitlisted", "pending"], {"confirmed": COUNT, "waitlisted": COUNT,
                                                               "pending": COUNT}),
    "values": SESSION_VALUES})
MANAGED_PROPERTIES = {
    **COURSE_PROPERTIES, "status": {"type": "string", "enum": COURSE_STATUSES},
    "review_comment": nullable("string", description=_l("Why the reviewers sent a draft back")),
    "session_count": COUNT, "created_at": DATETIME, "updated_at": DATETIME}
MANAGED_COURSE = obj(list(MANAGED_PROPERTIES), MANAGED_PROPERTIES)
MANAGED_COURSE_DETAIL = obj([*MANAGED_PROPERTIES, "description", "learning_outcomes", "prerequisites",
                             "assessment", "validity_months", "can_manage_sessions", "locked", "sessions"], {
    **MANAGED_PROPERTIES, "description": ref("Bilingual"), "learning_outcomes": ref("Bilingual"),
    "prerequisites": ref("Bilingual"), "assessment": ref("Bilingual"), "validity_months": nullable("integer"),
    "can_manage_sessions": {"type": "boolean", "description": _l("False once archived")},
    "locked": {"type": "boolean", "description": _l("Pending review or archived: the course itself cannot change")},
    "sessions": {"type": "array", "items": ref("ManagedSession"),
                 "description": _l("Every session, past and cancelled too, by start")}})
COURSE_PAGE = obj(["organisation", "status", "counts", "items", "page", "page_size", "total"], {
    "organisation": ref("ProviderOrganisation"), "status": {"type": ["string", "null"],
                                                            "enum": [*COURSE_STATUSES, None]},
    "counts": obj(COURSE_STATUSES, dict.fromkeys(COURSE_STATUSES, COUNT),
                  description=_l("The organisation's courses per status, whatever the status filter")),
    "items": {"type": "array", "items": ref("ManagedCourse")}, "page": {"type": "integer", "minimum": 1},
    "page_size": {"type": "integer"}, "total": COUNT})
ROSTER_ENTRY = obj(["id", "status", "waitlist_position", "name", "email", "country", "enrolled_at", "note",
                    "certificate"], {
    "id": {"type": "integer"}, "status": {"type": "string", "enum": ENROLMENT_STATUSES},
    "waitlist_position": nullable("integer", minimum=1, description=_l("1 = next to get a seat; null unless "
                                                                     "waitlisted")),
    "name": ref("Bilingual"), "email": nullable("string"), "country": nullable("string"),
    "enrolled_at": DATETIME,
    "note": nullable("string", description=_l("The reason given when declining; null unless declined or "
                                           "cancelled")),
    "certificate": {"oneOf": [{"type": "null"}, obj(["id", "status"], {
        "id": {"type": "string"}, "status": {"type": "string", "enum": ["active", "revoked"]}})]}})
ROSTER = obj(["session", "course", "started", "items"], {
    "session": ref("ManagedSession"),
    "course": obj(["id", "title"], {"id": {"type": "integer"}, "title": ref("Bilingual")}),
    "started": {"type": "boolean"},
    "items": {"type": "array", "items": ref("RosterEntry"),
              "description": _l("Waiting for approval, confirmed, waitlisted (in queue order), completion "
                             "recorded, then cancelled and declined")}})

SCHEMAS = {"ProviderOrganisation": ORGANISATION, "ManagedSession": MANAGED_SESSION,
           "ManagedCourse": MANAGED_COURSE, "ManagedCourseDetail": MANAGED_COURSE_DETAIL,
           "ManagedCoursePage": COURSE_PAGE, "NewSession": NEW_SESSION, "SessionChange": SESSION_CHANGE,
           "RosterEntry": ROSTER_ENTRY, "Roster": ROSTER}


def paths() -> dict:
    items = lambda name: obj(["items"], {"items": {"type": "array", "items": ref(name)}})  # noqa: E731
    ids = [path_param("id")]
    return {
        "/api/v1/provider/organisations": {"get": read(
            _l("My organisations and my role in each"), items("ProviderOrganisation"), scope="provider:read")},
        "/api/v1/provider/courses": {"get": read(
            _l("My organisation's courses in every status"), ref("ManagedCoursePage"), [
                query("organisation", {"type": "integer"}, _l("One of my organisations (another one is a 404); "
                                                           "default: the first of them by name")),
                query("status", {"type": "string", "enum": COURSE_STATUSES},
                      _l("Only this status; another value is a 400 with code bad_filter")), PAGE_PARAM],
            bad=True, not_found=True, scope="provider:read",
            description=_l("The provider workspace's list, the most recently changed first."))},
        "/api/v1/provider/courses/{id}": {"get": read(
            _l("One of my organisation's courses with all its sessions"), ref("ManagedCourseDetail"), ids,
            not_found=True, scope="provider:read",
            description=_l("A course outside my organisations is a 404, or a 403 when it is published."))},
        "/api/v1/provider/courses/{id}/sessions": {
            "get": read(_l("All the sessions of one of my organisation's courses"), items("ManagedSession"),
                        ids, not_found=True, scope="provider:read"),
            "post": write(
                _l("Add a session to one of my organisation's courses"), ref("NewSession"),
                ref("ManagedSession"), ids, scope="provider:write", status="201", conflict=True,
                description=_l("The workspace's session form and rules: local times in the time zone, a "
                               "venue unless online, a start in the future. An archived course is a 409."))},
        "/api/v1/provider/sessions/{id}": {
            "get": read(_l("One of my organisation's sessions"), ref("ManagedSession"), ids, not_found=True,
                        scope="provider:read"),
            "patch": write(
                _l("Change one of my organisation's sessions"), ref("SessionChange"), ref("ManagedSession"),
                ids, scope="provider:write", conflict=True,
                description=_l("The fields sent change, the others keep their values; the enrolled "
                               "learners are told by mail of a change to the time or place, and a larger "
                               "capacity gives seats to the waitlist. A cancelled or completed session, or "
                               "an archived course, is a 409."))},
        "/api/v1/provider/sessions/{id}/roster": {"get": read(
            _l("The roster of one of my organisation's sessions"), ref("Roster"), ids, not_found=True,
            scope="provider:read",
            description=_l("What the workspace's roster page shows; each read is recorded in the audit "
                           "log."))},
    }
