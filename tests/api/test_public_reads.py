"""The public read API: shapes, bilingual fields, the catalogue's own results and order, ETags, CORS,
problem+json errors in the reader's language, the OpenAPI document, constant query counts."""
from __future__ import annotations

import json

import pytest

from app.catalog import queries as catalogue
from app.catalog.params import LANGUAGE_CODES, now_minute, parse_filters
from app.catalog.search_queries import search_catalogue
from tests.certifications.test_credential_schema import issued
from tests.factories import make_course, make_courses, make_provider, make_session


def _get(client, path, **headers):
    response = client.get(path, headers=headers)
    return response, response.get_json()


def test_skill_areas_are_bilingual_with_counts(client):
    make_course(skills=("safety",))
    response, body = _get(client, "/api/v1/skill-areas")
    assert response.status_code == 200 and response.mimetype == "application/json"
    safety = next(a for a in body["items"] if a["code"] == "safety")
    assert set(safety["name"]) == {"en", "ja"} and safety["name"]["en"] and safety["name"]["ja"]
    assert safety["course_count"] >= 1


def test_providers_page_and_detail(client):
    org = make_provider(name_en="Akku Academy", name_ja=None, description_en=None)
    course = make_course(org)
    response, body = _get(client, "/api/v1/providers")
    assert response.status_code == 200
    assert set(body) >= {"items", "page", "page_size", "total"} and body["page"] == 1
    assert body["total"] >= 1
    response, one = _get(client, f"/api/v1/providers/{org.id}")
    assert one["name"] == {"en": "Akku Academy", "ja": None}
    assert one["description"] == {"en": None, "ja": None}
    assert one["course_ids"] == [course.id] and one["course_count"] == 1
    assert client.get("/api/v1/providers/999999").status_code == 404
    assert client.get("/api/v1/providers?country=XX").get_json()["code"] == "bad_country"


def test_course_detail_with_upcoming_sessions_and_seats_left(client):
    course = make_course(title_ja=None, summary_en="About cells", sessions=[make_session(capacity=12)])
    course.sessions[0].seats_taken = 5
    make_session(course, days_ahead=-3)  # past: not listed
    response, body = _get(client, f"/api/v1/courses/{course.id}")
    assert response.status_code == 200
    assert body["title"]["ja"] is None and body["summary"] == {"en": "About cells", "ja": None}
    assert [s["seats_left"] for s in body["sessions"]] == [7]
    assert "join_url" not in body["sessions"][0]
    assert body["provider"]["name"]["ja"]
    draft = make_course(status="draft", published_at=None)
    assert client.get(f"/api/v1/courses/{draft.id}").get_json()["code"] == "not_found"


@pytest.mark.parametrize("query", [
    "", "q=battery", "sort=newest", "skill=safety&language=ja", "kind=workshop&page=2", "free=1&sort=newest",
])
def test_courses_list_matches_the_html_catalogue(app, client, query):
    org = make_provider()
    make_courses(25, org, skills=("safety",), languages=("ja",))
    make_courses(15, org, kind="workshop", title_en="Battery recycling")
    make_courses(5, org, skills=("recycling",), price_amount=1000, currency="EUR")
    response, body = _get(client, f"/api/v1/courses?{query}")
    assert response.status_code == 200
    with app.test_request_context(f"/en/courses?{query}"):
        from flask import request

        filters = parse_filters(request.args, {a.code for a in catalogue.list_skill_areas()}, LANGUAGE_CODES)
        expected = search_catalogue(filters, now_minute(), app.config["CATALOGUE_PAGE_SIZE"])
    assert [item["id"] for item in body["items"]] == expected.ids
    assert body["total"] == expected.total and body["page"] == filters.page
    assert body["page_size"] == app.config["CATALOGUE_PAGE_SIZE"]


def test_courses_list_items_are_bilingual(client):
    course = make_course(title_en="Cell safety", title_ja="セル安全", skills=("safety",), languages=("ja", "en"))
    body = client.get(f"/api/v1/courses?provider={course.provider_id}").get_json()
    (item,) = body["items"]
    assert item["title"] == {"en": "Cell safety", "ja": "セル安全"}
    assert item["skill_areas"] == ["safety"] and item["languages"] == ["en", "ja"]
    assert item["next_session"]["seats_left"] == 20


