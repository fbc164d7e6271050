"""Net and gross amounts: exact Decimal rounding to the currency's smallest unit."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.pricing.money import gross_from_net, net_from_gross, split

RATES = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)
CURRENCY = st.sampled_from(["EUR", "JPY"])
MINOR = st.integers(min_value=1, max_value=10**12)


@pytest.mark.parametrize("net, rate, currency, gross", [
    ("1200.00", "19", "EUR", "1428.00"),
    ("200000", "10", "JPY", "220000"),
    ("99.99", "25.5", "EUR", "125.49"),  # 125.487 45 rounds half up
    ("1", "10", "JPY", "1"),  # 1.1 yen rounds to 1
    ("5", "10", "JPY", "6"),  # 5.5 yen rounds half up, not to even
])
def test_gross_from_net_examples(net, rate, currency, gross):
    assert gross_from_net(Decimal(net), Decimal(rate), currency) == Decimal(gross)


@pytest.mark.parametrize("gross, rate, currency, net", [
    ("1428.00", "19", "EUR", "1200.00"),
    ("150000", "10", "JPY", "136364"),
    ("1200.00", "21", "EUR", "991.74"),
])
def test_net_from_gross_examples(gross, rate, currency, net):
    assert net_from_gross(Decimal(gross), Decimal(rate), currency) == Decimal(net)


def test_results_have_the_currency_digits():
    assert gross_from_net(Decimal("10"), Decimal("19"), "EUR").as_tuple().exponent == -2
    assert net_from_gross(Decimal("1000"), Decimal("10"), "JPY").as_tuple().exponent == 0


@pytest.mark.parametrize("rate", ["-1", "100.01", "NaN", "Infinity"])
def test_rates_out_of_range_are_refused(rate):
    with pytest.raises(ValueError):
        gross_from_net(Decimal("10"), Decimal(rate), "EUR")


def test_unknown_currency_is_refused():
    with pytest.raises(ValueError):
        gross_from_net(Decimal("10"), Decimal("10"), "USD")


@given(MINOR, RATES, CURRENCY)
def test_a_net_price_comes_back_from_its_gross(minor, rate, currency):
    parts = split(minor, currency, rate, includes_tax=False)
    assert parts.net == minor
    assert split(parts.gross, currency, rate, includes_tax=True).net == minor


@given(MINOR, RATES, CURRENCY, st.booleans())
def test_gross_is_never_below_net_and_tax_is_at_most_the_rate(minor, rate, currency, includes):
    parts = split(minor, currency, rate, includes)
    assert parts.gross >= parts.net >= 0
    # The tax differs from the exact rate by at most one smallest unit of rounding.
    assert abs(Decimal(parts.gross - parts.net) - Decimal(parts.net) * rate / 100) <= 1 + rate / 100


@given(MINOR, CURRENCY, st.booleans())
def test_a_zero_rate_changes_nothing(minor, currency, includes):
    parts = split(minor, currency, Decimal(0), includes)
    assert parts.gross == parts.net == minor


@given(MINOR, CURRENCY, st.booleans())
def test_without_a_rate_only_the_stated_side_is_known(minor, currency, includes):
    parts = split(minor, currency, None, includes)
    assert (parts.gross, parts.net) == ((minor, None) if includes else (None, minor))
