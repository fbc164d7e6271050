"""Enrolling from a course page, and what the course page shows a learner about their own places."""
from __future__ import annotations

from contextlib import contextmanager
from types import SimpleNamespace

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.privacy import set_share_consent
from app.catalog.services import bump_catalogue_version
from app.enrolment import notify, queries, services
from app.enrolment.models import EnrolmentStatus
from app.enrolment.services import EnrolmentError, enrolment_closes_at
from app.legal import CONSENT_VERSION
from app.platform.database import utcnow, write_transaction
from app.platform.extensions import db

bp = Blueprint("enrolment", __name__, url_prefix="/<lang:lang_code>")


@contextmanager
def seat_state_watch(session_id: int):
    """Inside a write transaction, around a seat change: when the session turns full, or stops being
    full, every cached catalogue page goes stale (bump), so anonymous readers never see "seats left"
    on a full session, nor "full" on one with seats, beyond the moment of the change. Plain count
    changes ("4 left" -> "3 left") let the cached pages live out PAGE_CACHE_SECONDS (see the report)."""
    full_before = queries.is_full(session_id)
    yield
    if queries.is_full(session_id) != full_before:
        bump_catalogue_version()


def seat_state(session, now=None) -> str:
    """closed / full / open, for a scheduled upcoming session."""
    now = now or utcnow()
    if session.status != "scheduled" or now >= enrolment_closes_at(session):
        return "closed"
    return "full" if session.seats_left <= 0 else "open"


@bp.app_context_processor
def enrolment_helpers():
    def my_enrolments(sessions) -> dict:
        if not current_user.is_authenticated:
            return {}
        return queries.live_enrolments_in(current_user.id, [s.id for s in sessions])

    def needs_share_consent() -> bool:
        return current_user.is_authenticated and not queries.has_share_consent(current_user.id)

    return {"seat_state": seat_state, "my_enrolments": my_enrolments, "needs_share_consent": needs_share_consent}


def summary(session, course_url: str):
    """What the learner is booking, before they book: session, time, price and the cancellation terms."""
    placed = queries.live_enrolments_in(current_user.id, [session.id]).get(session.id)
    if placed is not None:
        flash(outcome_message(SimpleNamespace(enrolment=placed.enrolment, created=False)), "success")
        return redirect(f"{course_url}#main", 303)
    state = seat_state(session)
    if state == "closed":
        flash(_("Enrolment for this session has closed."), "error")
        return redirect(course_url, 303)
    return render_template("booking/summary.html", course_session=session, course=session.course, state=state,
                           ask_consent=not queries.has_share_consent(current_user.id), course_url=course_url)


# One rule for both methods: GET shows the summary, POST books (two rules at one path turn a too-large id
# into a 405 instead of a 404).
@bp.route("/sessions/<int(max=2147483647):session_id>/enrol", methods=["GET", "POST"])
def enrol(session_id: int):
    session = queries.get_bookable_session(session_id)
    if session is None:
        abort(404)
    course_url = url_for("catalog.detail", course_id=session.course_id)
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.sign_in", next=request.path if request.method == "GET" else course_url))
    if request.method == "GET":
        return summary(session, course_url)
    consent = request.form.get("consent") == "y"
    if not consent and not queries.has_share_consent(current_user.id):
        flash(_("Please tick the box to share your name, email and country with the provider: "
                "they need them for your booking."), "error")
        return redirect(url_for("enrolment.enrol", session_id=session_id), 303)
    learner = current_user._get_current_object()
    db.session.commit()  # end the read transaction: the write below takes the lock first
    try:
        with write_transaction():
            with seat_state_watch(session_id):
                if consent:
                    set_share_consent(learner, True, CONSENT_VERSION)
                outcome = services.enrol(learner, session)
            db.session.commit()
    except EnrolmentError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(course_url, 303)
    notify.notify_outcome(outcome)
    flash(outcome_message(outcome), "success")
    # To the top of the content, where the message is: on a phone, an anchor further down (the session's row)
    # scrolled the message off screen.
    return redirect(f"{course_url}#main", 303)


def outcome_message(outcome) -> str:
    enrolment = outcome.enrolment
    if enrolment.status == EnrolmentStatus.CONFIRMED:
        return (_("You are enrolled: your place is confirmed. We have sent you a confirmation by mail.")
                if outcome.created else _("You already have a confirmed place in this session."))
    if enrolment.status == EnrolmentStatus.PENDING:
        return (_("Your request has been sent to the provider, who approves each enrolment. A seat is held "
                  "for you until they decide.")
                if outcome.created else _("Your request for this session is already with the provider."))
    position = queries.waitlist_position(enrolment)
    if outcome.created:
        return _("The session is full: you are on the waitlist, number %(position)s.", position=position)
    return _("You are already on the waitlist for this session, number %(position)s.", position=position)
