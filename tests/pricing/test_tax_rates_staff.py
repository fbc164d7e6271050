"""Association staff keep the tax-rate table: list and add, nobody else; bad input changes nothing."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.platform.extensions import db
from app.pricing.models import TaxRate
from app.pricing.queries import rate_for
from tests.factories import make_provider, make_user, sign_in

URL = "/{}/staff/tax-rates"


def rates() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(TaxRate))


def test_the_checked_rates_are_seeded():
    today = date(2026, 12, 7)
    expected = {"JP": "10", "DE": "19", "FR": "20", "BE": "21", "NL": "21", "SE": "25", "PL": "23",
                "IT": "22", "ES": "21", "FI": "25.5", "CZ": "21", "HU": "27", "PT": "23"}
    assert {c: format(rate_for(c, today).rate_percent.normalize(), "f") for c in expected} == expected
    assert rate_for("FI", date(2024, 8, 31)) is None  # 24 % before then was not checked, so not seeded
    assert rate_for("AT", today) is None and rate_for("IE", today) is None  # not checked: not seeded


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_is_sent_to_sign_in(client, method):
    response = getattr(client, method)(URL.format("en"), data={"country": "AT", "rate": "20", "valid_from": "2026-01-01"})
    assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"]


@pytest.mark.parametrize("role", ["learner", "member", "owner"])
def test_learners_and_providers_may_not_list_or_add(client, role):
    user = make_user(role, organisation=make_provider()) if role != "learner" else make_user()
    sign_in(client, user)
    before = rates()
    assert client.get(URL.format("en")).status_code == 403
    response = client.post(URL.format("en"), data={"country": "AT", "rate": "20", "valid_from": "2026-01-01"})
    assert response.status_code == 403 and rates() == before


@pytest.mark.parametrize("lang, shown", [("en", ["Japan", "10%", "Finland", "25.5%", "1 Sept 2024"]),
                                         ("ja", ["日本", "10%", "フィンランド", "25.5%", "2024年9月1日", "税率"])])
def test_staff_see_the_rates(client, lang, shown):
    sign_in(client, make_user("staff"))
    page = client.get(URL.format(lang)).get_data(as_text=True)
    for text in shown:
        assert text in page, text


def test_staff_add_a_rate_and_it_is_audited(client):
    sign_in(client, make_user("staff"))
    response = client.post(URL.format("en"), data={"country": "AT", "rate": "２０", "valid_from": "2016-01-01"})
    assert response.status_code == 302
    assert rate_for("AT", date(2026, 1, 1)).rate_percent == Decimal("20")
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "tax_rate.create")).one()
    assert entry.detail == {"country": "AT", "rate_percent": "20", "valid_from": "2016-01-01"}


@pytest.mark.parametrize("data, message", [
    ({"country": "JP", "rate": "8", "valid_from": "2019-10-01"}, "already has a rate from that day"),
    ({"country": "AT", "rate": "abc", "valid_from": "2026-01-01"}, "Enter the rate in per cent"),
    ({"country": "AT", "rate": "100.5", "valid_from": "2026-01-01"}, "Enter the rate in per cent"),
    ({"country": "AT", "rate": "-3", "valid_from": "2026-01-01"}, "Enter the rate in per cent"),
    ({"country": "AT", "rate": "20.125", "valid_from": "2026-01-01"}, "Enter the rate in per cent"),
    ({"country": "XX", "rate": "20", "valid_from": "2026-01-01"}, "Choose a country from the list."),
    ({"country": "", "rate": "20", "valid_from": "2026-01-01"}, "Choose a country from the list."),
    ({"country": "AT", "rate": "20", "valid_from": "2026-02-30"}, "Not a valid date value."),
    ({"country": "AT", "rate": "20", "valid_from": "9999-01-01"}, "between the years 2000 and 2100"),
    ({"country": "AT", "rate": "\x00", "valid_from": ""}, ""),
])
def test_bad_input_is_refused_and_changes_nothing(client, data, message):
    sign_in(client, make_user("staff"))
    before = rates()
    response = client.post(URL.format("en"), data=data)
    assert response.status_code == 400 and rates() == before
    assert message in response.get_data(as_text=True)


def test_messages_in_japanese(client):
    sign_in(client, make_user("staff"))
    page = client.post(URL.format("ja"), data={"country": "JP", "rate": "8", "valid_from": "2019-10-01"})
    assert "この国にはその日から適用される税率がすでに登録されています。" in page.get_data(as_text=True)


def test_the_staff_menu_links_to_the_page(client):
    sign_in(client, make_user("staff"))
    assert 'href="/en/staff/tax-rates"' in client.get("/en/staff/").get_data(as_text=True)


def test_list_query_count_does_not_grow(client, count_queries):
    sign_in(client, make_user("staff"))

    def statements() -> int:
        with count_queries() as counter:
            assert client.get(URL.format("en")).status_code == 200
        return counter.count

    small = statements()
    for year in range(2000, 2030):
        db.session.add(TaxRate(country="AT", rate_percent=Decimal("20"), valid_from=date(year, 1, 1)))
    db.session.flush()
    assert statements() == small
