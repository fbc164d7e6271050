"""Shapes and helpers every part of the OpenAPI document uses."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.catalog.params import MAX_PAGE
from app.i18n import LANGUAGES


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(kind: str, **extra) -> dict:
    return {"type": [kind, "null"], **extra}


def obj(required: list[str], properties: dict, **extra) -> dict:
    """A closed object: every property named, nothing else allowed."""
    return {"type": "object", "required": required, "additionalProperties": False, "properties": properties,
            **extra}


ID = {"type": "integer", "minimum": 1, "maximum": 2147483647}
DATETIME = {"type": "string", "format": "date-time"}
BILINGUAL = obj(list(LANGUAGES), {lang: nullable("string") for lang in LANGUAGES})
PROBLEM = obj(["type", "status", "code", "title", "detail"], {
    "type": {"type": "string"}, "status": {"type": "integer"},
    "code": {"type": "string", "description": _l("Stable: bad_page, bad_country, not_found, token_required, "
                                                 "invalid_token, insufficient_scope, invalid, rate_limited, ...")},
    "title": {"type": "string", "description": _l("In the language of Accept-Language (en or ja)")},
    "detail": {"type": "string"},
    "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}},
               "description": _l("For code invalid: the message of each field that was refused")}})
PAGE_PARAM = {"name": "page", "in": "query", "required": False,
              "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
              "description": _l("A malformed or out-of-range page is a 400 with code bad_page; a page past "
                                "the last one is an empty list.")}
HEADERS = [
    {"name": "Accept-Language", "in": "header", "required": False, "schema": {"type": "string"},
     "description": _l("en or ja: the language of error titles and details")},
]
RATE_HEADERS = {"RateLimit-Limit": {"schema": {"type": "integer"}},
                "RateLimit-Remaining": {"schema": {"type": "integer"}}}


def path_param(name: str, schema: dict | None = None) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": schema or ID}


def query(name: str, schema: dict, description: str = "") -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


def problem(description: str, headers: dict | None = None) -> dict:
    answer = {"description": description, "content": {"application/problem+json": {"schema": ref("Problem")}}}
    if headers:
        answer["headers"] = headers
    return answer


def page_of(name: str) -> dict:
    return obj(["items", "page", "page_size", "total"], {
        "items": {"type": "array", "items": ref(name)}, "page": {"type": "integer", "minimum": 1},
        "page_size": {"type": "integer"}, "total": {"type": "integer", "minimum": 0},
        "ignored": {"type": "array", "items": {"type": "string"},
                    "description": _l("Filters whose values were not understood and were left out")}})


def _errors(responses: dict, *, bad: bool, not_found: bool, scope: str | None, invalid: bool = False,
            conflict: bool = False) -> dict:
    if bad:
        responses["400"] = problem(_l("A bad parameter (code bad_page, bad_country, bad_filter, ...)"))
    if scope:
        responses["401"] = problem(_l("No token, or one that is unknown, revoked or expired (codes "
                                      "token_required, invalid_token)"),
                                   {"WWW-Authenticate": {"schema": {"type": "string"}}})
        responses["403"] = problem(_l("The token lacks the scope, or its owner the role (code "
                                      "insufficient_scope or forbidden)"))
    if not_found:
        responses["404"] = problem(_l("Not found, or not yours to see (one same answer)"))
    if conflict:
        responses["409"] = problem(_l("The record's state does not allow this (code conflict)"))
    if invalid:
        responses["422"] = problem(_l("Refused input (code invalid, with a message per field in errors)"))
    responses["429"] = problem(_l("Too many requests in this window (code rate_limited)"),
                               {"Retry-After": {"schema": {"type": "integer"}}})
    return responses


def read(summary: str, schema: dict, parameters: list | None = None, *, not_found: bool = False,
         bad: bool = False, scope: str | None = None, description: str = "") -> dict:
    responses = {
        "200": {"description": _l("OK"), "headers": {"ETag": {"schema": {"type": "string"}}, **RATE_HEADERS},
                "content": {"application/json": {"schema": schema}}},
        "304": {"description": _l("Not modified (If-None-Match matched the ETag)")},
    }
    operation = {"summary": summary, "parameters": [
        {"name": "If-None-Match", "in": "header", "required": False, "schema": {"type": "string"}},
        *HEADERS, *(parameters or [])],
        "responses": _errors(responses, bad=bad, not_found=not_found, scope=scope)}
    if description:
        operation["description"] = description
    if scope:
        operation["security"] = [{"token": [] if scope == "any" else [scope]}]
    return operation


def write(summary: str, body: dict, schema: dict, parameters: list | None = None, *, scope: str,
          status: str = "200", not_found: bool = True, conflict: bool = False, description: str = "") -> dict:
    """A POST/PATCH with a JSON body (always token-authenticated)."""
    responses = {status: {"description": _l("Done"), "headers": RATE_HEADERS,
                          "content": {"application/json": {"schema": schema}}}}
    operation = {"summary": summary, "parameters": [*HEADERS, *(parameters or [])],
                 "requestBody": {"required": True, "content": {"application/json": {"schema": body}}},
                 "security": [{"token": [scope]}],
                 "responses": _errors(responses, bad=False, not_found=not_found, scope=scope, invalid=True,
                                      conflict=conflict)}
    responses["400"] = problem(_l("The body is not a JSON object (code bad_json)"))
    responses["415"] = problem(_l("The body is not sent as application/json (code "
                                  "unsupported_media_type)"))
    if description:
        operation["description"] = description
    return operation
