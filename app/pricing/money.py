"""Net and gross amounts from a tax rate, rounded exactly to the currency's smallest unit.

Pure functions on Decimal: no floats, no database. Half-up rounding is what a reader expects of a shown
total; the computed side is the only one rounded, so a net price always comes back from its own gross.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

# Digits after the decimal point; the site stores prices as integers of the smallest unit.
CURRENCY_DIGITS = {"EUR": 2, "JPY": 0}
HUNDRED = Decimal(100)


def _quantum(currency: str) -> Decimal:
    if currency not in CURRENCY_DIGITS:
        raise ValueError(f"unknown currency {currency!r}")
    return Decimal(1).scaleb(-CURRENCY_DIGITS[currency])


def _factor(rate_percent: Decimal) -> Decimal:
    rate = Decimal(rate_percent)
    if not rate.is_finite() or not 0 <= rate <= HUNDRED:
        raise ValueError(f"tax rate out of range: {rate_percent!r}")
    return 1 + rate / HUNDRED


def gross_from_net(net: Decimal, rate_percent: Decimal, currency: str) -> Decimal:
    """1200.00 EUR at 19 % -> 1428.00; 200000 JPY at 10 % -> 220000."""
    with localcontext(prec=50):
        return (Decimal(net) * _factor(rate_percent)).quantize(_quantum(currency), ROUND_HALF_UP)


def net_from_gross(gross: Decimal, rate_percent: Decimal, currency: str) -> Decimal:
    """1428.00 EUR at 19 % -> 1200.00; 150000 JPY at 10 % -> 136364."""
    with localcontext(prec=50):
        return (Decimal(gross) / _factor(rate_percent)).quantize(_quantum(currency), ROUND_HALF_UP)


def to_major(minor: int, currency: str) -> Decimal:
    return Decimal(minor) * _quantum(currency)


def to_minor(major: Decimal, currency: str) -> int:
    return int(Decimal(major).scaleb(CURRENCY_DIGITS[currency]))


@dataclass(frozen=True)
class Split:
    """Both sides of a price in the smallest unit; net is None when the rate is not known."""

    gross: int | None
    net: int | None


def split(amount: int, currency: str, rate_percent: Decimal | None, includes_tax: bool) -> Split:
    """A stored price (smallest unit) and whether it includes tax -> its gross and net amounts."""
    if rate_percent is None:
        return Split(gross=amount if includes_tax else None, net=None if includes_tax else amount)
    major = to_major(amount, currency)
    if includes_tax:
        return Split(gross=amount, net=to_minor(net_from_gross(major, rate_percent, currency), currency))
    return Split(gross=to_minor(gross_from_net(major, rate_percent, currency), currency), net=amount)
