"""A believable year of demo activity: bookings, waitlists, cancellations, approvals, completions and
certificates, by the rules of the site's services (app.demo.ledger works out the seats as
app.enrolment.services would; certificates are made as app.certifications.services.issue makes them), so every
seat counter equals the seats actually held.

Each session's events (book, cancel, decide) are planned with a fixed random seed and applied in time order,
each at its own moment in the past; nothing is dated after now. Sessions far ahead fill slowly, some near ones
are full with a waitlist, past ones have outcomes, and certifying courses have issued certificates.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from app.catalog.models import Course, CourseSession, SessionStatus
from app.certifications import services as certificates
from app.certifications.models import CertificateStatus, CertificateType, Certification
from app.demo.ledger import HOLDS_SEAT, Booking, Ledger
from app.demo.plans import DemoRoles, demo_roles
from app.enrolment import services as enrolments
from app.enrolment.models import Enrolment, EnrolmentStatus
from app.platform.database import utcnow
from app.platform.extensions import db
from app.providers.models import Membership

MINUTE, HOUR, DAY = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)
BIG_SESSION = 60  # webinars for hundreds: the demo books at most this many people
REVOKED_EN = "Issued in error: the final assessment was not passed."
REVOKED_JA = "誤って発行しました。修了評価に合格していません。"


@dataclass(order=True)
class Event:
    at: datetime
    order: int  # ties keep the planned order
    kind: str  # book, cancel, approve, decline
    learner: object


def _japan_share(course: Course) -> float:
    """Which learners a course draws, by its languages: Japanese-only ones Japan, others mostly Europe."""
    languages = {language.language for language in course.languages}
    if languages == {"ja"}:
        return 1.0
    if "ja" in languages:
        return 0.6
    return 0.12 if "en" in languages else 0.0


def _how_many(session: CourseSession, rng: random.Random, now: datetime) -> int:
    if session.starts_at <= now:
        share = rng.uniform(0.55, 1.0)
    else:
        ahead = (session.starts_at - now).days
        if ahead <= 120 and rng.random() < 0.18:
            return session.capacity + rng.randint(1, 4)  # full, with a waitlist
        share = rng.uniform(0.4, 1.0) if ahead <= 60 else rng.uniform(0.1, 0.6)
    return max(1, round(session.capacity * share))


def _pick(session, europe, japan, rng, count) -> list:
    count = min(count, BIG_SESSION)
    from_japan = min(round(count * _japan_share(session.course)), len(japan))
    from_europe = min(count - from_japan, len(europe))
    return rng.sample(japan, from_japan) + rng.sample(europe, from_europe)


def _plan(session, learners, roles: DemoRoles, rng, now, closes) -> list[Event]:
    """The session's events in time order: bookings between opening and `closes`, some given back, requests
    decided within days. The demo accounts' parts (attend, cancel, wait, request) are placed on purpose."""
    opens = min(session.starts_at - 75 * DAY, closes - 30 * DAY)
    span = (closes - opens).total_seconds()
    times = sorted(opens + timedelta(seconds=rng.uniform(0, span)) for _ in learners)
    starts = min(session.starts_at, now)
    events, order = [], 0
    quiet = "wait" in roles.values()  # nobody gives a seat back before the demo account joins the waitlist
    for learner, at in zip(learners, times):
        role = roles.get(learner.id)
        if role == "wait":
            at = closes - MINUTE  # after everyone else: the session is full by then
        events.append(Event(at, order, "book", learner))
        order += 1
        if role == "cancel" or (role is None and not quiet and rng.random() < 0.08):
            events.append(Event(at + (starts - at) * rng.uniform(0.2, 0.9), order, "cancel", learner))
        elif session.requires_approval and role not in ("request", "wait"):
            decided = min(at + timedelta(hours=rng.uniform(2, 72)), session.starts_at - 2 * HOUR)
            kind = "decline" if role is None and rng.random() < 0.08 else "approve"
            if at < decided < now:
                events.append(Event(decided, order, kind, learner))
        order += 1
    return sorted(events)


def _apply(ledger: Ledger, events: list[Event]) -> None:
    actions = {"cancel": ledger.cancel, "approve": ledger.approve, "decline": ledger.decline}
    for event in events:
        if event.kind == "book":
            ledger.book(event.learner.id, event.at)
        else:
            actions[event.kind](event.learner.id, event.at)


def _outcomes(ledger: Ledger, roles: DemoRoles, rng, now) -> list[Booking]:
    """A past session: requests left were decided before it began; then who completed it."""
    session, completed = ledger.session, []
    for enrolment in ledger.enrolments:
        if enrolment.status == EnrolmentStatus.PENDING:
            ledger.approve(enrolment.learner_id, session.starts_at - 2 * HOUR)
        if session.ends_at > now - 3 * HOUR or enrolment.status != EnrolmentStatus.CONFIRMED:
            continue
        done = roles.get(enrolment.learner_id) == "attend" or rng.random() < 0.9
        ledger.record_outcome(enrolment, done, min(session.ends_at + timedelta(hours=rng.uniform(2, 48)),
                                                   now - HOUR))
        if done:
            completed.append(enrolment)
    return completed


