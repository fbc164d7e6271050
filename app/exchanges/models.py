"""Talent exchanges: who moved between which organisations and countries, doing what, with what result."""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import LazyString, pgettext
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.catalog.models import Currency, SkillArea
from app.i18n.vocabulary import Vocabulary
from app.platform.database import UTCDateTime, enum_type, utcnow
from app.platform.extensions import db

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.catalog.models import Course
    from app.certifications.models import Certification
    from app.providers.models import Organisation


# pgettext where the same English names something else elsewhere ("Staff member" of a provider organisation,
# the catalogue kind "Training course", the enrolment outcome "Completed"): glossary terms differ in Japanese.
class ParticipantType(Vocabulary):
    LEARNER = "learner", _l("Learner")
    STAFF = "staff", LazyString(lambda: pgettext("participant type", "Staff member"))
    TRAINER = "trainer", _l("Trainer")


class Direction(Vocabulary):
    """Derived from the two countries, never typed."""

    EU_TO_JP = "eu_to_jp", _l("EU → Japan")
    JP_TO_EU = "jp_to_eu", _l("Japan → EU")
    WITHIN_EU = "within_eu", _l("Within the EU")
    WITHIN_JP = "within_jp", _l("Within Japan")
    OTHER = "other", _l("Other")


class ActivityType(Vocabulary):
    TRAINING_COURSE = "training_course", LazyString(lambda: pgettext("activity type", "Training course"))
    JOB_SHADOWING = "job_shadowing", _l("Job shadowing")
    PLACEMENT = "placement", _l("Placement or secondment")
    TEACHING = "teaching", _l("Teaching assignment")
    STUDY_VISIT = "study_visit", _l("Study visit")
    JOINT_EVENT = "joint_event", _l("Joint workshop, exhibition or conference")
    RESEARCH_VISIT = "research_visit", _l("Research visit")


class CooperationArea(Vocabulary):
    RECYCLING = "recycling", _l("Recycling and circularity (black mass)")
    DATA_SHARING = "data-sharing", _l("Battery data-sharing")
    HUMAN_RESOURCES = "human-resources", _l("Human resources and skills")
    JOINT_EVENTS = "joint-events", _l("Joint exhibitions, conferences and workshops")


class ExchangeStatus(Vocabulary):
    PLANNED = "planned", _l("Planned")
    ONGOING = "ongoing", _l("Ongoing")
    COMPLETED = "completed", LazyString(lambda: pgettext("exchange status", "Completed"))
    CANCELLED = "cancelled", _l("Cancelled")


class Approval(Vocabulary):
    SUBMITTED = "submitted", _l("Awaiting approval")
    APPROVED = "approved", _l("Approved")
    REJECTED = "rejected", _l("Rejected")


exchange_skill = sa.Table(
    "exchange_skill",
    db.metadata,
    sa.Column("exchange_id", sa.ForeignKey("exchange.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("skill_area_id", sa.ForeignKey("skill_area.id"), primary_key=True, index=True),
)

exchange_certification = sa.Table(
    "exchange_certification",
    db.metadata,
    sa.Column("exchange_id", sa.ForeignKey("exchange.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("certification_id", sa.ForeignKey("certification.id", ondelete="CASCADE"), primary_key=True),
)


class Exchange(db.Model):
    __tablename__ = "exchange"
    __table_args__ = (
        sa.CheckConstraint("ends_on >= starts_on", name="dates"),
        sa.CheckConstraint("duration_days >= 1", name="duration"),
        sa.CheckConstraint("funding_amount IS NULL OR funding_amount >= 0", name="funding"),
        sa.CheckConstraint(
            "participant_user_id IS NOT NULL OR participant_name_native IS NOT NULL "
            "OR participant_name_latin IS NOT NULL", name="participant"),
        # The reports group approved exchanges by these.
        sa.Index("ix_exchange_report", "approval", "starts_on", "direction", "cooperation_area"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    participant_name_native: Mapped[str | None] = mapped_column(sa.String(200))
    participant_name_latin: Mapped[str | None] = mapped_column(sa.String(200))
    participant_type: Mapped[ParticipantType] = mapped_column(enum_type(ParticipantType))
    sending_org_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    sending_country: Mapped[str] = mapped_column(sa.String(2))
    receiving_org_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    receiving_country: Mapped[str] = mapped_column(sa.String(2))
    direction: Mapped[Direction] = mapped_column(enum_type(Direction))
    activity_type: Mapped[ActivityType] = mapped_column(enum_type(ActivityType))
    course_id: Mapped[int | None] = mapped_column(sa.ForeignKey("course.id", ondelete="SET NULL"))
    cooperation_area: Mapped[CooperationArea] = mapped_column(enum_type(CooperationArea))
    starts_on: Mapped[date] = mapped_column(sa.Date)
    ends_on: Mapped[date] = mapped_column(sa.Date)
    duration_days: Mapped[int]  # derived: ends_on - starts_on + 1
    funding_amount: Mapped[int | None] = mapped_column(sa.BigInteger)  # minor units of the currency
    funding_currency: Mapped[Currency | None] = mapped_column(enum_type(Currency))
    funding_source: Mapped[str | None] = mapped_column(sa.String(200))
    green_travel: Mapped[bool] = mapped_column(default=False)
    status: Mapped[ExchangeStatus] = mapped_column(enum_type(ExchangeStatus), default=ExchangeStatus.PLANNED)
    approval: Mapped[Approval] = mapped_column(enum_type(Approval), default=Approval.SUBMITTED)
    rejection_reason: Mapped[str | None] = mapped_column(sa.String(1000))
    reviewed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome_notes: Mapped[str | None] = mapped_column(sa.Text)
    # The provider whose staff recorded it (their view and edit rights), or None when staff recorded it.
    recorded_for_org_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="SET NULL"), index=True)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    import_id: Mapped[int | None] = mapped_column(sa.ForeignKey("exchange_import.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    participant: Mapped[User | None] = relationship(foreign_keys=[participant_user_id])
    sending_org: Mapped[Organisation] = relationship(foreign_keys=[sending_org_id])
    receiving_org: Mapped[Organisation] = relationship(foreign_keys=[receiving_org_id])
    course: Mapped[Course | None] = relationship()
    skill_areas: Mapped[list[SkillArea]] = relationship(secondary=exchange_skill, order_by=SkillArea.position)
    certifications: Mapped[list[Certification]] = relationship(secondary=exchange_certification)


class ExchangeImport(db.Model):
    """An uploaded file's checked rows, kept until confirmed so that any server process can confirm it."""

    __tablename__ = "exchange_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(sa.String(43), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    filename: Mapped[str] = mapped_column(sa.String(255))
    row_count: Mapped[int] = mapped_column(default=0)
    error_count: Mapped[int] = mapped_column(default=0)
    # Valid rows as normalised values ready to insert, and every bad row with its reasons.
    rows: Mapped[list] = mapped_column(sa.JSON)
    errors: Mapped[list] = mapped_column(sa.JSON)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A CSV file as uploaded, so that it can be read again in another encoding before it is confirmed (dropped
    # on confirmation), the encoding it was read in, and whether that was a guess.
    upload: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    encoding: Mapped[str | None] = mapped_column(sa.String(16))
    encoding_guessed: Mapped[bool] = mapped_column(default=False)
