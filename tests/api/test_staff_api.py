"""Association staff's API: exchange records (read, record, decide) and the report figures, with the staff
pages' permissions, forms, services, filters and audit entries."""
from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa
from jsonschema import Draft202012Validator

from app.audit.models import AuditEntry
from app.exchanges.filters import ExchangeFilters
from app.exchanges.models import Exchange
from app.platform.extensions import db
from app.reports import figures
from app.reports.queries import exchanges_by_area
from tests.api.helpers import bearer, make_token
from tests.exchanges.helpers import make_exchange
from tests.factories import make_client, make_provider, make_user, sign_in, skill
from tests.reports.conftest import orgs, training  # noqa: F401  (fixtures: courses, enrolments, certificates)

OPERATIONS = [("GET", "/api/v1/exchanges"), ("GET", "/api/v1/exchanges/{id}"), ("GET", "/api/v1/reports/figures"),
              ("POST", "/api/v1/exchanges"), ("POST", "/api/v1/exchanges/{id}/decision")]


@pytest.fixture
def w(db_session):
    jp = make_provider(name_en=None, name_ja="神戸研究所", country="JP", city="Kobe")
    de = make_provider(name_en="Cellwerk", name_ja="セルヴェルク", country="DE")
    staff = make_user("staff")
    return dict(jp=jp, de=de, staff=staff, token=make_token(staff), member=make_user("member", organisation=jp))


def body(w, **kw):
    data = dict(participant_name_native="山田太郎", participant_name_latin="Yamada Taro", participant_type="learner",
                sending_org_id=w["jp"].id, receiving_org_id=w["de"].id, activity_type="placement",
                cooperation_area="recycling", skill_areas=[skill("recycling").id], starts_on="2026-04-01",
                ends_on="2026-04-30", funding_amount="1200.50", funding_currency="EUR", funding_source="Erasmus+",
                green_travel=True, status="completed", outcome_notes="Black mass sorting.\n二行目")
    data.update(kw)
    return data


def count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Exchange))


def approval_of(exchange_id: int) -> str:
    db.session.expire_all()  # what the requests' own sessions wrote
    return db.session.get(Exchange, exchange_id).approval


def audit() -> list[tuple]:
    return list(db.session.execute(sa.select(AuditEntry.action, AuditEntry.actor_id, AuditEntry.object_id)
                                   .order_by(AuditEntry.id)).tuples())


def test_record_list_and_read(client, w):
    response = client.post("/api/v1/exchanges", json=body(w), headers=bearer(w["token"]))
    assert response.status_code == 201, response.get_json()
    record = response.get_json()
    assert response.headers["Location"].endswith(f"/api/v1/exchanges/{record['id']}")
    assert (record["approval"], record["direction"], record["duration_days"]) == ("approved", "jp_to_eu", 30)
    assert record["funding"] == {"amount": 120050, "currency": "EUR"} and record["green_travel"] is True
    assert record["sending"] == {"organisation": {"id": w["jp"].id, "name": {"en": None, "ja": "神戸研究所"}},
                                 "country": "JP"}
    assert record["receiving"]["organisation"]["name"] == {"en": "Cellwerk", "ja": "セルヴェルク"}
    assert [a["code"] for a in record["skill_areas"]] == ["recycling"] and record["skill_areas"][0]["name"]["ja"]
    assert record["participant"] == {"type": "learner", "account": None, "name_native": "山田太郎",
                                     "name_latin": "Yamada Taro"}
    assert audit() == [("exchange.create", w["staff"].id, str(record["id"]))]  # as the staff page records it
    listed = client.get("/api/v1/exchanges", headers=bearer(w["token"])).get_json()
    assert listed["items"] == [record] and listed["total"] == 1 and listed["page_size"] == 25
    assert listed["approval_counts"] == {"submitted": 0, "approved": 1, "rejected": 0} and listed["ignored"] == []
    one = client.get(f"/api/v1/exchanges/{record['id']}", headers=bearer(w["token"]))
    assert one.get_json() == record
    assert client.get(one.request.path, headers=bearer(w["token"], **{"If-None-Match": one.headers["ETag"]})
                      ).status_code == 304
    assert client.get("/api/v1/exchanges/2147483647", headers=bearer(w["token"])).get_json()["code"] == "not_found"
    past_the_end = client.get("/api/v1/exchanges?page=9", headers=bearer(w["token"])).get_json()
    assert past_the_end["items"] == [] and past_the_end["total"] == 1


def test_reading_a_participant_accounts_record_is_audited(client, w):
    person = make_user(family_name="山田", given_name="花子", family_name_latin="Yamada", given_name_latin="Hanako",
                       name_order="family_first")
    exchange = make_exchange(w["jp"], w["de"], participant_user_id=person.id)
    got = client.get(f"/api/v1/exchanges/{exchange.id}", headers=bearer(w["token"])).get_json()
    assert got["participant"]["account"] == {"id": person.id, "name": {"en": "Yamada Hanako", "ja": "山田花子"}}
    assert ("person.view", w["staff"].id, str(person.id)) in audit()


