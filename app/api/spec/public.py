"""Public reads: skill areas, providers, the catalogue, a course, certificate verification, this document."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.api.spec.common import (
    BILINGUAL,
    DATETIME,
    PAGE_PARAM,
    PROBLEM,
    nullable,
    obj,
    page_of,
    path_param,
    query,
    read,
    ref,
)
from app.catalog.params import SORTS

SESSION_PROPERTIES = {
    "id": {"type": "integer"}, "starts_at": DATETIME, "ends_at": DATETIME, "timezone": {"type": "string"},
    "online": {"type": "boolean"}, "venue_city": nullable("string"), "venue_country": nullable("string"),
    "venue_city_en": nullable("string"), "venue_city_ja": nullable("string"),
    "venue_address_en": nullable("string"), "venue_address_ja": nullable("string"),
    "capacity": {"type": "integer"}, "seats_left": {"type": "integer", "minimum": 0},
    "enrolment_deadline": nullable("string", format="date-time"), "requires_approval": {"type": "boolean"},
    "status": {"type": "string", "enum": ["scheduled", "cancelled", "completed"]}}
SESSION = obj(["id", "starts_at", "ends_at", "timezone", "online", "seats_left"], SESSION_PROPERTIES)
COURSE_PROPERTIES = {
    "id": {"type": "integer"}, "kind": {"type": "string"}, "title": ref("Bilingual"),
    "summary": ref("Bilingual"),
    "provider": obj(["id", "name"], {"id": {"type": "integer"}, "name": ref("Bilingual")}),
    "skill_areas": {"type": "array", "items": {"type": "string"}},
    "languages": {"type": "array", "items": {"type": "string"}},
    "eqf_level": nullable("integer"), "audience": {"type": "string"}, "delivery_mode": {"type": "string"},
    "duration_hours": nullable("number"),
    "price": {"oneOf": [{"type": "null"}, obj(["amount", "currency"], {
        "amount": {"type": "integer", "description": _l("In the currency's minor unit (cents; yen)")},
        "currency": {"type": "string"},
        "includes_tax": {"type": "boolean",
                         "description": _l("Whether the amount includes consumption tax or VAT")},
        "tax_rate_percent": nullable("string", description=_l(
            "The tax rate in per cent, e.g. \"10\" or \"25.5\"; null when none is on record")),
        "gross_amount": nullable("integer", description=_l(
            "The amount including tax, in the minor unit; null when the rate is not on record and the amount "
            "excludes tax")),
        "net_amount": nullable("integer", description=_l(
            "The amount before tax, in the minor unit; null when the rate is not on record and the amount "
            "includes tax"))})]},
    "certification": {"type": "string"}, "published_at": nullable("string", format="date-time"),
    "next_session": {"oneOf": [{"type": "null"}, ref("Session")]}}
COURSE = obj(["id", "kind", "title", "summary", "provider", "next_session"], COURSE_PROPERTIES)
COURSE_DETAIL = obj(["id", "kind", "title", "summary", "provider", "next_session", "sessions"], {
    **COURSE_PROPERTIES,
    "description": ref("Bilingual"), "learning_outcomes": ref("Bilingual"), "prerequisites": ref("Bilingual"),
    "assessment": ref("Bilingual"), "validity_months": nullable("integer"),
    "sessions": {"type": "array", "items": ref("Session")}})
PROVIDER_PROPERTIES = {
    "id": {"type": "integer"}, "name": ref("Bilingual"), "description": ref("Bilingual"),
    "country": {"type": "string"}, "city": nullable("string", description=_l("The city in English, else in Japanese")),
    "city_en": nullable("string"), "city_ja": nullable("string"), "website": nullable("string"),
    "verified": {"type": "boolean"}, "course_count": {"type": "integer"}}
PROVIDER = obj(["id", "name", "description", "country"], PROVIDER_PROPERTIES)
PROVIDER_DETAIL = obj(["id", "name", "description", "country", "course_ids"], {
    **PROVIDER_PROPERTIES, "course_ids": {"type": "array", "items": {"type": "integer"}}})
SKILL_AREA = obj(["id", "code", "name"], {
    "id": {"type": "integer"}, "code": {"type": "string"}, "name": ref("Bilingual"),
    "description": ref("Bilingual"), "course_count": {"type": "integer"}})
NAMED = {"code": {"type": ["string", "null"]}, "name": ref("Bilingual")}
CERTIFICATE = obj(["id", "type", "status", "holder", "course", "provider", "issued_at"], {
    "id": {"type": "string"}, "type": {"type": "string"},
    "status": {"type": "string", "enum": ["valid", "expired", "revoked"]},
    "holder": ref("Bilingual"),
    "course": obj(["id", "title"], {
        "id": nullable("integer"), "title": ref("Bilingual"), "kind": nullable("string"),
        "eqf_level": nullable("integer"), "hours": nullable("number"),
        "skill_areas": {"type": "array", "items": obj(["code", "name"], NAMED)}}),
    "provider": obj(["id", "name"], {
        "id": nullable("integer"), "name": ref("Bilingual"), "country": nullable("string"),
        "city": nullable("string"), "city_en": nullable("string"), "city_ja": nullable("string")}),
    "session": {"oneOf": [{"type": "null"}, obj([], {
        "starts_at": nullable("string"), "ends_at": nullable("string"), "timezone": nullable("string"),
        "online": {"type": "boolean"}, "venue_city": nullable("string"), "venue_country": nullable("string")})]},
    "issued_at": DATETIME, "expires_at": nullable("string", format="date-time"),
    "revoked_at": nullable("string", format="date-time"), "revoked_reason": nullable("string")})

SCHEMAS = {
    "Bilingual": BILINGUAL, "Problem": PROBLEM, "Session": SESSION, "Course": COURSE,
    "CourseDetail": COURSE_DETAIL, "CoursePage": page_of("Course"), "Provider": PROVIDER,
    "ProviderDetail": PROVIDER_DETAIL, "ProviderPage": page_of("Provider"), "SkillArea": SKILL_AREA,
    "Certificate": CERTIFICATE,
}


def paths() -> dict:
    course_filters = [
        query("q", {"type": "string", "maxLength": 200}, _l("Search words, English or Japanese")),
        query("skill", {"type": "array", "items": {"type": "string"}}, _l("Skill area codes (repeat)")),
        query("kind", {"type": "string"}), query("mode", {"type": "string"}),
        query("language", {"type": "string"}, _l("Language of instruction (ISO 639-1)")),
        query("level", {"type": "integer", "minimum": 1, "maximum": 8}, _l("EQF level")),
        query("audience", {"type": "string"}), query("country", {"type": "string"}, _l("Session venue country")),
        query("provider", {"type": "integer"}), query("from", {"type": "string", "format": "date"}),
        query("to", {"type": "string", "format": "date"}), query("free", {"type": "string"}),
        query("sort", {"type": "string", "enum": list(SORTS)}), PAGE_PARAM,
    ]
    return {
        "/api/v1/skill-areas": {"get": read(_l("Skill areas"), obj(["items"], {
            "items": {"type": "array", "items": ref("SkillArea")}}))},
        "/api/v1/providers": {"get": read(_l("Training providers"), ref("ProviderPage"), [
            PAGE_PARAM, query("country", {"type": "string"}, _l("ISO 3166 code; another value is a 400 with "
                                                                 "code bad_country"))], bad=True)},
        "/api/v1/providers/{id}": {"get": read(_l("One provider"), ref("ProviderDetail"), [path_param("id")],
                                               not_found=True)},
        "/api/v1/courses": {"get": read(
            _l("The catalogue: the same filters, results and order as the HTML catalogue"), ref("CoursePage"),
            course_filters, bad=True)},
        "/api/v1/courses/{id}": {"get": read(
            _l("One published course with its upcoming sessions and seats left"), ref("CourseDetail"),
            [path_param("id")], not_found=True)},
        "/api/v1/certificates/{public_id}": {"get": read(
            _l("Verify a public certificate"), ref("Certificate"), [path_param("public_id", {"type": "string"})],
            not_found=True, description=_l("Unknown, malformed and private ids get one same 404."))},
        "/api/v1/openapi.json": {"get": read(_l("This document"), {"type": "object"})},
    }
