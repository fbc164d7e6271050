"""Skill areas, courses, course sessions, and the tables that index them for search."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.catalog.enums import (  # noqa: F401  (imported from here across the app)
    Audience,
    CertificationType,
    CourseKind,
    CourseStatus,
    Currency,
    DeliveryMode,
    SessionStatus,
)
from app.i18n import LANGUAGES
from app.i18n.scripts import split_by_language
from app.platform.database import UTCDateTime, enum_type, utcnow
from app.platform.extensions import db
from app.pricing.models import TaxRate
from app.providers.models import Organisation

course_skill_area = sa.Table(
    "course_skill_area",
    db.metadata,
    sa.Column("course_id", sa.ForeignKey("course.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("skill_area_id", sa.ForeignKey("skill_area.id", ondelete="CASCADE"), primary_key=True,
              index=True),
)


class SkillArea(db.Model):
    __tablename__ = "skill_area"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    position: Mapped[int] = mapped_column(default=0)
    name_en: Mapped[str] = mapped_column(sa.String(200))
    name_ja: Mapped[str] = mapped_column(sa.String(200))
    description_en: Mapped[str | None] = mapped_column(sa.Text)
    description_ja: Mapped[str | None] = mapped_column(sa.Text)


class Course(db.Model):
    __tablename__ = "course"
    __table_args__ = (
        sa.CheckConstraint("title_en IS NOT NULL OR title_ja IS NOT NULL", name="has_title"),
        sa.CheckConstraint("eqf_level IS NULL OR eqf_level BETWEEN 1 AND 8", name="eqf_level"),
        sa.CheckConstraint("duration_hours IS NULL OR duration_hours > 0", name="duration"),
        sa.CheckConstraint("price_amount IS NULL OR price_amount > 0", name="price_positive"),
        sa.CheckConstraint("(price_amount IS NULL) = (currency IS NULL)", name="price_currency"),
        sa.CheckConstraint("validity_months IS NULL OR validity_months > 0", name="validity"),
        sa.Index("ix_course_status_provider", "status", "provider_id"),
        # Covers every column the catalogue filters, counts and sorts on, so those statements read
        # this narrow index instead of the wide rows with their descriptions.
        sa.Index(
            "ix_course_catalogue", "status", "id", "kind", "delivery_mode", "audience", "eqf_level",
            "provider_id", "price_amount", "published_at", "next_session_at",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    kind: Mapped[CourseKind] = mapped_column(enum_type(CourseKind))
    status: Mapped[CourseStatus] = mapped_column(enum_type(CourseStatus), default=CourseStatus.DRAFT)
    review_comment: Mapped[str | None] = mapped_column(sa.Text)

    title_en: Mapped[str | None] = mapped_column(sa.String(300))
    title_ja: Mapped[str | None] = mapped_column(sa.String(300))
    summary_en: Mapped[str | None] = mapped_column(sa.Text)
    summary_ja: Mapped[str | None] = mapped_column(sa.Text)
    description_en: Mapped[str | None] = mapped_column(sa.Text)
    description_ja: Mapped[str | None] = mapped_column(sa.Text)
    learning_outcomes_en: Mapped[str | None] = mapped_column(sa.Text)
    learning_outcomes_ja: Mapped[str | None] = mapped_column(sa.Text)
    prerequisites_en: Mapped[str | None] = mapped_column(sa.Text)
    prerequisites_ja: Mapped[str | None] = mapped_column(sa.Text)
    assessment_en: Mapped[str | None] = mapped_column(sa.Text)
    assessment_ja: Mapped[str | None] = mapped_column(sa.Text)

    eqf_level: Mapped[int | None]
    audience: Mapped[Audience] = mapped_column(enum_type(Audience))
    delivery_mode: Mapped[DeliveryMode] = mapped_column(enum_type(DeliveryMode))
    duration_hours: Mapped[Decimal | None] = mapped_column(sa.Numeric(6, 1))
    # Smallest currency unit (cents, yen); NULL amount and currency mean free.
    price_amount: Mapped[int | None] = mapped_column(sa.BigInteger)
    currency: Mapped[Currency | None] = mapped_column(enum_type(Currency))
    # Whether price_amount is the gross (tax-inclusive) amount; the rate is the provider country's on the
    # day the price was saved. No rate on record: the price is shown with its tax status but no split.
    price_includes_tax: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    tax_rate_id: Mapped[int | None] = mapped_column(sa.ForeignKey("tax_rate.id"))
    certification: Mapped[CertificationType] = mapped_column(
        enum_type(CertificationType), default=CertificationType.NONE
    )
    validity_months: Mapped[int | None]
    # The provider's cancellation terms: text for learners, and the rule billing applies (free until
    # cancel_free_days before the start, then cancel_fee_percent of the price; see catalog/cancellation.py).
    cancellation_terms_en: Mapped[str | None] = mapped_column(sa.Text)
    cancellation_terms_ja: Mapped[str | None] = mapped_column(sa.Text)
    cancel_free_days: Mapped[int | None] = mapped_column(sa.SmallInteger)
    cancel_fee_percent: Mapped[int | None] = mapped_column(sa.SmallInteger)

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # The start of the next scheduled session, kept by catalog.services.refresh_next_sessions so the
    # catalogue can sort 20,000 courses without a subquery per course. A value in the past is stale
    # (that session has begun); queries fall back to the sessions table for those rows only.
    next_session_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    provider: Mapped[Organisation] = relationship()
    # Joined with every course loaded: every page that shows a price needs it, and it is one small row.
    tax_rate: Mapped[TaxRate | None] = relationship(lazy="joined")
    skill_areas: Mapped[list[SkillArea]] = relationship(
        secondary=course_skill_area, order_by=SkillArea.position
    )
    languages: Mapped[list[CourseLanguage]] = relationship(
        cascade="all, delete-orphan", order_by="CourseLanguage.language"
    )
    sessions: Mapped[list[CourseSession]] = relationship(
        back_populates="course", cascade="all, delete-orphan", order_by="CourseSession.starts_at"
    )

    @property
    def listing_languages(self) -> list[str]:
        """Which languages the listing itself is written in (not the languages of instruction)."""
        return [lang for lang in LANGUAGES if getattr(self, f"title_{lang}")]

    @property
    def language_codes(self) -> list[str]:
        return [row.language for row in self.languages]

    @property
    def is_free(self) -> bool:
        return self.price_amount is None


class CourseLanguage(db.Model):
    """A language of instruction (ISO 639-1), independent of the listing's languages."""

    __tablename__ = "course_language"

    course_id: Mapped[int] = mapped_column(
        sa.ForeignKey("course.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(sa.String(8), primary_key=True, index=True)


# A session's venue, each in English and Japanese.
VENUE_TEXT_FIELDS = ("venue_city_en", "venue_city_ja", "venue_address_en", "venue_address_ja")


class CourseSession(db.Model):
    __tablename__ = "course_session"
    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint("capacity >= 0", name="capacity"),
        sa.CheckConstraint("seats_taken >= 0 AND seats_taken <= capacity", name="seats"),
        sa.CheckConstraint("online OR venue_country IS NOT NULL", name="venue"),
        # With status between: the next-session lookups need no row visit, and SQLite picks this index
        # even before ANALYZE has run (with (course_id, starts_at) it chose the status index, 90x slower).
        sa.Index("ix_course_session_course_status_start", "course_id", "status", "starts_at"),
        # Upcoming sessions by date, covering the venue-country counts (122 ms -> 31 ms at 64,000 rows).
        sa.Index("ix_course_session_upcoming", "status", "starts_at", "venue_country", "course_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("course.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    timezone: Mapped[str] = mapped_column(sa.String(64))
    # The start date in the session's own time zone, so date filters mean what the venue's calendar says.
    starts_on: Mapped[date] = mapped_column(sa.Date, index=True)
    online: Mapped[bool] = mapped_column(default=False)
    # The venue in both languages; the street address is for in-person sessions.
    venue_city_en: Mapped[str | None] = mapped_column(sa.String(120))
    venue_city_ja: Mapped[str | None] = mapped_column(sa.String(120))
    venue_address_en: Mapped[str | None] = mapped_column(sa.String(300))
    venue_address_ja: Mapped[str | None] = mapped_column(sa.String(300))
    venue_country: Mapped[str | None] = mapped_column(sa.String(2), index=True)
    join_url: Mapped[str | None] = mapped_column(sa.String(500))
    capacity: Mapped[int]
    seats_taken: Mapped[int] = mapped_column(default=0)
    enrolment_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    requires_approval: Mapped[bool] = mapped_column(default=False)
    status: Mapped[SessionStatus] = mapped_column(
        enum_type(SessionStatus), default=SessionStatus.SCHEDULED
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    course: Mapped[Course] = relationship(back_populates="sessions")
    # Loaded with each batch of sessions in one statement (selectin), so lists showing days stay flat.
    days: Mapped[list[SessionDay]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="SessionDay.starts_at",
        lazy="selectin",
    )

    @property
    def shown_status(self) -> str:
        """The status a page names: a scheduled session whose last day has ended has taken place."""
        if self.status == SessionStatus.SCHEDULED and self.ends_at is not None and self.ends_at < utcnow():
            return SessionStatus.COMPLETED.value
        return str(self.status)

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.seats_taken, 0)

    @property
    def venue_city(self) -> str | None:
        """The city as one value (English first), for API clients and records written before the
        city had two languages."""
        return self.venue_city_en or self.venue_city_ja

    @venue_city.setter
    def venue_city(self, value: str | None) -> None:
        """A city given in one language goes to the field of the language it is written in."""
        self.venue_city_en, self.venue_city_ja = split_by_language(value)

    @property
    def spans(self) -> list[tuple[datetime, datetime]]:
        """(start, end) of each day; a session not yet flushed has its one start and end."""
        return [(d.starts_at, d.ends_at) for d in self.days] or [(self.starts_at, self.ends_at)]

    @property
    def hours_vary(self) -> bool:
        """Whether its days keep different local hours (then pages list each day)."""
        zone = ZoneInfo(self.timezone)
        return len({(s.astimezone(zone).time(), e.astimezone(zone).time()) for s, e in self.spans}) > 1

    @property
    def total_hours(self) -> Decimal:
        """The hours the session states: the sum of its days, to the quarter hour."""
        seconds = sum((end - start).total_seconds() for start, end in self.spans)
        return (Decimal(round(seconds / 900)) / 4).normalize()


class SessionDay(db.Model):
    """One day of a session: its instants in UTC (what calendars and "has it ended" need) and the
    date it falls on in the session's own zone (what the provider typed, and what pages list)."""

    __tablename__ = "session_day"
    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.UniqueConstraint("session_id", "day"),  # its index also serves loading a session's days
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("course_session.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(sa.Date)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)

    session: Mapped[CourseSession] = relationship(back_populates="days")


class CourseSearch(db.Model):
    """One row per course: its searchable text, NFKC-normalised and case-folded in both languages.

    SQLite indexes `body` with an FTS5 trigram table (course_fts, made by the migration); PostgreSQL
    with a pg_trgm GIN index. Neither serves terms under three characters, so CourseGram does.
    """

    __tablename__ = "course_search"

    course_id: Mapped[int] = mapped_column(
        sa.ForeignKey("course.id", ondelete="CASCADE"), primary_key=True
    )
    title: Mapped[str] = mapped_column(sa.Text, default="")
    body: Mapped[str] = mapped_column(sa.Text, default="")


class CourseGram(db.Model):
    """Short keys for short queries: every 2-character CJK substring, and '^' + the first one or
    two letters of every Latin word (short Latin terms match word starts)."""

    __tablename__ = "course_gram"

    gram: Mapped[str] = mapped_column(sa.String(8), primary_key=True)
    course_id: Mapped[int] = mapped_column(
        sa.ForeignKey("course.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class CatalogueState(db.Model):
    """A single row whose version changes on every catalogue write, so caches know they are stale."""

    __tablename__ = "catalogue_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=1)