def _html_ids(client, query: str) -> list[int]:
    page = client.get(f"/en/staff/exchanges?{query}")
    assert page.status_code == 200
    return [int(i) for i in dict.fromkeys(re.findall(r'/en/staff/exchanges/(\d+)"', page.text))]


@pytest.mark.parametrize("query", ["", "page=2", "direction=jp_to_eu&area=recycling", "approval=submitted",
                                   "country=jp&skill=safety", "from=2025-06-01&to=2026-12-31&status=planned",
                                   "activity=study_visit&activity=placement", "direction=nowhere&country=ZZ"])
def test_list_gives_the_html_lists_records(app, client, w, query):
    fr = make_provider(country="FR")
    for i in range(30):
        make_exchange(*[(w["jp"], w["de"]), (w["de"], w["jp"]), (w["de"], fr)][i % 3],
                      skills=("recycling", "safety") if i % 4 else ("recycling",),
                      cooperation_area=["recycling", "data-sharing"][i % 2], status=["completed", "planned"][i % 2],
                      activity_type=["placement", "study_visit", "teaching"][i % 3],
                      starts_on=date(2025 + i % 2, 1 + i % 12, 1), ends_on=date(2025 + i % 2, 1 + i % 12, 5),
                      approved_by=w["staff"] if i % 5 else None)
    got = client.get(f"/api/v1/exchanges?{query}", headers=bearer(w["token"])).get_json()
    html = make_client(app)
    sign_in(html, w["staff"])
    assert [x["id"] for x in got["items"]] == _html_ids(html, query)
    assert got["total"] == sum(got["approval_counts"].values())
    if "nowhere" in query:
        assert got["ignored"] == ["direction", "country"]


def test_who_may_use_them(client, w):
    exchange = make_exchange(w["jp"], w["de"], recorded_for=w["jp"])
    for method, path in ((m, p.format(id=exchange.id)) for m, p in OPERATIONS):
        response = client.open(path, method=method, json={})
        assert response.status_code == 401 and response.get_json()["code"] == "token_required", path
        sign_in(client, w["staff"])  # a staff cookie counts for nothing here
        assert client.open(path, method=method, json={}).status_code == 401, path
        for user in (make_user(), w["member"], make_user("owner", organisation=w["jp"])):
            response = client.open(path, method=method, json={}, headers=bearer(make_token(user)))
            assert response.status_code == 403 and response.get_json()["code"] == "insufficient_scope", path
    assert count() == 1 and approval_of(exchange.id) == "submitted"


def test_a_token_stops_when_its_owner_is_no_longer_staff(client, w):
    exchange = make_exchange(w["jp"], w["de"])
    w["staff"].is_staff = False
    db.session.flush()
    for method, path in ((m, p.format(id=exchange.id)) for m, p in OPERATIONS):
        response = client.open(path, method=method, json=body(w), headers=bearer(w["token"]))
        assert response.status_code == 403 and response.get_json()["code"] == "insufficient_scope", path
    assert count() == 1 and approval_of(exchange.id) == "submitted"


def test_a_read_only_token_cannot_write(client, w):
    exchange = make_exchange(w["jp"], w["de"])
    token = make_token(w["staff"], scopes=["exchanges:read", "reports:read"])
    assert client.get("/api/v1/exchanges", headers=bearer(token)).status_code == 200
    assert client.get("/api/v1/reports/figures", headers=bearer(token)).status_code == 200
    for path, data in (("/api/v1/exchanges", body(w)), (f"/api/v1/exchanges/{exchange.id}/decision",
                                                        {"decision": "approve"})):
        response = client.post(path, json=data, headers=bearer(token))
        assert response.status_code == 403 and "exchanges:write" in response.get_json()["detail"]
    assert count() == 1 and approval_of(exchange.id) == "submitted"
    assert client.get("/api/v1/exchanges", headers=bearer(make_token(make_user("admin")))).status_code == 200


@pytest.mark.parametrize("send, status, code", [
    (dict(data="participant_type=learner", content_type="application/x-www-form-urlencoded"), 415,
     "unsupported_media_type"),
    (dict(data="{not json", content_type="application/json"), 400, "bad_json"), (dict(json=["a"]), 400, "bad_json"),
])
def test_bodies_that_are_not_a_json_object(client, w, send, status, code):
    exchange = make_exchange(w["jp"], w["de"])
    for path in ("/api/v1/exchanges", f"/api/v1/exchanges/{exchange.id}/decision"):
        response = client.post(path, headers=bearer(w["token"]), **send)
        assert response.status_code == status and response.get_json()["code"] == code
    assert count() == 1 and audit() == []


