"""The OpenAPI 3.1 document of the API (served at /api/v1/openapi.json), joined from app/api/spec/.

The parts write their summaries and descriptions with lazy_gettext, so one document serves the JSON (always
in English: a stable body and ETag for machines) and the HTML page /<lang>/developers/api (in its language).
Each operation gets the name of the Flask view that answers it as its operationId, and its part's tag."""
from __future__ import annotations

import re
from importlib import import_module

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from app.api.auth import SCOPES

PARTS = ("public", "learner", "provider", "staff", "opendata")
# Tag -> what it groups. An operation without a tag gets its part's name.
TAGS = {
    "public": _l("Public reads: the catalogue, providers and certificate verification. No token needed."),
    "learner": _l("The token owner's own account, enrolments and certificates (scope learning:read)."),
    "provider": _l("A training provider's courses, sessions and rosters (scopes provider:read and "
                   "provider:write; the token's owner must be a member of the organisation)."),
    "staff": _l("Association staff: talent exchange records and report figures (scopes exchanges:read, "
                "exchanges:write and reports:read)."),
    "open data": _l("Open data: the whole catalogue as JSON and CSV, and iCalendar feeds of upcoming sessions. "
                    "No token needed."),
}
# The blueprints whose routes the document describes; operationIds are their view names.
BLUEPRINTS = ("api.", "opendata.")
METHODS = ("get", "put", "post", "patch", "delete")
_TEMPLATE = re.compile(r"\{[^}]*\}|<[^>]*>")


def resolved(value):
    """The same structure with every lazy string turned into text in the current locale."""
    if isinstance(value, LazyString):
        return str(value)
    if isinstance(value, dict):
        return {key: resolved(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [resolved(item) for item in value]
    return value


def _endpoints() -> dict[tuple[str, str], str]:
    """(method, path with its variables blanked) -> its operationId, for every route the document covers."""
    found = {}
    for rule in current_app.url_map.iter_rules():
        if rule.endpoint.startswith(BLUEPRINTS):
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                found[method.lower(), _TEMPLATE.sub("{}", rule.rule)] = operation_id(rule.endpoint)
    return found


def operation_id(endpoint: str) -> str:
    return endpoint.removeprefix("api.").replace(".", "_")


def _joined() -> tuple[dict, dict, list]:
    paths, schemas, tags = {}, {}, []
    endpoints = _endpoints()
    for name in PARTS:
        part = import_module(f"app.api.spec.{name}")
        for path, operations in part.paths().items():
            for method, operation in operations.items():
                if method not in METHODS:
                    continue
                operation.setdefault("tags", [name])
                tags.extend(tag for tag in operation["tags"] if tag not in tags)
                view = endpoints.get((method, _TEMPLATE.sub("{}", path)))
                if view:
                    operation.setdefault("operationId", view)
            paths.setdefault(path, {}).update(operations)
        schemas.update(part.SCHEMAS)
    return paths, schemas, tags


def document(lang: str = "en") -> dict:
    """The whole document, as plain JSON-ready data, its prose in `lang` (en or ja)."""
    paths, schemas, tags = _joined()
    with force_locale(lang):
        scopes = "; ".join(f"{scope} ({label})" for scope, (_may_hold, label) in SCOPES.items())
        return resolved({
            "openapi": "3.1.0",
            "info": {"title": "Battery Talent Bridge API", "version": "1.0.0", "description": _l(
                "Public reads of the catalogue, providers and certificates, and, with a personal API token "
                "(Authorization: Bearer ...), a person's own data as their roles allow. Every text field "
                "carries both languages as {\"en\": ..., \"ja\": ...}, null where missing. Errors are "
                "application/problem+json with a stable code.")},
            "servers": [{"url": "/"}],
            "tags": [{"name": tag, "description": TAGS.get(tag, "")} for tag in tags],
            "paths": paths,
            "components": {
                "schemas": schemas,
                "securitySchemes": {"token": {
                    "type": "http", "scheme": "bearer",
                    "description": _l("A personal API token, created in the profile (Account → API tokens) "
                                      "with the scopes it needs. Scopes: %(scopes)s.", scopes=scopes)}},
            },
        })
