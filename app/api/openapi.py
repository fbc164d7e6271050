"""The OpenAPI 3.1 document of the public read API, built as a Python dict (served at /api/v1/openapi.json)."""
from __future__ import annotations

from app.catalog.params import MAX_PAGE, SORTS


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(kind: str, **extra) -> dict:
    return {"type": [kind, "null"], **extra}


BILINGUAL = {"type": "object", "required": ["en", "ja"], "additionalProperties": False,
             "properties": {"en": _nullable("string"), "ja": _nullable("string")}}
SESSION = {"type": "object", "required": ["id", "starts_at", "ends_at", "timezone", "online", "seats_left"],
           "properties": {
               "id": {"type": "integer"}, "starts_at": {"type": "string", "format": "date-time"},
               "ends_at": {"type": "string", "format": "date-time"}, "timezone": {"type": "string"},
               "online": {"type": "boolean"}, "venue_city": _nullable("string"),
               "venue_country": _nullable("string"), "capacity": {"type": "integer"},
               "seats_left": {"type": "integer", "minimum": 0},
               "enrolment_deadline": _nullable("string", format="date-time"),
               "requires_approval": {"type": "boolean"}, "status": {"type": "string"}}}
COURSE = {"type": "object", "required": ["id", "kind", "title", "summary", "provider", "next_session"],
          "properties": {
              "id": {"type": "integer"}, "kind": {"type": "string"}, "title": _ref("Bilingual"),
              "summary": _ref("Bilingual"),
              "provider": {"type": "object", "properties": {"id": {"type": "integer"},
                                                            "name": _ref("Bilingual")}},
              "skill_areas": {"type": "array", "items": {"type": "string"}},
              "languages": {"type": "array", "items": {"type": "string"}},
              "eqf_level": _nullable("integer"), "audience": {"type": "string"},
              "delivery_mode": {"type": "string"}, "duration_hours": _nullable("number"),
              "price": {"oneOf": [{"type": "null"}, {"type": "object", "properties": {
                  "amount": {"type": "integer"}, "currency": {"type": "string"}}}]},
              "certification": {"type": "string"}, "published_at": _nullable("string", format="date-time"),
              "next_session": {"oneOf": [{"type": "null"}, _ref("Session")]}}}
COURSE_DETAIL = {"allOf": [_ref("Course"), {"type": "object", "required": ["sessions"], "properties": {
    "description": _ref("Bilingual"), "learning_outcomes": _ref("Bilingual"), "prerequisites": _ref("Bilingual"),
    "assessment": _ref("Bilingual"), "validity_months": _nullable("integer"),
    "sessions": {"type": "array", "items": _ref("Session")}}}]}
PROVIDER = {"type": "object", "required": ["id", "name", "description", "country"], "properties": {
    "id": {"type": "integer"}, "name": _ref("Bilingual"), "description": _ref("Bilingual"),
    "country": {"type": "string"}, "city": _nullable("string"), "website": _nullable("string"),
    "verified": {"type": "boolean"}, "course_count": {"type": "integer"}}}
PROVIDER_DETAIL = {"allOf": [_ref("Provider"), {"type": "object", "properties": {
    "course_ids": {"type": "array", "items": {"type": "integer"}}}}]}
SKILL_AREA = {"type": "object", "required": ["id", "code", "name"], "properties": {
    "id": {"type": "integer"}, "code": {"type": "string"}, "name": _ref("Bilingual"),
    "description": _ref("Bilingual"), "course_count": {"type": "integer"}}}
CERTIFICATE = {"type": "object", "required": ["id", "type", "status", "holder", "course", "provider", "issued_at"],
               "properties": {
                   "id": {"type": "string"}, "type": {"type": "string"},
                   "status": {"type": "string", "enum": ["valid", "expired", "revoked"]},
                   "holder": _ref("Bilingual"), "course": {"type": "object"}, "provider": {"type": "object"},
                   "session": {"type": ["object", "null"]},
                   "issued_at": {"type": "string", "format": "date-time"},
                   "expires_at": _nullable("string", format="date-time"),
                   "revoked_at": _nullable("string", format="date-time"), "revoked_reason": _nullable("string")}}
PROBLEM = {"type": "object", "required": ["status", "code", "title"], "properties": {
    "type": {"type": "string"}, "status": {"type": "integer"},
    "code": {"type": "string", "description": "Stable: bad_page, bad_country, not_found, method_not_allowed, ..."},
    "title": {"type": "string", "description": "In the language of Accept-Language (en or ja)"},
    "detail": {"type": "string"}}}


