"""Issue 7's "Done when": a client that knows the API only through its OpenAPI document.

The client reads /api/v1/openapi.json, finds each operation by what it takes and returns (the schema of its
answer or of its body), builds URLs from the path templates and only sends query parameters the operation
declares, and checks every answer against the schema the document gives for that status. No URL of the
API is written in this file.
"""
from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from jsonschema import Draft202012Validator

from app.platform.extensions import db
from app.providers.models import Organisation
from tests.api.helpers import bearer, make_token
from tests.api.test_schemathesis import build_world
from tests.factories import make_client, make_user, now

DOCUMENT = "/api/v1/openapi.json"  # the one address a client is given


class DocumentClient:
    def __init__(self, http, token: str | None = None) -> None:
        self.http, self.token = http, token
        answer = http.get(DOCUMENT)
        assert answer.status_code == 200
        self.document = answer.json

    def as_token(self, token: str) -> DocumentClient:
        other = object.__new__(DocumentClient)
        other.http, other.token, other.document = self.http, token, self.document
        return other

    # -- finding operations ------------------------------------------------------------------------
    def operations(self):
        for path, methods in self.document["paths"].items():
            for method, op in methods.items():
                yield method, path, op

    def find(self, method: str, *, returns: str | None = None, takes: str | None = None,
             with_path_parameter: bool | None = None) -> tuple[str, str, dict]:
        """The one operation with `method` whose success answer is schema `returns` (or whose JSON body is
        schema `takes`), with or without a path parameter."""
        def success_schema(op):
            for status in ("200", "201"):
                content = op["responses"].get(status, {}).get("content", {})
                if "application/json" in content:
                    return content["application/json"]["schema"]
            return {}

        found = [(m, p, op) for m, p, op in self.operations() if m == method
                 and (returns is None or success_schema(op).get("$ref", "").endswith(f"/{returns}"))
                 and (takes is None or op.get("requestBody", {}).get("content", {}).get(
                     "application/json", {}).get("schema", {}).get("$ref", "").endswith(f"/{takes}"))
                 and (with_path_parameter is None or ("{" in p) == with_path_parameter)]
        assert len(found) == 1, f"{method} returning {returns} / taking {takes}: {[(m, p) for m, p, _ in found]}"
        return found[0]

    def items_of(self, method: str, schema: str) -> tuple[str, str, dict]:
        """The list operation whose answer is {"items": [schema, ...]} (inline), without path parameter."""
        target = f"#/components/schemas/{schema}"
        found = [(m, p, op) for m, p, op in self.operations() if m == method and "{" not in p
                 and op["responses"]["200"]["content"].get("application/json", {}).get("schema", {}).get(
                     "properties", {}).get("items", {}).get("items", {}).get("$ref") == target]
        assert len(found) == 1, found
        return found[0]

    # -- calling them ------------------------------------------------------------------------------
    def call(self, operation, *, path: dict | None = None, query: dict | None = None, body=None,
             expect: int = 200):
        method, template, op = operation
        declared = {p["name"]: p for p in op.get("parameters", [])}
        url = template
        for name, value in (path or {}).items():
            assert declared[name]["in"] == "path", name
            url = url.replace("{" + name + "}", str(value))
        assert "{" not in url, f"a path parameter of {template} was not given"
        for name in query or {}:
            assert declared.get(name, {}).get("in") == "query", f"{name} is not a query parameter of {template}"
        if query:
            url += "?" + urlencode(query, doseq=True)
        headers = bearer(self.token) if self.token and "security" in op else {}
        answer = self.http.open(url, method=method.upper(), headers=headers,
                                **({"json": body} if body is not None else {}))
        assert answer.status_code == expect, (method, url, answer.status_code, answer.get_data(as_text=True))
        documented = op["responses"].get(str(answer.status_code))
        assert documented is not None, f"{answer.status_code} is not documented for {method} {template}"
        for media, content in documented.get("content", {}).items():
            if answer.mimetype == media:
                self.check(answer.json, content["schema"])
        return answer.json

    def check(self, data, schema: dict) -> None:
        """Validate against a schema of the document, its $refs resolved within the document."""
        Draft202012Validator({**schema, "components": self.document["components"]}).validate(data)


