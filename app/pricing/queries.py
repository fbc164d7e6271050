"""Reads of the tax-rate table."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from app.platform.extensions import db
from app.pricing.models import TaxRate


def rate_for(country: str | None, on: date) -> TaxRate | None:
    """The rate in force in `country` on day `on` (the latest that had taken effect), or None."""
    if not country:
        return None
    return db.session.scalars(
        sa.select(TaxRate).where(TaxRate.country == country, TaxRate.valid_from <= on)
        .order_by(TaxRate.valid_from.desc()).limit(1)
    ).first()


def list_rates() -> sa.Select:
    return sa.select(TaxRate).order_by(TaxRate.country, TaxRate.valid_from.desc())


def rate_exists(country: str, valid_from: date) -> bool:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(TaxRate)
        .where(TaxRate.country == country, TaxRate.valid_from == valid_from)
    ) > 0
