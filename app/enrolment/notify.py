"""Mail to learners about their enrolments, each in the learner's own language, sent after the commit.

Every function takes objects that may have been expired by the commit: it reloads them (with learner,
session, course and provider) in one query, then sends one message per learner.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from types import SimpleNamespace

import sqlalchemy as sa
from flask import current_app

from app.catalog.models import VENUE_TEXT_FIELDS
from app.enrolment import queries
from app.enrolment.models import Enrolment, EnrolmentStatus
from app.i18n.fields import pick
from app.i18n.when import format_session_time, session_time
from app.i18n.zones import person_zone
from app.platform.database import utcnow, write_transaction
from app.platform.extensions import db
from app.platform.mail import external_url, send_mail

# The session fields notify_session_changed understands (name -> old value, or (old, new)).
WHEN_FIELDS = ("starts_at", "ends_at", "timezone", "days")
PLACE_FIELDS = ("online", *VENUE_TEXT_FIELDS, "venue_country")


def _ids(enrolments) -> list[int]:
    """Primary keys without reloading expired objects one by one."""
    return [sa.inspect(e).identity[0] if sa.inspect(e).identity else e.id for e in enrolments]


def _send(enrolment: Enrolment, template: str, **extra) -> None:
    learner, session = enrolment.learner, enrolment.session
    lang = learner.preferred_language or "en"
    confirmed = enrolment.status == EnrolmentStatus.CONFIRMED
    zone = person_zone(learner, lang)
    send_mail(
        learner.email, lang, template,
        user=learner, enrolment=enrolment, session=session, course=session.course,
        when=lambda s: session_time(s, lang, zone),  # the learner's clock, not the sender's
        day_when=lambda s, start, end: format_session_time([(start, end)], s.timezone, lang, zone),
        join_url=session.join_url if confirmed and session.online else None,
        course_url=external_url("catalog.detail", lang, course_id=session.course_id),
        dashboard_url=external_url("me.index", lang),
        **extra,
    )


def _each(enrolments, template: str, **extra) -> int:
    loaded = queries.load_enrolments(_ids(enrolments))
    for enrolment in loaded:
        _send(enrolment, template, **extra)
    return len(loaded)


def notify_outcome(outcome) -> None:
    """After enrol/cancel/decline: tell the learner what their new enrolment is, and everyone promoted."""
    if outcome.enrolment is not None and outcome.created:
        (enrolment,) = queries.load_enrolments(_ids([outcome.enrolment]))
        template = {
            EnrolmentStatus.CONFIRMED: "enrolment_confirmed",
            EnrolmentStatus.PENDING: "enrolment_pending",
            EnrolmentStatus.WAITLISTED: "enrolment_waitlisted",
        }.get(enrolment.status)
        if template:
            _send(enrolment, template, position=queries.waitlist_position(enrolment))
    if outcome.promoted:
        notify_promoted(outcome.promoted)


def notify_confirmed(enrolment) -> None:
    """A pending request approved by the provider."""
    _each([enrolment], "enrolment_confirmed", approved=True)


def notify_promoted(enrolments) -> None:
    """A seat came free: confirmed (or, where the provider approves, the request now with them)."""
    _each(enrolments, "enrolment_promoted")


def notify_declined(enrolment) -> None:
    _each([enrolment], "enrolment_declined")


def notify_session_cancelled(enrolments, session) -> None:
    _each(enrolments, "enrolment_session_cancelled")


def notify_session_changed(enrolments, session, changes: dict) -> None:
    """`changes` maps changed session fields (starts_at, ends_at, timezone, online, venue_city_en
    and the other venue texts, venue_country, join_url) to their OLD value (or an (old, new) pair); the new ones
    are on `session`."""
    old = {name: (value[0] if isinstance(value, tuple) else value) for name, value in changes.items()}
    loaded = queries.load_enrolments(_ids(enrolments))
    for enrolment in loaded:
        s = enrolment.session
        lang = enrolment.learner.preferred_language or "en"
        old_when = None
        if any(name in old for name in WHEN_FIELDS):
            spans = old.get("days") or [(old.get("starts_at", s.starts_at), old.get("ends_at", s.ends_at))]
            old_when = format_session_time(spans,
                                           old.get("timezone", s.timezone), lang,
                                           person_zone(enrolment.learner, lang))
        place_changed = any(name in old for name in PLACE_FIELDS)
        _send(enrolment, "enrolment_session_changed", old_when=old_when, place_changed=place_changed,
              old_online=old.get("online", s.online), old_city=_old_city(old, s, lang),
              old_country=old.get("venue_country", s.venue_country),
              link_changed="join_url" in old and not place_changed)


def _old_city(old: dict, session, lang: str) -> str | None:
    """The venue city before the change, in the learner's language when it was given in it."""
    before = SimpleNamespace(**{name: old.get(name, getattr(session, name)) for name in VENUE_TEXT_FIELDS})
    return pick(before, "venue_city", lang)[0]


def send_reminders(now: datetime | None = None, days_ahead: int = 3) -> int:
    """Remind every confirmed learner whose session starts within `days_ahead` days, once: each
    enrolment is claimed by a conditional UPDATE (reminder_sent_at still empty) and committed before
    its mail goes, so two runs at once, or one after the other, send one reminder. Commits."""
    now = now or utcnow()
    db.session.commit()
    with write_transaction():
        due = queries.reminders_due(now, now + timedelta(days=days_ahead))
        claimed = []
        if due:
            claimed = list(db.session.scalars(
                sa.update(Enrolment)
                .where(Enrolment.id.in_(due), Enrolment.reminder_sent_at.is_(None))
                .values(reminder_sent_at=now)
                .returning(Enrolment.id)
                .execution_options(synchronize_session=False)
            ))
        db.session.commit()
    sent = 0
    for enrolment in queries.load_enrolments(sorted(claimed)):
        _send(enrolment, "enrolment_reminder", days=max((enrolment.session.starts_at - now).days, 0))
        sent += 1
    current_app.logger.info("%s enrolment reminders sent", sent)
    return sent
