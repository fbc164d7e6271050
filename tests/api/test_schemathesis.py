"""The OpenAPI document is the truth: schemathesis runs every documented operation against the app in-process.

It fails on any 5xx, any response that does not match its schema (closed objects: an extra field fails
too), any wrong content type or missing documented header, and any status code the document does not list.
The run is reproducible (a fixed seed, no example database) and bounded (MAX_EXAMPLES per operation and
generation mode: input the document allows, then input it forbids, whose answers must be documented too).
Authenticated operations get the token of one person who holds every scope: association staff who also
owns a training provider, has enrolments and a certificate. The world is committed to the test's
outer transaction (rolled back at the end), so every request, each in an app context of its own, sees it.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
import schemathesis
from hypothesis import HealthCheck, given, seed, settings
from markupsafe import escape
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app.api.openapi import document
from app.certifications import services as certificates
from app.enrolment.services import enrol, record_outcome
from app.platform.extensions import db
from tests.api.helpers import bearer, make_token
from tests.factories import finish_session, make_course, make_provider, make_session, make_user, now

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance]
SEED = 20261126
MAX_EXAMPLES = 40
# Reproducible and bounded: the seed (applied with @seed) and no example database; no deadline (the first
# request of a test is slower). About a minute for the whole run on two cores, on SQLite and PostgreSQL.
SETTINGS = settings(max_examples=MAX_EXAMPLES, database=None, deadline=None, derandomize=False,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                           HealthCheck.function_scoped_fixture])


def build_world() -> dict:
    """A provider with courses and sessions, a person with every role and scope, another learner, an
    exchange. Committed (a SAVEPOINT release inside the test's transaction)."""
    from tests.exchanges.helpers import make_exchange

    org = make_provider(name_en="Kobe Battery Recycling Institute", name_ja="神戸電池リサイクル研究所",
                        country="JP", city="Kobe")
    other_org = make_provider(country="FR", city="Grenoble")
    everyone = make_user("owner", organisation=org, is_staff=True)
    learner = make_user()
    recycling = make_course(org, title_en="Black mass recovery", title_ja="ブラックマス回収実務",
                            summary_ja="使用済み電池のリサイクル工程を学びます。", skills=("recycling",),
                            languages=("ja",), sessions=2)
    english = make_course(other_org, skills=("safety",), languages=("en",), sessions=1)
    draft = make_course(org, status="draft", published_at=None, sessions=1)
    certified = make_course(org, certification="completion", validity_months=24, skills=("recycling",),
                            languages=("ja",), sessions=[make_session(days_ahead=-3, tz="Asia/Tokyo",
                                                                      country="JP", city="Kobe")])
    past = certified.sessions[0]
    completed = enrol(everyone, past, now=now() - timedelta(days=6)).enrolment
    record_outcome(completed, True)
    finish_session(completed.session)
    (certificate,) = certificates.issue([completed], everyone).certificates
    certificates.set_public(certificate, True)
    mine = enrol(everyone, recycling.sessions[0]).enrolment
    theirs = enrol(learner, recycling.sessions[0]).enrolment
    exchange = make_exchange(org, other_org, recorded_for=org)
    token, learner_token = make_token(everyone), make_token(learner)
    db.session.commit()
    return {
        "token": token, "learner_token": learner_token, "org": org.id, "other_org": other_org.id,
        "recycling": recycling.id, "english": english.id, "draft": draft.id, "certified": certified.id,
        "session": recycling.sessions[0].id, "draft_session": draft.sessions[0].id, "past_session": past.id,
        "owner_enrolment": mine.id, "learner_enrolment": theirs.id, "certificate": certificate.public_id,
        "exchange": exchange.id,
    }


@pytest.fixture
def world(db_session) -> dict:
    return build_world()


def documented_operations() -> list:
    """(METHOD, path) of every operation the parts of the document describe (read without an app)."""
    from importlib import import_module

    from app.api.openapi import METHODS, PARTS

    return [pytest.param(method.upper(), path, id=f"{method.upper()} {path}") for name in PARTS
            for path, operations in import_module(f"app.api.spec.{name}").paths().items()
            for method in operations if method in METHODS]


def negatable(operation: dict) -> bool:
    """Whether input that breaks the document exists: a body, or a parameter outside the headers that is
    more than any string (every header value is a string, so those cannot be made wrong)."""
    return "requestBody" in operation or any(
        p["in"] != "header" and p["schema"] != {"type": "string"} for p in operation.get("parameters", []))


@pytest.fixture
def api_schema(app, world):
    """The document as the app serves it; half of the path ids drawn are the world's own."""
    ids = sorted({v for k, v in world.items() if isinstance(v, int)})
    config = schemathesis.Config.from_dict({
        "seed": SEED,
        "dictionaries": {"world_ids": {"values": ids}, "certificates": {"values": [world["certificate"]]}},
        "parameters": {"path.id": {"dictionary": "world_ids", "probability": 0.5},
                       "path.public_id": {"dictionary": "certificates", "probability": 0.5}},
    })
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=config)


