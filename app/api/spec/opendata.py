"""OpenAPI part: the open data exports (catalogue as JSON and CSV) and the iCalendar feeds of sessions."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.api.spec.common import BILINGUAL, ID, nullable, obj, path_param, read
from app.i18n import LANGUAGES

NAME = {"type": "object", "required": list(LANGUAGES), "properties": BILINGUAL["properties"],
        "additionalProperties": False}
EXPORT_SESSION = obj(["id", "starts_at", "ends_at", "timezone", "online", "city", "country"], {
    "id": {"type": "integer"}, "starts_at": {"type": "string"}, "ends_at": {"type": "string"},
    "timezone": {"type": "string"}, "online": {"type": "boolean"}, "city": nullable("string"),
    "city_en": nullable("string"), "city_ja": nullable("string"),
    "country": nullable("string")})
EXPORT_COURSE = obj(["id", "url", "title", "summary", "provider", "kind", "delivery_mode", "audience", "languages",
                     "eqf_level", "duration_hours", "price", "skill_areas", "next_session"], {
    "id": {"type": "integer"}, "url": {"type": "string"}, "title": NAME, "summary": NAME,
    "provider": obj(["id", "name", "country"], {"id": {"type": "integer"}, "name": NAME,
                                               "country": nullable("string"), "city": NAME}),
    "kind": {"type": "string"}, "delivery_mode": {"type": "string"}, "audience": {"type": "string"},
    "languages": {"type": "array", "items": {"type": "string"}}, "eqf_level": nullable("integer"),
    "duration_hours": nullable("number"),
    "price": {"oneOf": [{"type": "null"}, obj(["amount_minor", "currency"], {
        "amount_minor": {"type": "integer"}, "currency": {"type": "string"}})]},
    "skill_areas": {"type": "array", "items": obj(["code", "name"], {"code": {"type": "string"}, "name": NAME})},
    "next_session": {"oneOf": [{"type": "null"}, EXPORT_SESSION]}})
EXPORT = obj(["generated_at", "count", "courses"], {
    "generated_at": {"type": "string"}, "count": {"type": "integer", "minimum": 0},
    "courses": {"type": "array", "items": {"$ref": "#/components/schemas/ExportCourse"}}})

SCHEMAS = {"ExportCourse": EXPORT_COURSE, "CatalogueExport": EXPORT}


def _file(summary, media_type: str, parameters: list | None = None, not_found: bool = False) -> dict:
    responses = {"200": {"description": _l("The file"), "headers": {"ETag": {"schema": {"type": "string"}}},
                         "content": {media_type: {"schema": {"type": "string"}}}},
                 "304": {"description": _l("Not modified (If-None-Match matched the ETag)")}}
    if not_found:
        responses["404"] = {"description": _l("No such provider")}
    return {"summary": summary, "tags": ["open data"], "responses": responses, "parameters": [
        {"name": "If-None-Match", "in": "header", "required": False, "schema": {"type": "string"}},
        *(parameters or [])]}


def paths() -> dict:
    catalogue_json = read(_l("Every published course, both languages side by side (open data)"),
                          {"$ref": "#/components/schemas/CatalogueExport"})
    catalogue_json["tags"] = ["open data"]
    return {
        "/api/v1/exports/catalogue.json": {"get": catalogue_json},
        "/api/v1/exports/catalogue.csv": {"get": _file(
            _l("Every published course as CSV (UTF-8, one row per course)"), "text/csv")},
        "/sessions.ics": {"get": _file(_l("iCalendar feed of the site's upcoming sessions"), "text/calendar", [
            {"name": "lang", "in": "query", "required": False, "schema": {"type": "string", "enum": list(LANGUAGES)},
             "description": _l("Language of the event titles (en by default)")}])},
        "/{lang}/providers/{id}/sessions.ics": {"get": _file(
            _l("iCalendar feed of one provider's upcoming sessions"), "text/calendar",
            [path_param("lang", {"type": "string", "enum": list(LANGUAGES)}), path_param("id", ID)],
            not_found=True)},
    }