def test_certificate_verification_and_one_404_for_unknown_and_private(client):
    cert = issued()
    response, body = _get(client, f"/api/v1/certificates/{cert.public_id}")
    assert response.status_code == 200
    assert body["status"] == "valid" and body["id"] == cert.public_id
    assert body["course"]["title"] == {"en": "Cell safety basics", "ja": "セル安全の基礎"}
    assert body["holder"]["en"] and body["holder"]["ja"]
    private = issued(public=False)
    answers = [client.get(f"/api/v1/certificates/{pid}") for pid in (private.public_id, "A" * 32, "bad!")]
    assert {a.status_code for a in answers} == {404}
    assert len({a.get_data() for a in answers}) == 1
    assert private.public_id not in answers[0].get_data(as_text=True)


@pytest.mark.parametrize("path", ["/api/v1/skill-areas", "/api/v1/providers", "/api/v1/courses",
                                  "/api/v1/openapi.json"])
def test_etag_304_and_cors(client, path):
    make_course()
    first = client.get(path)
    assert first.status_code == 200 and first.headers["ETag"]
    assert first.headers["Access-Control-Allow-Origin"] == "*"
    again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and not again.get_data()
    assert again.headers["Access-Control-Allow-Origin"] == "*"


def test_course_and_certificate_etags(client):
    course, cert = make_course(), issued()
    for path in (f"/api/v1/courses/{course.id}", f"/api/v1/certificates/{cert.public_id}"):
        etag = client.get(path).headers["ETag"]
        assert client.get(path, headers={"If-None-Match": etag}).status_code == 304


@pytest.mark.parametrize("lang, title", [("en", "Bad request"), ("ja", "不正なリクエスト")])
def test_bad_page_is_a_problem_in_the_readers_language(client, lang, title):
    for path in ("/api/v1/courses?page=abc", "/api/v1/courses?page=0", "/api/v1/providers?page=x"):
        response = client.get(path, headers={"Accept-Language": lang})
        assert response.status_code == 400 and response.mimetype == "application/problem+json"
        body = response.get_json()
        assert body["code"] == "bad_page" and body["title"] == title and body["status"] == 400
        assert response.headers["Content-Language"] == lang


def test_not_found_problem_in_japanese(client):
    response = client.get("/api/v1/courses/999999", headers={"Accept-Language": "ja,en;q=0.5"})
    assert response.status_code == 404 and response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["code"] == "not_found" and body["title"] == "ページが見つかりません"
    assert client.get("/api/v1/no-such-thing").get_json()["code"] == "not_found"
    assert client.post("/api/v1/courses").get_json()["code"] == "method_not_allowed"


def test_page_past_the_end_is_empty(client):
    make_course()
    body = client.get("/api/v1/courses?page=500").get_json()
    assert body["items"] == [] and body["total"] >= 1


def test_openapi_document_lists_every_route(app, client):
    response = client.get("/api/v1/openapi.json")
    document = json.loads(response.get_data(as_text=True))
    assert document["openapi"] == "3.1.0"
    paths = document["paths"]
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(("api.", "opendata.")):
            path = rule.rule.replace("<lang:lang_code>", "{lang}")
            for name in rule.arguments:
                path = path.replace(f"<{name}>", f"{{{name}}}")
                path = path.replace(f"<int(max=2147483647):{name}>", "{id}")
            assert path in paths, path
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                operation = paths[path][method.lower()]
                assert "429" in operation["responses"] or rule.endpoint.startswith("opendata."), path
                if method == "GET":
                    assert "304" in operation["responses"], path
    schemas = document["components"]["schemas"]
    assert "Problem" in schemas
    # every $ref names a schema that exists
    refs = {part.split('"')[0] for part in json.dumps(document).split('#/components/schemas/')[1:]}
    assert refs <= set(schemas)


@pytest.mark.parametrize("path", ["/api/v1/courses", "/api/v1/providers"])
def test_list_query_count_is_constant(client, count_queries, path):
    def run() -> int:
        with count_queries() as counter:
            assert client.get(path).status_code == 200
        return counter.count

    providers = [make_provider() for _ in range(5)]
    make_courses(5, providers)
    few = run()
    providers += [make_provider() for _ in range(35)]
    make_courses(35, providers[5:])
    assert run() == few
