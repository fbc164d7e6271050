"""Provider endpoints (scopes provider:read / provider:write): the token owner's organisations, their
courses in every status, a course's sessions, creating and changing sessions, and a session's roster.

Each reuses the provider workspace's own reads, predicates, form and services, so the answers are the
workspace's: a course the member may not see at all is a 404 and a published one of another organisation
a 403; a course or session whose state takes no change is a 409 (the workspace's "locked" page); a
refused form is a 422 naming each field. A roster leaving through the API is audited as an export."""
from __future__ import annotations

from flask import abort, g, request
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from app.api import serializers_provider as shapes
from app.api.auth import requires
from app.api.inputs import Refused, json_object, validated
from app.api.learner import PRIVATE
from app.api.problems import problem
from app.api.routes import BadParameter, bp, page_number, reply
from app.audit.services import record
from app.catalog import editing, workspace_queries
from app.catalog import queries as catalogue
from app.catalog.editing import EditingError
from app.catalog.forms import SessionForm
from app.catalog.models import Course, CourseStatus, SessionStatus
from app.catalog.permissions import can_edit_course, can_manage_sessions, can_see_course, is_course_locked
from app.catalog.session_changes import session_values, tell_learners, update_session
from app.catalog.workspace_queries import PAGE_SIZE as PER_PAGE
from app.certifications.issuing_queries import by_enrolment
from app.enrolment import roster_queries
from app.enrolment.permissions import can_manage_roster
from app.i18n.fields import both
from app.platform.database import utcnow, write_transaction
from app.platform.extensions import db
from app.platform.pagination import count_rows, page_items
from app.providers.permissions import member_role

MAX_ID = 2147483647  # ids are 32-bit: a larger one is a 404, not a 500
ID = f"int(max={MAX_ID})"
WRITTEN = "no-store"
BAD_STATUS = _l("The status must be one of draft, pending_review, published, archived.")
# The same words as the workspace's services (editing.py), which the workspace shows on its locked page.
ARCHIVED = _l("An archived course takes no new sessions.")
NOT_EDITABLE = _l("This session cannot be edited any more.")


# Load and authorise ----------------------------------------------------------------------------------

def authorise(course: Course | None) -> Course:
    """The workspace's rule: 404 for a course the user may not see at all, 403 for one they may see
    (published) but not change."""
    if course is None or not can_see_course(g.api_user, course):
        abort(404)
    if not can_edit_course(g.api_user, course):
        abort(403)
    return course


def path_id(raw: str) -> int:
    """The id of a path that two methods share, taken as text: with an int converter, Werkzeug picks the
    rule before it converts, so an id out of range would answer 405 to the second method, not 404."""
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 10 and 1 <= int(raw) <= MAX_ID):
        abort(404)
    return int(raw)


def load_course(raw: str) -> Course:
    return authorise(workspace_queries.get_course(path_id(raw)))


def load_session(raw: str):
    found = workspace_queries.get_session(path_id(raw))
    authorise(found.course if found is not None else None)
    return found


def chosen_organisation(orgs: list):
    """?organisation=<id>, one of the member's (else 404, as the workspace's ?org=), or their first."""
    org = workspace_queries.pick_organisation(orgs, request.args.get("organisation", ""))
    if org is None:
        abort(404)
    return org


def course_status() -> CourseStatus | None:
    raw = request.args.get("status", "").strip()
    if not raw:
        return None
    if raw not in {s.value for s in CourseStatus}:
        raise BadParameter("bad_filter", BAD_STATUS)
    return CourseStatus(raw)


# Reads -----------------------------------------------------------------------------------------------

@bp.get("/provider/organisations")
@requires("provider:read")
def provider_organisations():
    user = g.api_user
    orgs = workspace_queries.member_organisations(user)
    return reply({"items": [shapes.organisation(o, member_role(user, o.id)) for o in orgs]}, cache=PRIVATE)


@bp.get("/provider/courses")
@requires("provider:read")
def provider_courses():
    user = g.api_user
    org = chosen_organisation(workspace_queries.member_organisations(user))
    status, page = course_status(), page_number()
    stmt = workspace_queries.organisation_courses(org.id, status)
    total = count_rows(stmt)
    courses = page_items(stmt.options(selectinload(Course.skill_areas), selectinload(Course.languages)),
                         page, PER_PAGE, scalars=True)
    ids = [c.id for c in courses]
    nexts, counts = catalogue.next_sessions(ids, utcnow()), workspace_queries.session_counts(ids)
    by_status = workspace_queries.status_counts(org.id)
    return reply({
        "organisation": shapes.organisation(org, member_role(user, org.id)),
        "status": status.value if status else None,
        "counts": {s.value: by_status.get(s.value, 0) for s in CourseStatus},
        "items": [shapes.managed_course(c, nexts.get(c.id), counts.get(c.id, 0)) for c in courses],
        "page": page, "page_size": PER_PAGE, "total": total}, cache=PRIVATE)


