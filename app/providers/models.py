"""Organisations: training providers, and the employers and universities that exchanges name."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from app.i18n.countries import Region, region_of
from app.i18n.scripts import split_by_language
from app.platform.database import UTCDateTime, enum_type, utcnow
from app.platform.extensions import db

if TYPE_CHECKING:
    from app.accounts.models import User


class CityInTwoLanguages:
    """`city` as one value (English first), for API clients and records written before the city had two
    languages; a city given in one language goes to the field of the language it is written in."""

    @property
    def city(self) -> str | None:
        return self.city_en or self.city_ja

    @city.setter
    def city(self, value: str | None) -> None:
        self.city_en, self.city_ja = split_by_language(value)


class OrganisationKind(enum.StrEnum):
    TRAINING_PROVIDER = "training_provider"
    COMPANY = "company"
    UNIVERSITY = "university"
    RESEARCH_INSTITUTE = "research_institute"
    ASSOCIATION = "association"


class Organisation(CityInTwoLanguages, db.Model):
    __tablename__ = "organisation"
    __table_args__ = (
        sa.CheckConstraint("name_en IS NOT NULL OR name_ja IS NOT NULL", name="has_name"),
        sa.CheckConstraint("length(country) = 2", name="country_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[OrganisationKind] = mapped_column(enum_type(OrganisationKind), index=True)
    name_en: Mapped[str | None] = mapped_column(sa.String(200))
    name_ja: Mapped[str | None] = mapped_column(sa.String(200))
    name_reading: Mapped[str | None] = mapped_column(sa.String(200))  # of name_ja, in katakana (フリガナ)
    description_en: Mapped[str | None] = mapped_column(sa.Text)
    description_ja: Mapped[str | None] = mapped_column(sa.Text)
    country: Mapped[str] = mapped_column(sa.String(2), index=True)
    # The city in both languages (a city named in one only is shown in it on both sides).
    city_en: Mapped[str | None] = mapped_column(sa.String(120))
    city_ja: Mapped[str | None] = mapped_column(sa.String(120))
    website: Mapped[str | None] = mapped_column(sa.String(300))
    verified: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
    )


    @property
    def region(self) -> Region:
        return region_of(self.country)

    @property
    def is_provider(self) -> bool:
        return self.kind == OrganisationKind.TRAINING_PROVIDER

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.name_en or self.name_ja}>"


class MemberRole(enum.StrEnum):
    OWNER = "owner"  # manages the members; signs in with a second factor
    STAFF = "staff"


class Membership(db.Model):
    """A person working for a provider organisation, as its owner or as staff."""

    __tablename__ = "membership"

    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[MemberRole] = mapped_column(enum_type(MemberRole), default=MemberRole.STAFF)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation: Mapped[Organisation] = relationship(back_populates="memberships")
    # User.memberships, from this side: accounts, below providers, does not name Membership.
    user: Mapped[User] = relationship(backref=backref("memberships", cascade="all, delete-orphan"))


class ApplicationStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"


class ProviderApplication(CityInTwoLanguages, db.Model):
    """A request to register a training organisation; approval creates the organisation and makes the
    applicant its owner."""

    __tablename__ = "provider_application"
    __table_args__ = (
        sa.CheckConstraint("name_en IS NOT NULL OR name_ja IS NOT NULL", name="has_name"),
        sa.CheckConstraint("length(country) = 2", name="country_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    applicant_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[OrganisationKind] = mapped_column(
        enum_type(OrganisationKind), default=OrganisationKind.TRAINING_PROVIDER
    )
    name_en: Mapped[str | None] = mapped_column(sa.String(200))
    name_ja: Mapped[str | None] = mapped_column(sa.String(200))
    name_reading: Mapped[str | None] = mapped_column(sa.String(200))  # of name_ja, in katakana (フリガナ)
    description_en: Mapped[str | None] = mapped_column(sa.Text)
    description_ja: Mapped[str | None] = mapped_column(sa.Text)
    country: Mapped[str] = mapped_column(sa.String(2))
    # The city in both languages (a city named in one only is shown in it on both sides).
    city_en: Mapped[str | None] = mapped_column(sa.String(120))
    city_ja: Mapped[str | None] = mapped_column(sa.String(120))
    website: Mapped[str | None] = mapped_column(sa.String(300))
    status: Mapped[ApplicationStatus] = mapped_column(
        enum_type(ApplicationStatus), default=ApplicationStatus.SUBMITTED, index=True
    )
    # The reviewer's reason, shown to the applicant; written in whichever language the reviewer chose.
    review_comment: Mapped[str | None] = mapped_column(sa.Text)
    reviewer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisation.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    applicant: Mapped[User | None] = relationship(foreign_keys=[applicant_id])
    organisation: Mapped[Organisation | None] = relationship()

