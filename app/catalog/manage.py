"""The provider workspace at /<lang>/provider/: the organisation's courses and sessions.

This module holds the blueprint, the load-and-authorise helpers and the home page; the course views are
in manage_courses.py and the session views in manage_sessions.py (imported at the end).
"""
from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.routing import BuildError

from app.accounts import menu
from app.catalog import queries, workspace_queries
from app.catalog.models import Course, CourseSession, CourseStatus
from app.catalog.permissions import can_edit_course, can_see_course
from app.platform.pagination import page_number, paginate_rows
from app.providers.models import Organisation
from app.providers.permissions import is_provider_member

bp = Blueprint("workspace", __name__, url_prefix="/<lang:lang_code>/provider")
PER_PAGE = workspace_queries.PAGE_SIZE
ID = "int(max=2147483647)"  # ids are 32-bit: a larger one is a 404, not a 500

menu.register("workspace.index", _l("Provider workspace"), is_provider_member)


def now() -> datetime:
    return datetime.now(UTC)


def authorise(course: Course | None) -> Course:
    """404 for a course the user may not see at all; 403 for one they may see but not change."""
    if course is None or not can_see_course(current_user, course):
        abort(404)
    if not can_edit_course(current_user, course):
        abort(403)
    return course


def load_course(course_id: int) -> Course:
    return authorise(workspace_queries.get_course(course_id))


def load_session(session_id: int) -> CourseSession:
    session = workspace_queries.get_session(session_id)
    authorise(session.course if session is not None else None)
    return session


def chosen_organisation(orgs: list[Organisation]) -> Organisation:
    """The organisation named by ?org=<id> (one of the user's, else 404), or the first one."""
    org = workspace_queries.pick_organisation(orgs, request.args.get("org", ""))
    if org is None:
        abort(404)
    return org


def apply_url() -> str | None:
    try:
        return url_for("onboarding.apply")
    except BuildError:  # provider onboarding not installed in this app
        return None


@bp.get("/")
@login_required
def index():
    orgs = workspace_queries.member_organisations(current_user)
    if not orgs:
        return render_template("workspace/not_member.html", apply_url=apply_url()), 403
    org = chosen_organisation(orgs)
    raw_status = request.args.get("status", "")
    status = CourseStatus(raw_status) if raw_status in {s.value for s in CourseStatus} else None
    page = paginate_rows(workspace_queries.organisation_courses(org.id, status),
                         page_number(request.args.get("page")), PER_PAGE)
    page.items = [row[0] for row in page.items]
    ids = [course.id for course in page.items]
    args = {key: value for key, value in (("org", org.id if len(orgs) > 1 else None),
                                          ("status", status.value if status else None)) if value}
    return render_template(
        "workspace/index.html", org=org, orgs=orgs, status=status, page=page, args=args,
        counts=workspace_queries.status_counts(org.id),
        next_by_course=queries.next_sessions(ids, now()),
        session_counts=workspace_queries.session_counts(ids),
    )


@bp.app_template_global()
def workspace_completeness(source, lang: str) -> int:
    from app.catalog.editing import completeness

    return completeness(source, lang)


def _register_views() -> None:
    from app.catalog import manage_courses, manage_sessions  # noqa: F401  (views on this blueprint)


_register_views()