def _next(sessions: list):
    moment = utcnow()
    return next((s for s in sessions if s.status == SessionStatus.SCHEDULED and s.starts_at >= moment), None)


@bp.get(f"/provider/courses/<{ID}:course_id>")
@requires("provider:read")
def provider_course(course_id: int):
    course = authorise(workspace_queries.get_course(course_id))
    sessions = list(course.sessions)
    counts = roster_queries.status_counts(s.id for s in sessions)
    return reply(shapes.managed_course_detail(
        course, _next(sessions), sessions, counts, can_manage_sessions(g.api_user, course),
        is_course_locked(course)), cache=PRIVATE)


@bp.get("/provider/courses/<id>/sessions")
@requires("provider:read")
def provider_course_sessions(id: str):  # noqa: A002 - the path's own name, shared with the document
    course = load_course(id)
    counts = roster_queries.status_counts(s.id for s in course.sessions)
    return reply({"items": [shapes.managed_session(s, counts[s.id]) for s in course.sessions]}, cache=PRIVATE)


def one_session(found) -> dict:
    return shapes.managed_session(found, roster_queries.status_counts([found.id])[found.id])


@bp.get("/provider/sessions/<id>")
@requires("provider:read")
def provider_session(id: str):  # noqa: A002
    return reply(one_session(load_session(id)), cache=PRIVATE)


@bp.get(f"/provider/sessions/<{ID}:session_id>/roster")
@requires("provider:read")
def provider_roster(session_id: int):
    found = roster_queries.get_session(session_id)
    if found is None or not can_manage_roster(g.api_user, found):
        abort(404)
    people = roster_queries.roster(found.id)
    certificates = by_enrolment(e.id for e in people.finished)
    counts = {"confirmed": len(people.confirmed), "waitlisted": len(people.waitlisted),
              "pending": len(people.pending)}
    items = [shapes.roster_entry(e, people.position(e), certificates.get(e.id)) for e in people.all()]
    body = {"session": shapes.managed_session(found, counts),
            "course": {"id": found.course.id, "title": both(found.course, "title")},
            "started": utcnow() >= found.starts_at, "items": items}
    # Personal data leaving the site in a machine-readable form: audited as the CSV/XLSX exports are.
    record("roster.export", "course_session", found.id, organisation_id=found.course.provider_id,
           detail={"format": "api", "rows": len(items)})
    db.session.commit()
    return reply(body, cache=PRIVATE)


# Writes ----------------------------------------------------------------------------------------------

def session_form(data: dict, sent: dict) -> SessionForm:
    """The workspace's session form filled from `data` (the values sent, over the current ones for a
    change), or a 422 naming each refused field."""
    errors = shapes.type_errors(sent)
    if errors:
        raise Refused(problem(422, "invalid", errors=errors))
    return validated(SessionForm, shapes.with_legacy_city(data, sent))


def save(form: SessionForm, write):
    """As the workspace saves a session: end the read transaction, write in a write transaction (seats
    may move), commit once. A broken rule is a 422 on its field, or a 409 when it names none."""
    db.session.commit()
    with write_transaction():
        try:
            result = write(session_values(form))
        except EditingError as error:
            db.session.rollback()
            if error.field and error.field in form:
                raise Refused(problem(422, "invalid", errors={error.field: [error.message]})) from None
            raise Refused(problem(409, "conflict", error.message)) from None
        db.session.commit()
    return result


@bp.post("/provider/courses/<id>/sessions")
@requires("provider:write")
def provider_create_session(id: str):  # noqa: A002
    course = load_course(id)
    sent = json_object()
    if not can_manage_sessions(g.api_user, course):
        raise Refused(problem(409, "conflict", ARCHIVED))
    form = session_form(sent, sent)
    created = save(form, lambda values: editing.create_session(course, values))
    return reply(one_session(created), cache=WRITTEN, status=201)


@bp.patch("/provider/sessions/<id>")
@requires("provider:write")
def provider_update_session(id: str):  # noqa: A002
    found = load_session(id)
    sent = json_object()
    if found.status != SessionStatus.SCHEDULED or not can_manage_sessions(g.api_user, found.course):
        raise Refused(problem(409, "conflict", NOT_EDITABLE))
    form = session_form({**shapes.current_values(found), **sent}, sent)
    told, promoted = save(form, lambda values: update_session(found, values))
    tell_learners(found, told, promoted)
    return reply(one_session(found), cache=WRITTEN)
