"""Enrolment's answer to the catalogue's session signals (app/catalog/signals.py): seats and mail follow
what the provider did to a session."""
from __future__ import annotations

from app.catalog.signals import session_audience, session_cancelled, session_changed
from app.enrolment import notify, roster_queries, services


@session_changed.connect
def _changed(session, *, told: dict, grew: bool, **_):
    """More seats go to the waitlist now; after the commit, the promoted and everyone on a changed session
    are told."""
    promoted = services.promote_waitlisted(session) if grew else []

    def tell() -> None:
        if promoted:
            notify.notify_promoted(promoted)
        if told:
            notify.notify_session_changed(roster_queries.live_enrolments(session.id), session, told)

    return tell if (promoted or told) else None


@session_cancelled.connect
def _cancelled(session, **_):
    """Every live enrolment ends; after the commit, each learner who lost a place is told."""
    outcome = services.cancel_session_enrolments(session)
    return lambda: notify.notify_session_cancelled(outcome.cancelled, session)


@session_audience.connect
def _audience(session, **_) -> dict[str, int]:
    return roster_queries.status_counts([session.id]).get(session.id, {})