@pytest.mark.parametrize("changes, field", [
    ({"ends_on": "2026-03-01"}, "ends_on"), ({"sending_org_id": 0}, "sending_org_id"),
    ({"participant_name_native": None, "participant_name_latin": None}, "participant_email"),
    ({"participant_email": "nobody@example.com"}, "participant_email"), ({"activity_type": "holiday"}, "activity_type"),
    ({"funding_currency": None}, "funding_amount"), ({"course": "No such course"}, "course"),
    ({"certifications": ["unknown-id"]}, "certifications"), ({"skill_areas": ["x"]}, "skill_areas"),
    ({"starts_on": 20260401}, "starts_on"), ({"approval": "approved"}, "approval"),
])
def test_refused_input_names_the_field_in_japanese_and_changes_nothing(client, w, changes, field):
    response = client.post("/api/v1/exchanges", json=body(w, **changes),
                           headers=bearer(w["token"], **{"Accept-Language": "ja"}))
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["code"] == "invalid" and field in problem["errors"], problem
    if field != "approval":  # "Unknown field." is the lead's to translate
        assert not "".join(problem["errors"][field]).isascii(), problem["errors"]
    assert count() == 0 and audit() == []


def test_decisions_follow_the_staff_pages_rules(client, w):
    exchange = make_exchange(w["jp"], w["de"], recorded_for=w["jp"])
    path, headers = f"/api/v1/exchanges/{exchange.id}/decision", bearer(w["token"], **{"Accept-Language": "ja"})
    for data, field in (({"decision": "reject", "reason": " "}, "reason"), ({"decision": "maybe"}, "decision"),
                        ({}, "decision"), ({"decision": "approve", "note": "x"}, "note")):
        response = client.post(path, json=data, headers=headers)
        assert response.status_code == 422 and field in response.get_json()["errors"], data
    assert audit() == [] and approval_of(exchange.id) == "submitted"
    response = client.post(path, json={"decision": "reject", "reason": "Dates look wrong"}, headers=headers)
    assert response.status_code == 200
    assert (response.get_json()["approval"], response.get_json()["rejection_reason"]) == ("rejected",
                                                                                          "Dates look wrong")
    again = client.post(path, json={"decision": "reject", "reason": "Still wrong"}, headers=headers)
    assert again.status_code == 409 and again.get_json()["code"] == "conflict" and not again.get_json()[
        "detail"].isascii()
    approved = client.post(path, json={"decision": "approve"}, headers=headers).get_json()
    assert approved["approval"] == "approved" and approved["rejection_reason"] is None
    assert client.post(path, json={"decision": "approve"}, headers=headers).status_code == 409
    assert [a[:2] for a in audit()] == [("exchange.reject", w["staff"].id), ("exchange.approve", w["staff"].id)]
    assert client.post("/api/v1/exchanges/2147483647/decision", json={"decision": "approve"},
                       headers=headers).status_code == 404


def test_list_query_count_is_constant(client, w, count_queries):
    def add(n: int) -> None:
        for i in range(n):
            make_exchange(w["jp"], w["de"], recorded_for=w["jp"], skills=("recycling", "safety"),
                          participant_user_id=make_user().id if i % 2 else None)

    def run() -> int:
        with count_queries() as counter:
            assert client.get("/api/v1/exchanges?skill=recycling", headers=bearer(w["token"])).status_code == 200
        return counter.count

    add(2)
    run()  # the token's first use records when it was used
    few = run()
    add(18)
    assert run() == few


def test_report_figures_are_the_pages_in_both_languages(app, client, w, monkeypatch):
    monkeypatch.setitem(app.config, "REPORTS_CACHE_SECONDS", 0)
    make_exchange(w["jp"], w["de"], approved_by=w["staff"])
    make_exchange(w["de"], w["jp"], cooperation_area="data-sharing", approved_by=w["staff"],
                  starts_on=date(2026, 7, 1), ends_on=date(2026, 7, 2))
    make_exchange(w["jp"], w["de"])  # awaiting approval: not counted
    got = client.get("/api/v1/reports/figures?period=quarter", headers=bearer(w["token"])).get_json()
    assert set(got["figures"]) == set(figures.FIGURES) and got["period"] == "quarter" and got["ignored"] == []
    assert got["figures"]["areas"]["title"]["ja"] and got["figures"]["areas"]["title"]["en"]
    expected = exchanges_by_area(ExchangeFilters())  # what the reports page tabulates
    assert [[r["key"], r["exchanges"], r["participant_days"]] for r in got["figures"]["areas"]["rows"]] == expected
    period = got["figures"]["period"]["rows"]
    assert [(r["year"], r["quarter"], r["direction"], r["exchanges"]) for r in period] == [
        (2026, 2, "jp_to_eu", 1), (2026, 3, "eu_to_jp", 1)]
    assert period[0]["direction_name"]["ja"] and period[0]["direction_name"]["en"] == "Japan → EU"
    pair = next(r for r in got["figures"]["countries"]["rows"] if r["sending_country"] == "JP")
    assert pair["sending_name"] == {"en": "Japan", "ja": "日本"} and pair["receiving_name"]["ja"] == "ドイツ"
    narrowed = client.get("/api/v1/reports/figures?area=data-sharing&period=month&direction=up",
                          headers=bearer(w["token"])).get_json()
    assert narrowed["period"] == "year" and narrowed["ignored"] == ["direction", "period"]
    assert [r["key"] for r in narrowed["figures"]["areas"]["rows"]] == ["data-sharing"]


