"""The exchange pages: recording (staff and providers), approving, rejecting, lists and filters."""
from __future__ import annotations

from urllib.parse import urlencode

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.audit.models import AuditEntry
from app.exchanges.models import Exchange
from app.platform.extensions import db
from tests.exchanges.helpers import make_exchange
from tests.factories import make_provider, make_user, sign_in, skill


@pytest.fixture
def world(db_session):
    jp = make_provider(name_en="Kobe Institute", name_ja="神戸研究所", country="JP", city="Kobe")
    de = make_provider(name_en="Cellwerk", country="DE")
    other = make_provider(name_en="Other Provider", country="FR")
    return dict(jp=jp, de=de, other=other, staff=make_user("staff"), member=make_user("member", organisation=jp),
                outsider=make_user("member", organisation=other), learner=make_user())


def form(w, **kw):
    data = dict(participant_name_native="山田太郎", participant_name_latin="Yamada Taro", participant_type="learner",
                sending_org_id=str(w["jp"].id), receiving_org_id=str(w["de"].id), activity_type="placement",
                cooperation_area="recycling", skill_areas=[str(skill("recycling").id)], starts_on="2026-04-01",
                ends_on="2026-04-30", funding_amount="1200.50", funding_currency="EUR", funding_source="Erasmus+",
                green_travel="y", status="completed", outcome_notes="Learned black mass sorting.\n二行目")
    data.update(kw)
    return {k: v for k, v in data.items() if v is not None}


def count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Exchange))


def actions(object_id) -> list[str]:
    return list(db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.object_id == str(object_id))
                                   .order_by(AuditEntry.id)))


def test_staff_record_is_approved_at_once_with_derived_fields(client, world):
    sign_in(client, world["staff"])
    response = client.post("/en/staff/exchanges/new", data=form(world))
    assert response.status_code == 302, response.text
    exchange = db.session.scalars(sa.select(Exchange)).one()
    assert (exchange.direction, exchange.duration_days, exchange.approval) == ("jp_to_eu", 30, "approved")
    assert (exchange.funding_amount, exchange.funding_currency, exchange.green_travel) == (120050, "EUR", True)
    assert (exchange.sending_country, exchange.receiving_country, exchange.recorded_for_org_id) == ("JP", "DE", None)
    assert [a.code for a in exchange.skill_areas] == ["recycling"]
    assert actions(exchange.id) == ["exchange.create"]
    page = client.get(response.headers["Location"]).text
    assert "Japan → EU" in page and "30 days" in page and "€1,200.50" in page and "山田太郎" in page


def test_country_can_differ_from_the_organisation_and_yen_are_whole(client, world):
    sign_in(client, world["staff"])
    data = form(world, receiving_country="JP", funding_amount="１５００００", funding_currency="JPY")
    assert client.post("/en/staff/exchanges/new", data=data).status_code == 302
    exchange = db.session.scalars(sa.select(Exchange)).one()
    assert (exchange.receiving_country, exchange.direction, exchange.funding_amount) == ("JP", "within_jp", 150000)


def test_provider_submits_staff_rejects_provider_corrects_staff_approves(client, world):
    sign_in(client, world["member"])
    response = client.post("/en/provider/exchanges/new", data=form(world))
    assert response.status_code == 302
    exchange = db.session.scalars(sa.select(Exchange)).one()
    assert (exchange.approval, exchange.recorded_for_org_id) == ("submitted", world["jp"].id)
    sign_in(client, world["staff"])
    assert client.post(f"/en/staff/exchanges/{exchange.id}/reject", data={"reason": " "}).status_code == 400
    assert client.post(f"/en/staff/exchanges/{exchange.id}/reject", data={"reason": "Dates look wrong"}).status_code == 302
    sign_in(client, world["member"])
    page = client.get(f"/ja/provider/exchanges/{exchange.id}").text
    assert "Dates look wrong" in page
    assert client.post(f"/en/provider/exchanges/{exchange.id}/edit", data=form(world, ends_on="2026-04-10")).status_code == 302
    db.session.expire_all()
    assert (exchange.approval, exchange.duration_days) == ("submitted", 10)
    sign_in(client, world["staff"])
    assert client.post(f"/en/staff/exchanges/{exchange.id}/approve").status_code == 302
    db.session.expire_all()
    assert exchange.approval == "approved"
    assert actions(exchange.id) == ["exchange.create", "exchange.reject", "exchange.update", "exchange.approve"]
    sign_in(client, world["member"])
    assert client.get(f"/en/provider/exchanges/{exchange.id}/edit").status_code == 403  # approved: staff change it