@pytest.fixture
def world(db_session) -> dict:
    return build_world()


@pytest.fixture
def api(app) -> DocumentClient:
    return DocumentClient(make_client(app))


def test_lists_japanese_recycling_courses_reads_one_and_verifies_a_certificate(api, world):
    # The skill area's code, as the document's skill-area list gives it.
    areas = api.call(api.items_of("get", "SkillArea"))["items"]
    recycling = next(a["code"] for a in areas if "Recycling" in a["name"]["en"])
    assert recycling == "recycling"

    listing = api.find("get", returns="CoursePage")
    page = api.call(listing, query={"language": "ja", "skill": [recycling]})
    ids = [course["id"] for course in page["items"]]
    assert {world["recycling"], world["certified"]} <= set(ids)  # the one without upcoming sessions comes last
    assert world["english"] not in ids and page["total"] == len(ids)
    assert all("ja" in c["languages"] and recycling in c["skill_areas"] for c in page["items"])

    course = api.call(api.find("get", returns="CourseDetail"), path={"id": world["recycling"]})
    assert course["title"] == {"en": "Black mass recovery", "ja": "ブラックマス回収実務"}
    assert [s["id"] for s in course["sessions"]][:1] == [world["session"]]
    assert all(s["seats_left"] >= 0 for s in course["sessions"]) and len(course["sessions"]) == 2

    verify = api.find("get", returns="Certificate")
    certificate = api.call(verify, path={"public_id": world["certificate"]})
    assert certificate["status"] == "valid" and certificate["course"]["id"] == world["certified"]
    api.call(verify, path={"public_id": "not-a-real-certificate-id"}, expect=404)


def test_a_provider_token_creates_a_session(api, world):
    owner = make_user("owner", organisation=db.session.get(Organisation, world["org"]))
    provider = api.as_token(make_token(owner, ["provider:read", "provider:write"]))
    create = provider.find("post", takes="NewSession")
    assert create[2]["security"] == [{"token": ["provider:write"]}]
    body_schema = provider.document["components"]["schemas"]["NewSession"]
    start = (now() + timedelta(days=45)).astimezone(ZoneInfo("Asia/Tokyo"))
    body = {"starts_local": start.strftime("%Y-%m-%dT09:30"), "ends_local": start.strftime("%Y-%m-%dT17:00"),
            "timezone": "Asia/Tokyo", "capacity": 12, "online": False, "venue_city": "Kobe", "venue_country": "JP"}
    provider.check(body, body_schema)  # what is sent is what the document asks for
    created = provider.call(create, path={"id": world["recycling"]}, body=body, expect=201)
    assert created["course_id"] == world["recycling"] and created["capacity"] == 12

    # Anyone now sees it on the public course, through the document's course operation.
    course = api.call(api.find("get", returns="CourseDetail"), path={"id": world["recycling"]})
    assert created["id"] in [s["id"] for s in course["sessions"]]
    # A learner's token has not the scope: the documented 403.
    learner = api.as_token(world["learner_token"])
    learner.call(create, path={"id": world["recycling"]}, body=body, expect=403)


def test_a_learner_token_cannot_read_another_learners_enrolment(api, world):
    learner = api.as_token(world["learner_token"])
    one = learner.find("get", returns="Enrolment", with_path_parameter=True)
    assert "404" in one[2]["responses"]
    assert learner.call(one, path={"id": world["learner_enrolment"]})["id"] == world["learner_enrolment"]
    learner.call(one, path={"id": world["owner_enrolment"]}, expect=404)  # another person's
    mine = learner.call(learner.items_of("get", "Enrolment"))["items"]
    assert [e["id"] for e in mine] == [world["learner_enrolment"]]
