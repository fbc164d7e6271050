"""The learner's dashboard: their sessions, waitlist places and requests; cancelling; calendar files."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.accounts import menu
from app.accounts.permissions import is_signed_in
from app.catalog.cancellation import cancellation_lines
from app.catalog.venues import venue_address, venue_place
from app.enrolment import notify, queries, services
from app.enrolment.calendar import event_calendar
from app.enrolment.models import EnrolmentStatus as S
from app.enrolment.permissions import can_cancel_enrolment, can_see_join_link, can_view_enrolment
from app.enrolment.routes import seat_state_watch
from app.i18n.filters import current_lang, field_text
from app.i18n.formatting import format_when
from app.platform.confirmation import confirm_page
from app.platform.database import utcnow, write_transaction
from app.platform.extensions import db
from app.platform.mail import external_url
from app.platform.siteurl import site_host

bp = Blueprint("me", __name__, url_prefix="/<lang:lang_code>/me")
menu.register("me.index", _l("My learning"), is_signed_in)

ICS_STATUS = {S.CONFIRMED: "CONFIRMED", S.COMPLETED: "CONFIRMED", S.NOT_COMPLETED: "CONFIRMED",
              S.PENDING: "TENTATIVE", S.WAITLISTED: "TENTATIVE"}


def _own_enrolment(enrolment_id: int):
    enrolment = queries.get_enrolment(enrolment_id)
    if enrolment is None or not can_view_enrolment(current_user, enrolment):
        abort(404)
    return enrolment


def group(placed: list, now) -> dict[str, list]:
    groups: dict[str, list] = {"upcoming": [], "waitlisted": [], "pending": [], "past": [], "ended": []}
    for item in placed:
        e, s = item.enrolment, item.enrolment.session
        if e.status in (S.COMPLETED, S.NOT_COMPLETED) or (e.status == S.CONFIRMED and s.ends_at <= now):
            groups["past"].append(item)
        elif e.status == S.CONFIRMED:
            groups["upcoming"].append(item)
        elif e.status in (S.WAITLISTED, S.PENDING) and s.starts_at > now:
            groups[str(e.status)].append(item)
        elif e.status in (S.DECLINED, S.CANCELLED) and s.ends_at > now:
            groups["ended"].append(item)
    groups["past"].reverse()  # the most recent first
    return groups


@bp.get("/")
@login_required
def index():
    now = utcnow()
    groups = group(queries.list_learner_enrolments(current_user.id), now)
    return render_template(
        "me/index.html", now=now, **groups,
        can_cancel=lambda e: can_cancel_enrolment(current_user, e, now),
        can_see_join_link=lambda e: can_see_join_link(current_user, e),
    )


@bp.route("/enrolments/<int(max=2147483647):enrolment_id>/cancel", methods=["GET", "POST"])
@login_required
def cancel(enrolment_id: int):
    enrolment = _own_enrolment(enrolment_id)
    if request.method == "GET":
        return confirm_cancel(enrolment)
    session_id = enrolment.session_id
    db.session.commit()  # end the read transaction: the write below takes the lock first
    try:
        with write_transaction():
            with seat_state_watch(session_id):
                outcome = services.cancel(enrolment)
            db.session.commit()
    except services.EnrolmentError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("me.index"), 303)
    notify.notify_outcome(outcome)
    flash(_("Your enrolment has been cancelled."), "success")
    return redirect(url_for("me.index"), 303)


def confirm_cancel(enrolment):
    """What cancelling does, before it is done: the seat goes to the next person at once."""
    session, course = enrolment.session, enrolment.session.course
    if not can_cancel_enrolment(current_user, enrolment, utcnow()):
        flash(_("This enrolment can no longer be cancelled here."), "error")
        return redirect(url_for("me.index"), 303)
    title = field_text(course, "title")
    when = format_when(session.starts_at, session.ends_at, session.timezone, current_lang())
    if enrolment.status == S.WAITLISTED:
        lines = [_("You leave the waitlist of %(course)s, %(when)s.", course=title, when=when)]
    elif enrolment.status == S.PENDING:
        lines = [_("You withdraw your request for a place in %(course)s, %(when)s.", course=title, when=when)]
    else:
        lines = [_("You give up your confirmed place in %(course)s, %(when)s.", course=title, when=when)]
    if enrolment.status != S.WAITLISTED:
        lines.append(_("The seat goes at once to the next person on the waitlist; if you change your mind, "
                       "you enrol again like anyone else."))
    lines.extend(cancellation_lines(course, session, utcnow()))
    return confirm_page(title=_("Cancel your enrolment?"), lines=lines, button=_("Yes, cancel my enrolment"),
                        back=url_for("me.index") + f"#enrolment-{enrolment.id}")


@bp.get("/enrolments/<int(max=2147483647):enrolment_id>.ics")
@login_required
def calendar(enrolment_id: int):
    enrolment = _own_enrolment(enrolment_id)
    session, course = enrolment.session, enrolment.session.course
    lang = current_lang()
    url = external_url("catalog.detail", lang, course_id=course.id)
    notes = [_("Offered by %(provider)s", provider=field_text(course.provider, "name"))]
    if session.online and session.join_url and can_see_join_link(current_user, enrolment):
        notes.append(_("Join online: %(link)s", link=session.join_url))
    cancelled = session.status == "cancelled" or enrolment.status not in ICS_STATUS
    body = event_calendar(
        uid=f"enrolment-{enrolment.id}@{_host()}", starts_at=session.starts_at, ends_at=session.ends_at,
        tzid=session.timezone, summary=field_text(course, "title"), location=_place(session), url=url,
        description="\n".join(notes), status="CANCELLED" if cancelled else ICS_STATUS[enrolment.status],
        days=session.spans,
    )
    filename = f"session-{session.id}-{session.starts_on.isoformat()}.ics"
    return Response(body, content_type="text/calendar; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _host() -> str:
    return site_host()


def _place(session) -> str:
    """The calendar's location: the street address (when there is one) before city and country."""
    lang = current_lang()
    return ", ".join(filter(None, (venue_address(session, lang), venue_place(session, lang))))
