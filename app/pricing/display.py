"""The one way a price is shown: the tax-inclusive total first (総額表示), the net amount beside it.

`price(course)` in templates; `price_facts(course)` for the API. Any page or mail that shows what a course
costs uses these, so every price says whether tax is included.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from babel import numbers
from flask import Flask
from flask_babel import gettext as _
from markupsafe import Markup, escape

from app.i18n import formatting
from app.i18n.filters import current_lang
from app.pricing.money import split


@dataclass(frozen=True)
class PriceFacts:
    currency: str
    gross: int | None  # smallest unit; None when tax is excluded and the rate is not on record
    net: int | None
    includes_tax: bool
    rate_percent: Decimal | None
    tax_country: str | None


def price_facts(course) -> PriceFacts | None:
    """Both sides of a course's price, or None when it is free."""
    if course.price_amount is None or course.currency is None:
        return None
    rate = course.tax_rate
    currency = str(course.currency)
    parts = split(course.price_amount, currency, rate.rate_percent if rate else None, course.price_includes_tax)
    return PriceFacts(currency=currency, gross=parts.gross, net=parts.net,
                      includes_tax=course.price_includes_tax,
                      rate_percent=rate.rate_percent if rate else None,
                      tax_country=rate.country if rate else None)


def format_rate(rate: Decimal, lang: str) -> str:
    """10% / 25.5%."""
    return numbers.format_percent(rate / 100, "#,##0.##%", locale=formatting.babel_locale(lang))


def _consumption_tax(facts: PriceFacts) -> bool:
    # Japan's consumption tax by the rate's country; without a rate, yen prices are taken as Japanese.
    return facts.tax_country == "JP" if facts.tax_country else facts.currency == "JPY"


def _labels(facts: PriceFacts) -> tuple[str, str, str]:
    """Translated (inclusive, exclusive, net-with-rate) patterns, with named placeholders."""
    if _consumption_tax(facts):
        return (_("%(price)s incl. consumption tax"), _("%(price)s excl. consumption tax"),
                _("%(price)s before %(rate)s consumption tax"))
    return _("%(price)s incl. VAT"), _("%(price)s excl. VAT"), _("%(price)s before %(rate)s VAT")


def _fill(pattern: str, **parts) -> Markup:
    return Markup(escape(pattern)) % parts


def price(course, with_net: bool = True) -> Markup:
    """€1,428.00 incl. VAT, €1,200.00 before 19% VAT / ￥220,000(税込)税抜 ￥200,000・消費税 10%."""
    facts = price_facts(course)
    if facts is None:
        return Markup('<span class="price">{}</span>').format(_("Free"))
    lang = current_lang()
    amount = lambda minor: Markup('<span class="amount">{}</span>').format(  # noqa: E731
        formatting.format_money(minor, facts.currency, lang, ""))
    incl, excl, before = _labels(facts)
    if facts.gross is not None:
        main = _fill(incl, price=amount(facts.gross))
    else:  # tax excluded and no rate on record: the total cannot be stated, so say what the price is
        main = _fill(excl, price=amount(facts.net))
    html = Markup('<span class="price">{}').format(main)
    if with_net and facts.gross is not None and facts.net is not None and facts.rate_percent is not None:
        net = _fill(before, price=amount(facts.net), rate=format_rate(facts.rate_percent, lang))
        html += Markup(' <span class="price-net">{}</span>').format(net)
    return html + Markup("</span>")


def init_app(app: Flask) -> None:
    app.jinja_env.globals["price"] = price
    app.jinja_env.globals["tax_rate_percent"] = lambda rate: format_rate(rate, current_lang())
