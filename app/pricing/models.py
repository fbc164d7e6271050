"""Tax rates by country and the day they take effect, kept by association staff."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.platform.database import UTCDateTime, utcnow
from app.platform.extensions import db


class TaxRate(db.Model):
    """The standard rate of consumption tax or VAT in a country from `valid_from` until the next row.

    Rows are only added, never edited: a course keeps the row it was priced with.
    """

    __tablename__ = "tax_rate"
    __table_args__ = (
        sa.UniqueConstraint("country", "valid_from"),
        sa.CheckConstraint("rate_percent >= 0 AND rate_percent <= 100", name="rate_range"),
        sa.CheckConstraint("length(country) = 2", name="country_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    country: Mapped[str] = mapped_column(sa.String(2))
    rate_percent: Mapped[Decimal] = mapped_column(sa.Numeric(5, 2))
    valid_from: Mapped[date] = mapped_column(sa.Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