def test_provider_must_be_sending_or_receiving(client, world):
    sign_in(client, world["member"])
    response = client.post("/en/provider/exchanges/new", data=form(world, sending_org_id=str(world["other"].id)))
    assert response.status_code == 400 and "must be the sending or the receiving" in response.text
    assert count() == 0


def test_permissions(client, world):
    mine = make_exchange(world["jp"], world["de"], recorded_for=world["jp"])
    theirs = make_exchange(world["other"], world["de"], recorded_for=world["other"])
    staff_pages = ["/en/staff/exchanges", "/en/staff/exchanges/new", f"/en/staff/exchanges/{mine.id}",
                   f"/en/staff/exchanges/{mine.id}/edit", "/en/staff/organisations", "/en/staff/organisations/new"]
    for url in staff_pages + ["/en/provider/exchanges", f"/en/provider/exchanges/{mine.id}"]:
        response = client.get(url)
        assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"], url
    sign_in(client, world["learner"])
    for url in staff_pages + ["/en/provider/exchanges"]:
        assert client.get(url).status_code == 403, url
    assert client.get(f"/en/provider/exchanges/{mine.id}").status_code == 404
    assert client.post(f"/en/staff/exchanges/{mine.id}/approve").status_code == 403
    sign_in(client, world["outsider"])
    assert client.get(f"/en/provider/exchanges/{mine.id}").status_code == 404
    assert client.get(f"/en/provider/exchanges/{mine.id}/edit").status_code == 404
    assert client.get(f"/en/provider/exchanges/{theirs.id}").status_code == 200
    listing = client.get("/en/provider/exchanges").text
    assert f"/provider/exchanges/{theirs.id}" in listing and f"/provider/exchanges/{mine.id}\"" not in listing
    sign_in(client, world["staff"])
    for url in staff_pages:
        assert client.get(url).status_code == 200, url
    assert client.get("/en/staff/exchanges/999999").status_code == 404


def test_staff_view_of_a_participant_account_is_audited(client, world):
    person = make_user(email="taro@example.jp")
    exchange = make_exchange(world["jp"], world["de"], participant_user_id=person.id)
    sign_in(client, world["staff"])
    assert client.get(f"/en/staff/exchanges/{exchange.id}").status_code == 200
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "person.view")).one()
    assert entry.object_id == str(person.id)


def test_participant_by_email_and_certificates_must_be_theirs(client, world):
    person = make_user("member", organisation=world["jp"], email="taro@example.jp")  # known to the provider
    sign_in(client, world["staff"])
    response = client.post("/en/staff/exchanges/new", data=form(world, participant_email="taro@example"))
    assert response.status_code == 400 and "taro@example.jp" in response.text  # staff get suggestions
    sign_in(client, world["member"])
    response = client.post("/en/provider/exchanges/new", data=form(world, participant_email="taro@example"))
    assert response.status_code == 400 and "taro@example.jp" not in response.text  # providers do not
    response = client.post("/en/provider/exchanges/new", data=form(world, participant_email="unknown-cert",
                                                                   certifications="NOPE-123"))
    assert response.status_code == 400 and count() == 0
    response = client.post("/en/provider/exchanges/new", data=form(world, participant_email="ＴＡＲＯ@example.jp",
                                                                   participant_name_native=None))
    assert response.status_code == 302
    assert db.session.scalars(sa.select(Exchange)).one().participant_user_id == person.id


@pytest.mark.parametrize(("changes", "message"), [
    ({"participant_name_native": "x" * 201}, "200"),
    ({"outcome_notes": "bad\x00text"}, "cannot be used"),
    ({"sending_country": "XX"}, "Choose a country"),
    ({"ends_on": "2026-03-01"}, "end date is before the start date"),
    ({"funding_amount": "-5"}, "cannot be negative"),
    ({"funding_currency": "USD"}, "Choose euro"),
    ({"funding_amount": "12.345"}, "two decimals"),
    ({"starts_on": "99999-01-01"}, "date"),
    ({"sending_org_id": "999999"}, "Not a valid choice"),
    ({"participant_name_native": None, "participant_name_latin": None}, "Name the participant"),
    ({"course": "No such course"}, "No published course"),
    ({"activity_type": "holiday"}, "Not a valid choice"),
])
def test_bad_input_is_refused_and_nothing_saved(client, world, changes, message):
    sign_in(client, world["staff"])
    response = client.post("/en/staff/exchanges/new", data=form(world, **changes))
    assert response.status_code == 400
    assert message in response.text
    assert count() == 0


