"""A session's roster in the provider workspace: who is coming, requests to decide, exports, completion.

Only members of the course's provider see a roster (anyone else: 404). Every write and every export is
audited. Writes to enrolments end the request's read transaction first and run in a write transaction
(see app.platform.database.write_transaction), and mail goes out after the commit.
"""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import LazyString, ngettext, pgettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.accounts.names import display_name
from app.audit.services import record
from app.catalog.models import CourseSession
from app.enrolment import notify, roster_queries, services
from app.enrolment.models import Enrolment
from app.enrolment.models import EnrolmentStatus as S
from app.enrolment.permissions import can_manage_roster
from app.enrolment.roster_forms import DecisionForm, OutcomeForm
from app.i18n.countries import country_name
from app.i18n.filters import current_lang, field_text
from app.i18n.formatting import format_clock, format_day, format_when
from app.platform import tabular
from app.platform.confirmation import confirm_page
from app.platform.database import utcnow, write_transaction
from app.platform.extensions import db

bp = Blueprint("roster", __name__, url_prefix="/<lang:lang_code>/provider")
ID = "int(max=2147483647)"  # ids are 32-bit: a larger one is a 404, not a 500

STATUS = {
    S.PENDING: _l("Waiting for your approval"),
    S.CONFIRMED: _l("Confirmed"),
    S.WAITLISTED: _l("Waitlisted"),
    S.DECLINED: _l("Declined"),
    # A cancelled booking (キャンセル済み), not a cancelled session (中止): its own context.
    S.CANCELLED: LazyString(lambda: pgettext("enrolment status", "Cancelled")),
    S.COMPLETED: _l("Completed"),
    S.NOT_COMPLETED: _l("Did not complete"),
}


def status_label(status) -> str:
    return str(STATUS.get(S(status), status))


def local_time(value: datetime | None, zone: str) -> str:
    """25 Nov 2026 09:00 / 2026年11月25日 9:00, in the session's time zone (named in the column heading)."""
    if value is None:
        return ""
    lang, moment = current_lang(), value.astimezone(ZoneInfo(zone))
    return f"{format_day(moment, lang)} {format_clock(moment, lang)}"


def load_session(session_id: int) -> CourseSession:
    session = roster_queries.get_session(session_id)
    if session is None or not can_manage_roster(current_user, session):
        abort(404)
    return session


def load_enrolment(enrolment_id: int) -> Enrolment:
    enrolment = roster_queries.get_enrolment(enrolment_id)
    if enrolment is None or not can_manage_roster(current_user, enrolment.session):
        abort(404)
    return enrolment


def back_to(session_id: int):
    return redirect(url_for("roster.show", session_id=session_id))


def audit(action: str, enrolment: Enrolment, **detail) -> None:
    record(action, "enrolment", enrolment.id, organisation_id=enrolment.session.course.provider_id,
           detail={"session_id": enrolment.session_id, "learner_id": enrolment.learner_id, **detail})


@bp.app_template_global()
def roster_counts(sessions) -> dict[int, dict[str, int]]:
    """For the workspace's session tables: confirmed / waitlisted / pending per session, one query."""
    return roster_queries.status_counts(s.id for s in sessions)


@bp.get(f"/sessions/<{ID}:session_id>/roster")
@login_required
def show(session_id: int):
    session = load_session(session_id)
    people = roster_queries.roster(session.id)
    return render_template(
        "roster/show.html", course_session=session, course=session.course, roster=people,
        started=utcnow() >= session.starts_at, decision_form=DecisionForm(), outcome_form=OutcomeForm(),
        status_label=status_label, local_time=lambda value: local_time(value, session.timezone),
    )


# Exports ---------------------------------------------------------------------------------------------

def export_table(session: CourseSession) -> tuple[list[str], list[list]]:
    lang, people = current_lang(), roster_queries.roster(session.id)
    positions = {e.id: n for n, e in enumerate(people.waitlisted, start=1)}
    headers = [_("Status"), _("Waitlist position"), _("Name"), _("Name in Latin letters"), _("Name in kana"),
               _("Email"), _("Country"), _("Enrolled at (%(zone)s)", zone=session.timezone),
               _("Note")]
    rows = []
    for e in people.all():
        learner = e.learner
        kana = " ".join(part for part in (learner.family_name_kana, learner.given_name_kana) if part)
        rows.append([
            status_label(e.status), positions.get(e.id), display_name(learner, lang), display_name(learner, "en"),
            kana, learner.email, country_name(learner.country, lang) if learner.country else "",
            e.created_at.astimezone(ZoneInfo(session.timezone)) if e.created_at else None, e.note,
        ])
    return headers, rows


def export(session_id: int, kind: str):
    session = load_session(session_id)
    headers, rows = export_table(session)
    record("roster.export", "course_session", session.id, organisation_id=session.course.provider_id,
           detail={"format": kind, "rows": len(rows)})
    db.session.commit()
    filename = f"{field_text(session.course, 'title') or 'course'}-{session.starts_on.isoformat()}-roster.{kind}"
    if kind == "csv":  # text in the reader's format; the workbook gets date cells
        rows = [[local_time(v, session.timezone) if isinstance(v, datetime) else v for v in row] for row in rows]
        return tabular.csv_response(rows, headers, filename)
    lang = current_lang()
    note = _("Roster of %(course)s, %(when)s: every enrolment of the session, no filter applied.",
             course=field_text(session.course, "title"),
             when=format_when(session.starts_at, session.ends_at, session.timezone, lang))
    return tabular.xlsx_response(rows, headers, filename, sheet_title=_("Roster"), note=note)


