"""Every price says whether tax is included: the tax-inclusive total first, the net amount beside it."""
from __future__ import annotations

import re
from datetime import date

import pytest

from app.catalog.services import reindex_courses
from app.platform.extensions import db
from app.pricing.queries import rate_for
from tests.factories import make_course, make_provider, make_user, sign_in


def priced(country: str, amount: int, currency: str, includes_tax: bool, rated: bool = True, **kw):
    provider = make_provider(country=country)
    course = make_course(provider, price_amount=amount, currency=currency, price_includes_tax=includes_tax,
                         tax_rate=rate_for(country, date.today()) if rated else None, **kw)
    return course


def price_text(html: str) -> str:
    """The first price on the page, tags dropped."""
    found = re.search(r'<span class="price">(.*?)</span></dd>', html, re.S).group(1)
    return re.sub(r"<[^>]+>", "", found)


@pytest.mark.parametrize("lang, country, amount, currency, includes, shown", [
    ("ja", "JP", 200000, "JPY", False, "￥220,000(税込) 税抜 ￥200,000・消費税 10%"),
    ("ja", "JP", 220000, "JPY", True, "￥220,000(税込) 税抜 ￥200,000・消費税 10%"),
    ("en", "JP", 150000, "JPY", True, "JP¥150,000 incl. consumption tax JP¥136,364 before 10% consumption tax"),
    ("en", "DE", 120000, "EUR", False, "€1,428.00 incl. VAT €1,200.00 before 19% VAT"),
    ("ja", "DE", 120000, "EUR", False, "€1,428.00(税込) 税抜 €1,200.00・付加価値税 19%"),
    ("en", "FI", 9999, "EUR", False, "€125.49 incl. VAT €99.99 before 25.5% VAT"),
    # No rate on record: the price says which side it is, and no split is invented.
    ("en", "AT", 120000, "EUR", True, "€1,200.00 incl. VAT"),
    ("en", "AT", 120000, "EUR", False, "€1,200.00 excl. VAT"),
    ("ja", "AT", 120000, "EUR", False, "€1,200.00(税抜)"),
])
def test_course_page_shows_the_total_with_tax(client, lang, country, amount, currency, includes, shown):
    course = priced(country, amount, currency, includes)
    html = client.get(f"/{lang}/courses/{course.id}").get_data(as_text=True)
    assert price_text(html) == shown


def test_free_stays_free(client):
    course = make_course(price_amount=None, currency=None)
    assert price_text(client.get(f"/ja/courses/{course.id}").get_data(as_text=True)) == "無料"


def test_catalogue_cards_show_the_total_with_tax(client):
    course = priced("JP", 200000, "JPY", False, title_en="Tax shown card")
    reindex_courses([course.id])
    html = client.get("/ja/courses?q=" + "Tax shown card").get_data(as_text=True)
    assert "<span class=\"amount\">￥220,000</span>(税込)" in html
    assert "税抜" not in html  # the card is short: the total only


def test_staff_review_page_uses_the_same_helper(client):
    course = priced("DE", 120000, "EUR", False, status="pending_review", published_at=None)
    sign_in(client, make_user("staff"))
    html = client.get(f"/en/staff/courses/{course.id}").get_data(as_text=True)
    assert "€1,428.00</span> incl. VAT" in html


def test_api_keeps_its_fields_and_adds_both_sides(client):
    course = priced("JP", 200000, "JPY", False)
    data = client.get(f"/api/v1/courses/{course.id}").get_json()
    assert data["price"] == {"amount": 200000, "currency": "JPY", "includes_tax": False, "tax_rate_percent": "10",
                             "gross_amount": 220000, "net_amount": 200000}
    unrated = priced("CZ", 120000, "EUR", True, rated=False)
    data = client.get(f"/api/v1/courses/{unrated.id}").get_json()
    assert data["price"] == {"amount": 120000, "currency": "EUR", "includes_tax": True, "tax_rate_percent": None,
                             "gross_amount": 120000, "net_amount": None}


def test_catalogue_query_count_with_rates_does_not_grow(client, count_queries):
    def statements() -> int:
        with count_queries() as counter:
            assert client.get("/en/courses").status_code == 200
        return counter.count

    countries = ["JP", "DE", "FR", "FI", "CZ"]
    ids = [priced(countries[i % 5], 1000 + i, "EUR", i % 2 == 0).id for i in range(5)]
    reindex_courses(ids)
    small = statements()
    ids = [priced(countries[i % 5], 2000 + i, "EUR", i % 2 == 0).id for i in range(30)]
    reindex_courses(ids)
    db.session.flush()
    assert statements() == small