def _page(name: str) -> dict:
    return {"type": "object", "required": ["items", "page", "page_size", "total"], "properties": {
        "items": {"type": "array", "items": _ref(name)}, "page": {"type": "integer", "minimum": 1},
        "page_size": {"type": "integer"}, "total": {"type": "integer", "minimum": 0},
        "ignored": {"type": "array", "items": {"type": "string"},
                    "description": "Filters whose values were not understood and were left out"}}}


PAGE_PARAM = {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
              "description": "A malformed or out-of-range page is a 400 with code bad_page (the HTML catalogue "
                             "answers 404); a page past the last one is an empty list."}
ID = {"type": "integer", "minimum": 1, "maximum": 2147483647}


def _query(name: str, schema: dict, description: str = "") -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


def _problem(description: str) -> dict:
    return {"description": description, "content": {"application/problem+json": {"schema": _ref("Problem")}}}


def _read(summary: str, schema: dict, parameters: list | None = None, *, not_found: bool = False,
          bad: bool = False) -> dict:
    responses = {
        "200": {"description": "OK", "headers": {"ETag": {"schema": {"type": "string"}}},
                "content": {"application/json": {"schema": schema}}},
        "304": {"description": "Not modified (If-None-Match matched the ETag)"},
    }
    if bad:
        responses["400"] = _problem("A bad parameter")
    if not_found:
        responses["404"] = _problem("Not found (for a certificate: unknown, malformed or private alike)")
    responses["405"] = _problem("Method not allowed")
    return {"get": {"summary": summary, "parameters": [
        {"name": "If-None-Match", "in": "header", "required": False, "schema": {"type": "string"}},
        {"name": "Accept-Language", "in": "header", "required": False, "schema": {"type": "string"},
         "description": "en or ja: the language of error titles and details"},
        *(parameters or [])], "responses": responses}}


def document() -> dict:
    course_filters = [
        _query("q", {"type": "string", "maxLength": 200}, "Search words, English or Japanese"),
        _query("skill", {"type": "array", "items": {"type": "string"}}, "Skill area codes (repeat)"),
        _query("kind", {"type": "string"}), _query("mode", {"type": "string"}),
        _query("language", {"type": "string"}, "Language of instruction (ISO 639-1)"),
        _query("level", {"type": "integer", "minimum": 1, "maximum": 8}, "EQF level"),
        _query("audience", {"type": "string"}), _query("country", {"type": "string"}, "Session venue country"),
        _query("provider", {"type": "integer"}), _query("from", {"type": "string", "format": "date"}),
        _query("to", {"type": "string", "format": "date"}), _query("free", {"type": "string"}),
        _query("sort", {"type": "string", "enum": list(SORTS)}), PAGE_PARAM,
    ]
    path_id = {"name": "id", "in": "path", "required": True, "schema": ID}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Battery Talent Bridge API", "version": "1.0.0",
                 "description": "Public reads of the catalogue, providers and certificates. Every text field "
                                "carries both languages as {\"en\": ..., \"ja\": ...}, null where missing."},
        "servers": [{"url": "/"}],
        "paths": {
            "/api/v1/skill-areas": _read("Skill areas", {"type": "object", "required": ["items"], "properties": {
                "items": {"type": "array", "items": _ref("SkillArea")}}}),
            "/api/v1/providers": _read("Training providers", _ref("ProviderPage"), [
                PAGE_PARAM, _query("country", {"type": "string"}, "ISO 3166 code; another value is a 400 "
                                                                   "with code bad_country")], bad=True),
            "/api/v1/providers/{id}": _read("One provider", _ref("ProviderDetail"), [path_id], not_found=True),
            "/api/v1/courses": _read("The catalogue: the same filters, results and order as the HTML catalogue",
                                     _ref("CoursePage"), course_filters, bad=True),
            "/api/v1/courses/{id}": _read("One published course with its upcoming sessions and seats left",
                                          _ref("CourseDetail"), [path_id], not_found=True),
            "/api/v1/certificates/{public_id}": _read(
                "Verify a public certificate", _ref("Certificate"),
                [{"name": "public_id", "in": "path", "required": True, "schema": {"type": "string"}}],
                not_found=True),
            "/api/v1/openapi.json": _read("This document", {"type": "object"}),
        },
        "components": {"schemas": {
            "Bilingual": BILINGUAL, "Session": SESSION, "Course": COURSE, "CourseDetail": COURSE_DETAIL,
            "CoursePage": _page("Course"), "Provider": PROVIDER, "ProviderDetail": PROVIDER_DETAIL,
            "ProviderPage": _page("Provider"), "SkillArea": SKILL_AREA, "Certificate": CERTIFICATE,
            "Problem": PROBLEM,
        }},
    }
