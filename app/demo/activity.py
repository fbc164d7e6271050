"""A believable year of demo activity: bookings, waitlists, cancellations, approvals, completions and
certificates, made through the same services the site uses (app.enrolment.services, app.certifications.services),
so every seat counter equals the seats actually held.

Each session's events (book, cancel, decide) are planned with a fixed random seed and applied in time order,
each at its own moment in the past; nothing is dated after now. Sessions far ahead fill slowly, some near ones
are full with a waitlist, past ones have outcomes, and certifying courses have issued certificates.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import SimpleNamespace

import sqlalchemy as sa

from app.catalog.models import Course, CourseSession, SessionStatus
from app.certifications import services as certificates
from app.database import utcnow
from app.demo.plans import DemoRoles, demo_roles
from app.enrolment import services as enrolments
from app.enrolment.models import LIVE, Enrolment, EnrolmentStatus
from app.extensions import db
from app.providers.models import Membership

MINUTE, HOUR, DAY = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)
BIG_SESSION = 120  # webinars for hundreds: the demo books at most this many people


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


def _apply(session, events: list[Event]) -> dict[int, Enrolment]:
    taken: dict[int, Enrolment] = {}
    for event in events:
        if event.kind == "book":
            taken[event.learner.id] = enrolments.enrol(event.learner, session, now=event.at).enrolment
            continue
        enrolment = taken[event.learner.id]
        if event.kind == "cancel" and enrolment.is_live:
            enrolments.cancel(enrolment, now=event.at)
        elif event.kind in ("approve", "decline") and enrolment.status == EnrolmentStatus.PENDING:
            (enrolments.approve if event.kind == "approve" else enrolments.decline)(enrolment, now=event.at)
    return taken


def _approve_late_requests(session, taken: dict[int, Enrolment]) -> None:
    """A past session's requests were all decided before it began (none waits for ever)."""
    for enrolment in taken.values():
        if enrolment.status == EnrolmentStatus.PENDING:
            enrolments.approve(enrolment, now=session.starts_at - 2 * HOUR)


def _outcomes(session, taken, roles: DemoRoles, rng, now) -> list[Enrolment]:
    completed = []
    for enrolment in taken.values():
        if enrolment.status != EnrolmentStatus.CONFIRMED:
            continue
        done = roles.get(enrolment.learner_id) == "attend" or rng.random() < 0.9
        enrolments.record_outcome(enrolment, done, now=min(session.ends_at + timedelta(hours=rng.uniform(2, 48)),
                                                           now - HOUR))
        if done:
            completed.append(enrolment)
    return completed


def _issue(session, completed, issuer, roles: DemoRoles, rng, now) -> int:
    if not completed or str(session.course.certification) == "none":
        return 0
    at = min(max(e.outcome_at for e in completed) + DAY, now - HOUR)
    issued = certificates.issue(completed, issuer, now=at).certificates
    for certificate in issued:
        if roles.get(certificate.learner_id) == "attend" or rng.random() < 0.35:
            certificates.set_public(certificate, True, now=min(at + 2 * DAY, now - MINUTE))
    return len(issued)


def _issuers() -> dict[int, object]:
    """Who issues for each provider: its demo member, else nobody on record (as after that account's deletion)."""
    rows = db.session.execute(sa.select(Membership.organisation_id, Membership.user_id)).all()
    return {org: SimpleNamespace(id=user) for org, user in rows}


def _reconcile_counters(session_ids: list[int]) -> None:
    """Older demo databases set counters without bookings: count the seats really held."""
    held = (sa.select(sa.func.count(Enrolment.id))
            .where(Enrolment.session_id == CourseSession.id,
                   Enrolment.status.in_((EnrolmentStatus.CONFIRMED, EnrolmentStatus.PENDING)))
            .scalar_subquery())
    db.session.execute(sa.update(CourseSession).where(CourseSession.id.in_(session_ids)).values(seats_taken=held)
                       .execution_options(synchronize_session=False))


def seed_activity(courses: list[Course], learners: list, accounts: list, rng: random.Random,
                  now: datetime | None = None) -> dict[str, int]:
    """Book, cancel, decide, complete and certify across the demo courses' sessions; returns what was added."""
    now = now or utcnow()
    sessions = sorted((s for c in courses for s in c.sessions), key=lambda s: (s.starts_at, s.id))
    _reconcile_counters([s.id for s in sessions])
    db.session.expire_all()
    japan = [u for u in learners if u.country == "JP"]
    europe = [u for u in learners if u.country != "JP"]
    placed = demo_roles(sessions, accounts, rng, now)
    issuers = _issuers()
    nobody = SimpleNamespace(id=None)
    counts = {"enrolments": 0, "certificates": 0}
    for session in sessions:
        cancelled = session.status == SessionStatus.CANCELLED
        cancelled_at = min(session.starts_at - 10 * DAY, now - 5 * DAY)
        session.status = SessionStatus.SCHEDULED  # bookings came before the provider cancelled it
        closes = min(enrolments.enrolment_closes_at(session), now, cancelled_at if cancelled else now) - MINUTE
        roles = placed.get(session.id, {})
        count = _how_many(session, rng, now)
        if "wait" in roles.values():
            count = max(count, session.capacity + 2)
        elif roles:
            count = min(count, session.capacity - len(roles))  # the demo accounts get their seats
        chosen = _pick(session, europe, japan, rng, count)
        chosen += [u for u in accounts if u.id in roles and u not in chosen]
        taken = _apply(session, _plan(session, chosen, roles, rng, now, closes))
        counts["enrolments"] += len(taken)
        if cancelled:
            session.status = SessionStatus.CANCELLED
            enrolments.cancel_session_enrolments(session, now=cancelled_at)
            continue
        if session.starts_at <= now:
            _approve_late_requests(session, taken)
        if session.ends_at <= now - 3 * HOUR:
            completed = _outcomes(session, taken, roles, rng, now)
            issuer = issuers.get(session.course.provider_id, nobody)
            counts["certificates"] += _issue(session, completed, issuer, roles, rng, now)
    db.session.flush()
    db.session.expire_all()  # seat counters were changed by UPDATE statements
    return counts


def holding(session_ids) -> dict[int, int]:
    """Seats held per session (confirmed or pending), for checking the counters."""
    rows = db.session.execute(
        sa.select(Enrolment.session_id, sa.func.count())
        .where(Enrolment.session_id.in_(list(session_ids)), Enrolment.status.in_(LIVE),
               Enrolment.status != EnrolmentStatus.WAITLISTED)
        .group_by(Enrolment.session_id)).all()
    return dict(rows)
