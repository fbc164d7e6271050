"""What the demo learner accounts of the README did this year, so their own pages show every state: two
courses completed with certificates, one seat booked, one booking cancelled, a waitlist place and a request
awaiting the provider's approval."""
from __future__ import annotations

import random
from datetime import datetime, timedelta

from app.catalog.models import CourseSession, SessionStatus

DemoRoles = dict[int, str]  # learner id -> attend, cancel, wait or request

# Which courses each demo learner takes: by the languages they read.
READS = {"learner@example.com": {"en"}, "gakusei@example.com": {"ja"}}
SMALL = 40  # the demo accounts book classroom-sized sessions, not webinars


def _fits(session: CourseSession, reads: set[str]) -> bool:
    course = session.course
    return (session.status == SessionStatus.SCHEDULED and session.capacity <= SMALL
            and bool(reads & {language.language for language in course.languages}))


def demo_roles(sessions: list[CourseSession], accounts: list, rng: random.Random,
               now: datetime) -> dict[int, DemoRoles]:
    """{session id: {learner id: role}} for the demo learner accounts."""
    placed: dict[int, DemoRoles] = {}
    used: set[int] = set()
    for account in accounts:
        reads = READS.get(account.email)
        if reads is None:
            continue
        mine = [s for s in sessions if _fits(s, reads) and s.id not in used]
        certifying = [s for s in mine if str(s.course.certification) != "none" and not s.requires_approval]
        past = [s for s in certifying if s.ends_at < now - timedelta(days=3)]
        soon = [s for s in mine if now + timedelta(days=7) < s.starts_at < now + timedelta(days=120)]
        open_ = [s for s in soon if not s.requires_approval]
        wanted = [("attend", past, 2), ("attend", open_, 1), ("cancel", open_, 1), ("wait", open_, 1),
                  ("request", [s for s in soon if s.requires_approval], 1)]
        courses: set[int] = set()
        for role, pool, count in wanted:
            choices = [s for s in pool if s.id not in used and s.course_id not in courses]
            for session in rng.sample(choices, min(count, len(choices))):
                placed.setdefault(session.id, {})[account.id] = role
                used.add(session.id)
                courses.add(session.course_id)
    return placed