@bp.get(f"/sessions/<{ID}:session_id>/roster.csv")
@login_required
def csv(session_id: int):
    return export(session_id, "csv")


@bp.get(f"/sessions/<{ID}:session_id>/roster.xlsx")
@login_required
def xlsx(session_id: int):
    return export(session_id, "xlsx")


# Decisions and completion ----------------------------------------------------------------------------

def first_error(form) -> str:
    for errors in form.errors.values():
        for error in errors:
            return str(error)
    return _("Something in the form was not valid. Please try again.")


@bp.get(f"/enrolments/<{ID}:enrolment_id>/decline")
@login_required
def confirm_decline(enrolment_id: int):
    enrolment = load_enrolment(enrolment_id)
    if enrolment.status not in (S.PENDING, S.WAITLISTED):
        flash(_("Only a pending or waitlisted request can be declined."), "error")
        return back_to(enrolment.session_id)
    lines = [_("%(person)s's request for a place in %(course)s is declined; they are told by mail, with your "
               "note if you write one.", person=display_name(enrolment.learner, current_lang()),
               course=field_text(enrolment.session.course, "title"))]
    if enrolment.status == S.PENDING:
        lines.append(_("The seat held for them goes at once to the next person on the waitlist."))
    return confirm_page(title=_("Decline this request?"), lines=lines, button=_("Decline the request"),
                        back=url_for("roster.show", session_id=enrolment.session_id),
                        fields=[DecisionForm(formdata=None).note])


def _change(enrolment_id: int, form_class, change, action: str):
    """One write to one enrolment: load and authorise it, validate the form, read it again under the write
    lock and run `change(enrolment, form)`, which returns (its result, the audit details); audit `action`
    and commit. Returns (session id, (enrolment, result)), or (session id, None) once the error is flashed."""
    enrolment = load_enrolment(enrolment_id)
    session_id, form = enrolment.session_id, form_class()
    if not form.validate_on_submit():
        flash(first_error(form), "error")
        return session_id, None
    db.session.commit()  # end the read transaction: the write below takes the lock first
    with write_transaction():
        enrolment = roster_queries.get_enrolment(enrolment_id)
        try:
            result, detail = change(enrolment, form)
        except services.EnrolmentError as error:
            db.session.rollback()
            flash(str(error), "error")
            return session_id, None
        audit(action, enrolment, **detail)
        db.session.commit()
    return session_id, (enrolment, result)


@bp.post(f"/enrolments/<{ID}:enrolment_id>/<any(approve, decline):decision>")
@login_required
def decide(enrolment_id: int, decision: str):
    def change(enrolment, form):
        outcome = (services.approve(enrolment) if decision == "approve"
                   else services.decline(enrolment, form.note.data))
        return outcome, {"promoted": [e.id for e in outcome.promoted]}

    session_id, done = _change(enrolment_id, DecisionForm, change, f"enrolment.{decision}")
    if done is None:
        return back_to(session_id)
    enrolment, outcome = done
    if decision == "approve":
        notify.notify_confirmed(enrolment)
        flash(_("The request is approved; the learner is told by mail."), "success")
    else:
        notify.notify_declined(enrolment)
        notify.notify_promoted(outcome.promoted)
        flash(_("The request is declined; the learner is told by mail."), "success")
    return back_to(session_id)


@bp.post(f"/enrolments/<{ID}:enrolment_id>/outcome")
@login_required
def outcome(enrolment_id: int):
    def change(enrolment, form):
        services.record_outcome(enrolment, form.is_completed)
        return None, {"completed": form.is_completed}

    session_id, done = _change(enrolment_id, OutcomeForm, change, "enrolment.outcome")
    if done is not None:
        flash(_("The outcome is recorded."), "success")
    return back_to(session_id)


@bp.post(f"/sessions/<{ID}:session_id>/outcomes")
@login_required
def outcomes(session_id: int):
    session, form = load_session(session_id), OutcomeForm()
    if not form.validate_on_submit():
        flash(first_error(form), "error")
        return back_to(session_id)
    if utcnow() < session.starts_at:
        flash(_("Completion can be recorded once the session has started."), "error")
        return back_to(session_id)
    db.session.commit()  # end the read transaction: the write below takes the lock first
    with write_transaction():
        marked = roster_queries.markable(session_id, include_marked=form.all.data)
        for enrolment in marked:
            services.record_outcome(enrolment, form.is_completed)
            audit("enrolment.outcome", enrolment, completed=form.is_completed, bulk=True)
        db.session.commit()
    flash(ngettext("The outcome is recorded for %(num)s learner.", "The outcome is recorded for %(num)s learners.",
                   len(marked)) if marked else _("Nobody was left to mark."), "success")
    return back_to(session_id)
