"""Writes of the tax-rate table: staff add rates; none is edited or deleted (courses point at them)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app.audit.services import record
from app.platform.domain import DomainError
from app.platform.extensions import db
from app.pricing.models import TaxRate
from app.pricing.queries import rate_exists


class TaxRateError(DomainError):
    """A broken rule about tax rates."""


def add_tax_rate(country: str, rate_percent: Decimal, valid_from: date) -> TaxRate:
    if rate_exists(country, valid_from):
        raise TaxRateError(_l("This country already has a rate from that day."))
    rate = TaxRate(country=country, rate_percent=rate_percent, valid_from=valid_from)
    try:
        with db.session.begin_nested():  # two staff adding the same row at once: one gets the message
            db.session.add(rate)
    except IntegrityError:
        raise TaxRateError(_l("This country already has a rate from that day.")) from None
    record("tax_rate.create", "tax_rate", rate.id,
           detail={"country": country, "rate_percent": format(rate_percent.normalize(), "f"),
                   "valid_from": valid_from.isoformat()})
    return rate