def test_japanese_messages(client, world):
    sign_in(client, world["staff"])
    response = client.post("/ja/staff/exchanges/new", data=form(world, ends_on="2026-03-01"))
    assert response.status_code == 400 and count() == 0


def test_list_filters_counts_and_shareable_urls(client, world):
    a = make_exchange(world["jp"], world["de"], approved_by=world["staff"])
    b = make_exchange(world["de"], world["jp"], cooperation_area="data-sharing")
    sign_in(client, world["staff"])
    page = client.get("/en/staff/exchanges?direction=jp_to_eu&area=recycling&from=2026-01-01").text
    assert f"/staff/exchanges/{a.id}\"" in page and f"/staff/exchanges/{b.id}\"" not in page
    assert "1 exchange" in page
    page = client.get("/en/staff/exchanges?direction=nowhere&country=ZZ&page=1").text
    assert "ignored" in page and "2 exchanges" in page
    assert client.get("/en/staff/exchanges?page=99").status_code == 404


def _statements(client, count_queries, url):
    assert client.get(url).status_code == 200
    with count_queries() as counter:
        assert client.get(url).status_code == 200
    return counter.count


def test_query_count_is_constant(client, world, count_queries):
    def add(n):
        for i in range(n):
            make_exchange(world["jp"], world["de"], recorded_for=world["jp"], skills=("recycling", "safety"),
                          participant_user_id=make_user().id if i % 2 else None)
    add(3)
    sign_in(client, world["staff"])
    urls = ["/en/staff/exchanges", "/en/staff/exchanges?skill=recycling&country=JP"]
    small = [_statements(client, count_queries, u) for u in urls]
    sign_in(client, world["member"])
    small.append(_statements(client, count_queries, "/en/provider/exchanges"))
    add(27)
    sign_in(client, world["staff"])
    large = [_statements(client, count_queries, u) for u in urls]
    sign_in(client, world["member"])
    large.append(_statements(client, count_queries, "/en/provider/exchanges"))
    assert large == small, (small, large)


FILTER_NAMES = ["from", "to", "direction", "approval", "status", "area", "skill", "country", "org", "activity",
                "page", "unknown"]
VALUE = st.one_of(st.text(max_size=30), st.sampled_from(["jp_to_eu", "recycling", "JP", "2026-01-01", "1", "0",
                                                          "-1", "9" * 30, "2026-02-30", "\x00", "%00"]))


def test_any_query_string_answers_without_error(client, world):
    make_exchange(world["jp"], world["de"])
    sign_in(client, world["staff"])

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(pairs=st.lists(st.tuples(st.sampled_from(FILTER_NAMES), VALUE), max_size=8))
    def run(pairs):
        response = client.get("/en/staff/exchanges?" + urlencode(pairs))
        assert response.status_code in (200, 404), (pairs, response.status_code)
        if response.status_code == 404:
            assert any(k == "page" for k, _ in pairs)

    run()


def test_staff_edit_prefills_and_audits_the_change(client, world):
    exchange = make_exchange(world["jp"], world["de"], approved_by=world["staff"], funding_amount=120050,
                             funding_currency="EUR")
    sign_in(client, world["staff"])
    page = client.get(f"/en/staff/exchanges/{exchange.id}/edit").text
    assert 'value="1200.50"' in page and "山田太郎" in page
    data = form(world, receiving_org_id=str(world["other"].id), funding_amount="1200.50")
    assert client.post(f"/en/staff/exchanges/{exchange.id}/edit", data=data).status_code == 302
    db.session.expire_all()
    assert (exchange.receiving_country, exchange.direction, exchange.approval) == ("FR", "jp_to_eu", "approved")
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "exchange.update")).one()
    assert entry.detail["changed"]["receiving_org_id"] == [world["de"].id, world["other"].id]
