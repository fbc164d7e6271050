"""Session views of the provider workspace: add, edit and cancel a course's sessions."""
from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.catalog import editing
from app.catalog.editing import EditingError
from app.catalog.forms import ActionForm, WorkspaceSessionForm
from app.catalog.manage import ID, bp, load_course, load_session
from app.catalog.models import VENUE_TEXT_FIELDS, Course, CourseSession, SessionStatus
from app.catalog.permissions import can_manage_sessions
from app.catalog.session_changes import session_values, tell_learners, update_session
from app.catalog.session_days import same_hours
from app.catalog.signals import counts, session_audience, session_cancelled, then
from app.i18n.countries import country_choices, default_timezone
from app.i18n.filters import current_lang, field_text
from app.i18n.formatting import format_day, format_when
from app.platform.confirmation import confirm_page
from app.platform.database import write_transaction
from app.platform.extensions import db


def _default_venue(form: WorkspaceSessionForm, course: Course) -> None:
    """A new session is most often at the course's last venue (both languages and the address);
    else in the provider's own city."""
    held = [s for s in course.sessions if not s.online and s.venue_country]
    if held:
        last = max(held, key=lambda s: s.starts_at)
        for name in (*VENUE_TEXT_FIELDS, "venue_country"):
            form[name].data = getattr(last, name)
        return
    form.venue_country.data = course.provider.country
    form.venue_city_en.data, form.venue_city_ja.data = course.provider.city_en, course.provider.city_ja


def session_form(course: Course, session: CourseSession | None) -> WorkspaceSessionForm:
    form = WorkspaceSessionForm(country_choices=country_choices(current_lang()))
    if request.method != "GET":
        return form
    org = course.provider
    if session is None:
        form.timezone.data = default_timezone(org.country)
        _default_venue(form, course)
        form.online.data = course.delivery_mode == "online"
        return form
    zone = ZoneInfo(session.timezone)
    local = lambda value: value.astimezone(zone).replace(tzinfo=None) if value else None  # noqa: E731
    form.starts_local.data, form.ends_local.data = local(session.starts_at), local(session.ends_at)
    form.enrolment_deadline.data = local(session.enrolment_deadline)
    for name in ("timezone", "online", *VENUE_TEXT_FIELDS, "venue_country", "join_url", "capacity",
                 "requires_approval"):
        form[name].data = getattr(session, name)
    for start, end in session.spans:
        form.day_hours.append_entry({"day": local(start).date().isoformat(), "starts": local(start).time(),
                                     "ends": local(end).time()})
    form.each_day.data = same_hours(session) is None  # hours already differ: keep them unless told
    return form


def save_session(form: WorkspaceSessionForm, write):
    """Validate, then write in a write transaction (seats may move); a broken rule becomes an error on
    its field. Returns what `write` returned (truthy), or None when nothing was saved."""
    if not form.validate_on_submit():
        return None
    db.session.commit()  # end the read transaction: the write below takes the lock first
    with write_transaction():
        try:
            result = write(session_values(form))
        except EditingError as error:
            db.session.rollback()
            field = form[error.field] if error.field in form else None
            (field.errors if field is not None else form.form_errors).append(error.message)
            return None
        db.session.commit()
    return result


def _day_of(raw) -> str:
    """A per-day row's date as the reader's locale writes it (the raw text if it is not a date)."""
    try:
        return format_day(date.fromisoformat(str(raw)), current_lang())
    except ValueError:
        return str(raw or "")


def render_session_form(form: WorkspaceSessionForm, course: Course, session: CourseSession | None):
    page = render_template("workspace/session_form.html", form=form, course=course, course_session=session,
                           day_of=_day_of)
    return page, 400 if request.method == "POST" else 200


def _locked(course: Course, session: CourseSession | None = None):
    """The page saying the course's sessions (or this session) cannot change now; a 409 to a POST."""
    page = render_template("workspace/locked.html", course=course, course_session=session)
    return page, 200 if request.method == "GET" else 409


def _form_page(course: Course, session: CourseSession | None, write, message: str, after=None):
    """The add and edit pages: the form, saved by `write`; once saved, `after` (given what `write`
    returned), then back to the course saying `message`."""
    form = session_form(course, session)
    saved = save_session(form, write)
    if not saved:
        return render_session_form(form, course, session)
    if after is not None:
        after(*saved)
    flash(message, "success")
    return redirect(url_for("workspace.course", course_id=course.id))


@bp.route(f"/courses/<{ID}:course_id>/sessions/new", methods=["GET", "POST"])
@login_required
def new_session(course_id: int):
    course = load_course(course_id)
    if not can_manage_sessions(current_user, course):
        return _locked(course)
    return _form_page(course, None, lambda values: editing.create_session(course, values), _("The session is added."))


@bp.route(f"/sessions/<{ID}:session_id>/edit", methods=["GET", "POST"])
@login_required
def edit_session(session_id: int):
    session = load_session(session_id)
    course = session.course
    if session.status != SessionStatus.SCHEDULED or not can_manage_sessions(current_user, course):
        return _locked(course, session)
    return _form_page(course, session, lambda values: update_session(session, values),
                      _("Your changes to the session are saved."), after=lambda *saved: tell_learners(session, *saved))


@bp.route(f"/sessions/<{ID}:session_id>/cancel", methods=["GET", "POST"])
@login_required
def cancel_session(session_id: int):
    session = load_session(session_id)
    if request.method == "GET":
        return confirm_cancel_session(session)
    if not ActionForm().validate_on_submit():
        abort(400)
    db.session.commit()  # end the read transaction: the write below takes the lock first
    with write_transaction():
        try:
            editing.cancel_session(session)
            after_commit = then(session_cancelled.send(session))
        except EditingError as error:
            db.session.rollback()
            flash(str(error.message), "error")
            return redirect(url_for("workspace.course", course_id=session.course_id))
        db.session.commit()
    for step in after_commit:
        step()  # mail to the learners who lost their place
    flash(_("The session is cancelled."), "success")
    return redirect(url_for("workspace.course", course_id=session.course_id))


def confirm_cancel_session(session: CourseSession):
    back = url_for("workspace.course", course_id=session.course_id)
    if session.status != SessionStatus.SCHEDULED:
        flash(_("Only a scheduled session can be cancelled."), "error")
        return redirect(back)
    learners = counts(session_audience.send(session))
    lang = current_lang()
    when = format_when(session.starts_at, session.ends_at, session.timezone, lang)
    lines = [
        _("The session of %(course)s, %(when)s, is cancelled for good: it cannot be scheduled again, and "
          "nobody can enrol in it any more.", course=field_text(session.course, "title"), when=when),
        _("%(confirmed)s confirmed learners, %(waitlisted)s on the waitlist and %(pending)s with a pending "
          "request lose their place and are told by mail.",
          confirmed=learners.get("confirmed", 0), waitlisted=learners.get("waitlisted", 0),
          pending=learners.get("pending", 0)),
    ]
    return confirm_page(title=_("Cancel this session?"), lines=lines, button=_("Yes, cancel the session"),
                        back=back)
