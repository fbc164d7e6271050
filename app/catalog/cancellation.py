"""A course's cancellation rule: free until N days before the session starts, then X % of the price.

`cancellation_fee` is pure (no request, no database): billing applies it later to a cancellation's time.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext as _

from app.i18n.filters import current_lang, field_text
from app.i18n.formatting import format_clock, format_day, format_money, in_zone

MAX_FREE_DAYS = 365


@dataclass(frozen=True)
class CancellationRule:
    free_days: int  # free until this many days (of 24 hours) before the start
    fee_percent: int  # then this share of the price, 0-100

    def free_until(self, starts_at: datetime) -> datetime:
        return starts_at - timedelta(days=self.free_days)


def rule_of(course) -> CancellationRule | None:
    """The course's rule, or None when the provider stated none (both numbers are needed)."""
    if course.cancel_free_days is None or course.cancel_fee_percent is None:
        return None
    return CancellationRule(course.cancel_free_days, course.cancel_fee_percent)


def cancellation_fee(rule: CancellationRule | None, price_amount: int | None, starts_at: datetime,
                     cancelled_at: datetime) -> int:
    """The fee, in the price's smallest unit (cents, yen), for cancelling at `cancelled_at` a seat in a
    session starting at `starts_at`. Free courses, no rule, or cancelling by the free-until moment: 0.
    Otherwise the percentage of the price, rounded half up to the smallest unit."""
    if rule is None or not price_amount or cancelled_at <= rule.free_until(starts_at):
        return 0
    percent = min(max(rule.fee_percent, 0), 100)
    fee = (Decimal(price_amount) * percent / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(fee)


def rule_text(rule: CancellationRule) -> str:
    if rule.free_days == 0:
        return _("Free cancellation until the start; after that, a fee of %(percent)s%% of the price.",
                 percent=rule.fee_percent)
    return _("Free cancellation until %(days)s days before the start; after that, a fee of %(percent)s%% of "
             "the price.", days=rule.free_days, percent=rule.fee_percent)


def cancellation_lines(course, session, now: datetime) -> list[str]:
    """What the terms say and, when there is a price and a rule, what cancelling costs at `now`."""
    lines = []
    if course.cancellation_terms_en or course.cancellation_terms_ja:
        lines.append(_("The provider's cancellation terms: %(terms)s",
                       terms=field_text(course, "cancellation_terms")))
    rule = rule_of(course)
    if rule is None or course.is_free:
        return lines
    lines.append(rule_text(rule))
    lang = current_lang()
    fee = cancellation_fee(rule, course.price_amount, session.starts_at, now)
    if fee:
        lines.append(_("Cancelling now costs %(fee)s under these terms.",
                       fee=format_money(fee, course.currency, lang, _("Free"))))
    else:
        local = in_zone(rule.free_until(session.starts_at), session.timezone)
        until = f"{format_day(local, lang)} {format_clock(local, lang)}"
        lines.append(_("Cancelling now is free (free until %(day)s).", day=until))
    return lines
