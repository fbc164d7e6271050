"""Organisations: training providers, and the employers and universities that exchanges name."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import UTCDateTime, enum_type, utcnow
from app.extensions import db
from app.geo import Region, region_of

if TYPE_CHECKING:
    from app.catalog.models import Course


class OrganisationKind(enum.StrEnum):
    TRAINING_PROVIDER = "training_provider"
    COMPANY = "company"
    UNIVERSITY = "university"
    RESEARCH_INSTITUTE = "research_institute"
    ASSOCIATION = "association"


class Organisation(db.Model):
    __tablename__ = "organisation"
    __table_args__ = (
        sa.CheckConstraint("name_en IS NOT NULL OR name_ja IS NOT NULL", name="has_name"),
        sa.CheckConstraint("length(country) = 2", name="country_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[OrganisationKind] = mapped_column(enum_type(OrganisationKind), index=True)
    name_en: Mapped[str | None] = mapped_column(sa.String(200))
    name_ja: Mapped[str | None] = mapped_column(sa.String(200))
    description_en: Mapped[str | None] = mapped_column(sa.Text)
    description_ja: Mapped[str | None] = mapped_column(sa.Text)
    country: Mapped[str] = mapped_column(sa.String(2), index=True)
    city: Mapped[str | None] = mapped_column(sa.String(120))
    website: Mapped[str | None] = mapped_column(sa.String(300))
    verified: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    courses: Mapped[list[Course]] = relationship(back_populates="provider")

    @property
    def region(self) -> Region:
        return region_of(self.country)

    @property
    def is_provider(self) -> bool:
        return self.kind == OrganisationKind.TRAINING_PROVIDER

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.name_en or self.name_ja}>"