@pytest.mark.parametrize(("method", "path"), documented_operations())
def test_every_operation_answers_as_documented(app, world, api_schema, method, path):
    operation = api_schema[path][method]
    headers = bearer(world["token"]) if operation.definition.raw.get("security") else None

    def exchange(case):
        # A request of its own (a fresh `g`, locale and database session), as each one is in production.
        with app.app_context():
            case.call_and_validate(headers=headers, checks=CHECKS)

    modes = [GenerationMode.POSITIVE] + [GenerationMode.NEGATIVE] * negatable(operation.definition.raw)
    for mode in modes:
        run = given(case=operation.as_strategy(generation_mode=mode))(exchange)
        seed(SEED)(settings(SETTINGS)(run))()


# ---------------------------------------------------------------------------------------------
# The document itself
# ---------------------------------------------------------------------------------------------

def test_the_document_is_valid_openapi_3_1(app):
    from jsonschema import Draft202012Validator

    with app.app_context():
        raw = document()
    loaded = schemathesis.openapi.from_dict(raw)
    loaded.validate()  # against the OpenAPI 3.1 meta-schema schemathesis ships
    with pytest.raises(Exception, match="responses"):  # which can fail
        schemathesis.openapi.from_dict({**raw, "paths": {"/x": {"get": {"responses": "none"}}}}).validate()
    operations = [result.ok() for result in loaded.get_all_operations()]  # .ok() raises on a broken one
    assert len(operations) == sum(len(ops) for ops in raw["paths"].values())
    for shape in raw["components"]["schemas"].values():
        Draft202012Validator.check_schema(shape)  # each schema is valid JSON Schema 2020-12


def test_every_api_route_is_documented_and_nothing_else(app):
    from app.api.openapi import BLUEPRINTS, operation_id

    with app.app_context():
        raw = document()
    operations = [op for ops in raw["paths"].values() for op in ops.values()]
    assert all("operationId" in op for op in operations), "a documented path that no route answers"
    documented = {op["operationId"] for op in operations}
    routes = {operation_id(r.endpoint) for r in app.url_map.iter_rules() if r.endpoint.startswith(BLUEPRINTS)}
    assert routes - documented == set(), "routes missing from the OpenAPI document"
    assert {t["name"] for t in raw["tags"]} == {op["tags"][0] for op in operations}


def test_the_json_is_english_and_stable_and_the_page_language_is_not(client):
    english = client.get("/api/v1/openapi.json", headers={"Accept-Language": "ja"})
    assert english.status_code == 200 and english.headers["ETag"]
    assert english.json["paths"]["/api/v1/courses"]["get"]["summary"].startswith("The catalogue")
    again = client.get("/api/v1/openapi.json", headers={"If-None-Match": english.headers["ETag"]})
    assert again.status_code == 304
    with client.application.app_context():
        japanese = document("ja")
    assert japanese["paths"].keys() == english.json["paths"].keys()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_docs_page_shows_every_operation_and_schema(app, client, lang):
    with app.app_context():
        raw = document(lang)
    response = client.get(f"/{lang}/developers/api")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in html and "<script" not in html  # rendered on the server, nothing to run
    for operations in raw["paths"].values():
        for op in operations.values():
            assert f'id="op-{op["operationId"]}"' in html and str(escape(op["summary"])) in html
    for name in raw["components"]["schemas"]:
        assert f'id="schema-{name}"' in html
    assert 'href="/api/v1/openapi.json"' in html and f'href="/{lang}/account/api-tokens/"' in html
    assert f'{app.config["API_TOKEN_RATE_LIMIT"]:,}' in html  # the limits are the configured ones
    assert f'href="/{lang}/developers/api">API</a>' in client.get(f"/{lang}/").get_data(as_text=True)