def _certificates(session, completed, issuer_id, roles: DemoRoles, rng, now) -> list[dict]:
    """Certificate rows as app.certifications.services.issue makes them, after the outcomes; some made public
    by their holder."""
    course = session.course
    if not completed or str(course.certification) == "none":
        return []
    at = min(max(e.outcome_at for e in completed) + DAY, now - HOUR)
    facts = certificates.facts_of(course, session)
    issued = []
    for enrolment in completed:
        public = roles.get(enrolment.learner_id) == "attend" or rng.random() < 0.35
        issued.append(dict(
            public_id=certificates.new_public_id(), learner_id=enrolment.learner_id, enrolment_id=enrolment.id,
            course_id=course.id, session_id=session.id, organisation_id=course.provider_id,
            type=CertificateType(str(course.certification)), status=CertificateStatus.ACTIVE, issued_at=at,
            expires_at=certificates.expiry(at, course.validity_months), issued_by_id=issuer_id, facts=facts,
            public=public, public_since=min(at + 2 * DAY, now - MINUTE) if public else None))
        if enrolment.learner_id not in roles and rng.random() < 0.015:  # issued in error, later revoked
            japanese = course.provider.country == "JP"
            issued[-1].update(status=CertificateStatus.REVOKED, revoked_at=min(at + 10 * DAY, now - MINUTE),
                              revoked_by_id=issuer_id, revoked_reason=REVOKED_JA if japanese else REVOKED_EN)
    return issued


def _insert(bookings: list[Booking]) -> None:
    """One INSERT for every booking, then their ids (the certificates refer to them): each learner has one
    booking per session. Core statements: the ORM's bulk paths take seconds over thousands of rows."""
    if not bookings:
        return
    before = db.session.scalar(sa.select(sa.func.coalesce(sa.func.max(Enrolment.id), 0)))
    db.session.execute(sa.insert(Enrolment.__table__), [b.row() for b in bookings])
    ids = {(session_id, learner_id): id_ for id_, session_id, learner_id in db.session.execute(
        sa.select(Enrolment.id, Enrolment.session_id, Enrolment.learner_id).where(Enrolment.id > before))}
    for booking in bookings:
        booking.id = ids[booking.session_id, booking.learner_id]


def _issuers() -> dict[int, int]:
    """Who issues for each provider: its demo member, else nobody on record (as after that account's deletion)."""
    return dict(db.session.execute(sa.select(Membership.organisation_id, Membership.user_id)).all())


def _reconcile_counters(session_ids: list[int]) -> None:
    """Every demo session's counter is the seats really held (older demo databases set them without bookings)."""
    held = (sa.select(sa.func.count(Enrolment.id))
            .where(Enrolment.session_id == CourseSession.id,
                   Enrolment.status.in_(HOLDS_SEAT))
            .scalar_subquery())
    db.session.execute(sa.update(CourseSession).where(CourseSession.id.in_(session_ids)).values(seats_taken=held)
                       .execution_options(synchronize_session=False))


def seed_activity(courses: list[Course], learners: list, accounts: list, rng: random.Random,
                  now: datetime | None = None) -> dict[str, int]:
    """Book, cancel, decide, complete and certify across the demo courses' sessions; returns what was added."""
    now = now or utcnow()
    sessions = sorted((s for c in courses for s in c.sessions), key=lambda s: (s.starts_at, s.id))
    japan = [u for u in learners if u.country == "JP"]
    europe = [u for u in learners if u.country != "JP"]
    placed = demo_roles(sessions, accounts, rng, now)
    issuers = _issuers()
    held = holding(s.id for s in sessions)  # an older demo database may hold a few real bookings
    ledgers, to_certify = [], []
    for session in sessions:
        ledger = Ledger(session, held.get(session.id, 0))
        cancelled = session.status == SessionStatus.CANCELLED
        cancelled_at = min(session.starts_at - 10 * DAY, now - 5 * DAY)
        closes = min(enrolments.enrolment_closes_at(session), now, cancelled_at if cancelled else now) - MINUTE
        roles = placed.get(session.id, {})
        count = _how_many(session, rng, now)
        if "wait" in roles.values():
            count = max(count, session.capacity + 2)
        elif roles:
            count = min(count, session.capacity - len(roles))  # the demo accounts get their seats
        chosen = _pick(session, europe, japan, rng, count)
        chosen += [u for u in accounts if u.id in roles and u not in chosen]
        _apply(ledger, _plan(session, chosen, roles, rng, now, closes))
        if cancelled:
            ledger.cancel_session(cancelled_at)  # the provider cancelled it, after these bookings
        elif session.starts_at <= now:
            to_certify.append((session, _outcomes(ledger, roles, rng, now), roles))
        ledgers.append(ledger)
    enrolled = [e for ledger in ledgers for e in ledger.enrolments]
    _insert(enrolled)
    issued = [c for session, completed, roles in to_certify
              for c in _certificates(session, completed, issuers.get(session.course.provider_id), roles, rng, now)]
    if issued:
        db.session.execute(sa.insert(Certification.__table__), issued)
    _reconcile_counters([s.id for s in sessions])
    for session in sessions:
        db.session.expire(session, ["seats_taken"])  # set by the UPDATE above
    return {"enrolments": len(enrolled), "certificates": len(issued)}


def holding(session_ids) -> dict[int, int]:
    """Seats held per session (pending, confirmed, or with an outcome recorded)."""
    rows = db.session.execute(
        sa.select(Enrolment.session_id, sa.func.count())
        .where(Enrolment.session_id.in_(list(session_ids)), Enrolment.status.in_(HOLDS_SEAT))
        .group_by(Enrolment.session_id)).all()
    return dict(rows)
