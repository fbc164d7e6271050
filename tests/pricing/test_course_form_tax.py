"""The provider's course form: whether the price includes tax, the rate from the provider's country."""
from __future__ import annotations

import re
from decimal import Decimal

import sqlalchemy as sa

from app.catalog.models import Course
from app.platform.extensions import db
from tests.factories import make_course, make_provider, make_user, sign_in
from tests.workspace.helpers import audit, course_data


def member(client, country: str):
    org = make_provider(country=country)
    sign_in(client, make_user("member", organisation=org))
    return org


def latest(org) -> Course:
    db.session.expire_all()
    return db.session.scalars(sa.select(Course).where(Course.provider_id == org.id).order_by(Course.id.desc())).first()


def test_the_form_offers_the_checkbox_and_names_the_rate(client):
    member(client, "FI")
    page = client.get("/en/provider/courses/new").get_data(as_text=True)
    assert 'name="price_includes_tax"' in page
    assert "Tax rate applied: 25.5% in Finland, in force since 1 Sept 2024." in page
    member(client, "JP")
    page = client.get("/ja/provider/courses/new").get_data(as_text=True)
    assert "適用税率:日本 10%(2019年10月1日以降)" in page and "入力した価格は税込です" in page


def test_a_net_price_takes_the_provider_countrys_rate(client):
    org = member(client, "DE")
    assert client.post("/en/provider/courses/new", data=course_data()).status_code == 302
    course = latest(org)
    assert course.price_amount == 120000 and course.price_includes_tax is False
    assert (course.tax_rate.country, course.tax_rate.rate_percent) == ("DE", Decimal("19"))


def test_a_gross_price_is_stored_as_gross(client):
    org = member(client, "JP")
    data = course_data(price="220000", currency="JPY", price_includes_tax="y")
    assert client.post("/ja/provider/courses/new", data=data).status_code == 302
    course = latest(org)
    assert course.price_includes_tax is True and course.tax_rate.rate_percent == Decimal("10")
    page = client.get(f"/ja/provider/courses/{course.id}/edit").get_data(as_text=True)
    assert re.search(r'<input [^>]*checked id="price_includes_tax"', page)


def test_no_rate_on_record_still_saves_and_says_so(client):
    org = member(client, "AT")
    page = client.get("/en/provider/courses/new").get_data(as_text=True)
    assert "No tax rate is on record for Austria yet" in page
    assert client.post("/en/provider/courses/new", data=course_data()).status_code == 302
    assert latest(org).tax_rate is None


def test_free_courses_carry_no_rate(client):
    org = member(client, "DE")
    client.post("/en/provider/courses/new", data=course_data(is_free="y", price="", currency=""))
    course = latest(org)
    assert course.price_amount is None and course.tax_rate is None


def test_a_change_of_tax_status_is_logged(client):
    org = member(client, "DE")
    course = make_course(org, status="draft", price_amount=120000, currency="EUR", price_includes_tax=True)
    data = course_data(title_en=course.title_en, title_ja=course.title_ja)
    assert client.post(f"/en/provider/courses/{course.id}/edit", data=data).status_code == 302
    changed = audit("course.update")[-1].detail["changed"]
    assert changed["price_includes_tax"] == [True, False]
    assert changed["tax_rate_id"][0] is None and changed["tax_rate_id"][1] is not None
