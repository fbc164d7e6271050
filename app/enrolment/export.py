"""The learner's enrolments in their personal data export (Settings → Download my data)."""
from __future__ import annotations

import sqlalchemy as sa

from app.accounts.privacy import register_export
from app.catalog.models import Course, CourseSession
from app.enrolment.models import Enrolment
from app.platform.extensions import db

FIELDS = ("status", "created_at", "queued_at", "confirmed_at", "promoted_at", "decided_at", "cancelled_at",
          "outcome_at", "note")


def enrolments_of(user) -> list[dict]:
    rows = db.session.execute(
        sa.select(Enrolment, CourseSession, Course)
        .join(CourseSession, CourseSession.id == Enrolment.session_id)
        .join(Course, Course.id == CourseSession.course_id)
        .where(Enrolment.learner_id == user.id)
        .order_by(Enrolment.created_at)
    ).all()
    return [
        {"id": e.id, "course_id": c.id, "course_title_en": c.title_en, "course_title_ja": c.title_ja,
         "session_id": s.id, "session_starts_at": s.starts_at, "session_timezone": s.timezone,
         **{name: getattr(e, name) for name in FIELDS}}
        for e, s, c in rows
    ]


register_export("enrolments", enrolments_of)