def test_report_figures_use_the_pages_cache(app, client, w, monkeypatch):
    store: dict = {}  # stands in for app.platform.cache, as in tests/reports/test_pages.py
    monkeypatch.setattr(figures.cache, "get_json", store.get)
    monkeypatch.setattr(figures.cache, "set_json", lambda key, value, seconds: store.__setitem__(key, value))
    monkeypatch.setitem(app.config, "REPORTS_CACHE_SECONDS", 60)
    make_exchange(w["jp"], w["de"], approved_by=w["staff"])
    first = client.get("/api/v1/reports/figures", headers=bearer(w["token"]))
    second = client.get("/api/v1/reports/figures", headers=bearer(w["token"],
                                                                  **{"If-None-Match": first.headers["ETag"]}))
    assert second.status_code == 304 and len(store) == 1


def _documented(client, path: str, method: str, response) -> None:
    """The body matches the schema the OpenAPI document gives for this status."""
    document = client.get("/api/v1/openapi.json").get_json()
    answer = document["paths"][path][method]["responses"][str(response.status_code)]
    (media, content), = answer["content"].items()
    assert response.mimetype == media
    # The document as the root, so that "#/components/schemas/..." resolves.
    Draft202012Validator({**document, **content["schema"]}).validate(response.get_json())


def test_every_answer_is_as_documented(client, w, training):
    person = make_user()
    exchange = make_exchange(w["jp"], w["de"], participant_user_id=person.id, funding_amount=150000,
                             funding_currency="JPY", course_id=training[0].id)
    headers, learner = bearer(w["token"]), bearer(make_token(make_user()))
    x, one, decide = "/api/v1/exchanges", "/api/v1/exchanges/{id}", "/api/v1/exchanges/{id}/decision"
    here, approve = f"/api/v1/exchanges/{exchange.id}", {"decision": "approve"}
    calls = [
        (x, "get", client.get(f"{x}?direction=x", headers=headers)), (x, "get", client.get(x)),
        (x, "get", client.get(f"{x}?page=x", headers=headers)), (one, "get", client.get(here, headers=headers)),
        (one, "get", client.get(f"{x}/99999", headers=headers)),
        (x, "post", client.post(x, json=body(w, certifications=[]), headers=headers)),
        (x, "post", client.post(x, json={}, headers=headers)), (x, "post", client.post(x, data="x", headers=headers)),
        (decide, "post", client.post(f"{here}/decision", json=approve, headers=headers)),
        (decide, "post", client.post(f"{here}/decision", json=approve, headers=headers)),
        (decide, "post", client.post(f"{here}/decision", json=approve, headers=learner)),
        ("/api/v1/reports/figures", "get", client.get("/api/v1/reports/figures?period=quarter", headers=headers)),
    ]
    assert [c[2].status_code for c in calls] == [200, 401, 400, 200, 404, 201, 422, 415, 200, 409, 403, 200]
    assert calls[2][2].get_json()["code"] == "bad_page"
    for path, method, response in calls:
        _documented(client, path, method, response)
    got = calls[-1][2].get_json()["figures"]
    assert got["enrolments-courses"]["rows"] and got["certificates-skills"]["rows"]
    assert got["learners-countries"]["rows"] and got["learners-regions"]["rows"][0]["name"]["ja"]


@pytest.mark.parametrize("field, value", [("participant_email", "a\x00@example.com"),
                                          ("certifications", ["\x00"]), ("course", "\x00")])
def test_a_nul_is_refused_before_any_lookup(client, field, value):
    """PostgreSQL cannot even compare a text with a NUL: the form refuses it before querying."""
    staff = make_user("staff")
    before = db.session.query(Exchange).count()
    response = client.post("/api/v1/exchanges", json={field: value},
                           headers=bearer(make_token(staff), **{"Accept-Language": "ja"}))
    assert response.status_code == 422 and field in response.get_json()["errors"]
    assert db.session.query(Exchange).count() == before
