"""The learner's dashboard: their sessions, waitlist places and requests; cancelling; calendar files."""
from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.accounts import menu
from app.accounts.permissions import is_signed_in
from app.database import utcnow, write_transaction
from app.enrolment import notify, queries, services
from app.enrolment.calendar import event_calendar
from app.enrolment.models import EnrolmentStatus as S
from app.enrolment.permissions import can_cancel_enrolment, can_see_join_link, can_view_enrolment
from app.enrolment.routes import seat_state_watch
from app.extensions import db
from app.geo import country_name
from app.i18n.filters import current_lang, field_text
from app.mail import external_url

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


@bp.post("/enrolments/<int(max=2147483647):enrolment_id>/cancel")
@login_required
def cancel(enrolment_id: int):
    enrolment = _own_enrolment(enrolment_id)
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
    from urllib.parse import urlsplit

    return urlsplit(current_app.config["SITE_URL"]).hostname or "localhost"


def _place(session) -> str:
    if session.online:
        return _("Online")
    name = country_name(session.venue_country, current_lang())
    return _("%(city)s, %(country)s", city=session.venue_city, country=name) if session.venue_city else name
