"""Enrolments: a learner's place in a course session, confirmed, waiting, or asked for."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.platform.database import UTCDateTime, enum_type, utcnow
from app.platform.extensions import db

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.catalog.models import CourseSession


class EnrolmentStatus(enum.StrEnum):
    PENDING = "pending"  # asked for a seat in a session that needs the provider's approval
    CONFIRMED = "confirmed"  # holds a seat
    WAITLISTED = "waitlisted"  # in the queue for the next free seat
    DECLINED = "declined"  # the provider said no
    CANCELLED = "cancelled"  # by the learner, or with the session
    COMPLETED = "completed"
    NOT_COMPLETED = "not_completed"


LIVE = (EnrolmentStatus.PENDING, EnrolmentStatus.CONFIRMED, EnrolmentStatus.WAITLISTED)
LIVE_SQL = "status IN ('pending', 'confirmed', 'waitlisted')"


class Enrolment(db.Model):
    __tablename__ = "enrolment"
    __table_args__ = (
        # One live enrolment per learner and session, whatever races: the database refuses a second.
        sa.Index("uq_enrolment_live", "session_id", "learner_id", unique=True,
                 sqlite_where=sa.text(LIVE_SQL), postgresql_where=sa.text(LIVE_SQL)),
        # The waitlist in arrival order, and the roster by status.
        sa.Index("ix_enrolment_session_status_queue", "session_id", "status", "queued_at", "id"),
        sa.Index("ix_enrolment_learner_status", "learner_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("course_session.id", ondelete="CASCADE"))
    learner_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"))
    status: Mapped[EnrolmentStatus] = mapped_column(enum_type(EnrolmentStatus))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the learner joined the waitlist; the queue is ordered by (queued_at, id).
    queued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    promoted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # confirmed from the waitlist
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # approved or declined
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # completed / did not complete
    reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str | None] = mapped_column(sa.String(500))  # the provider's reason when declining

    session: Mapped[CourseSession] = relationship()
    learner: Mapped[User] = relationship()

    @property
    def is_live(self) -> bool:
        return self.status in LIVE
