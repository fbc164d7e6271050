"""/<lang>/developers/api: the API's documentation for people, rendered on the server from the OpenAPI
document itself (app/api/openapi.py), in the page's language. No script and nothing from another site:
what a reader sees is what /api/v1/openapi.json says, so the two cannot drift apart."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask import Blueprint, current_app, g, render_template
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from app.api.auth import INVALID, MISSING, SCOPES
from app.api.inputs import NOT_JSON
from app.api.openapi import METHODS, document
from app.api.problems import PROBLEMS
from app.api.routes import BAD_COUNTRY, BAD_PAGE

bp = Blueprint("api_docs", __name__, url_prefix="/<lang:lang_code>/developers")

TAG_TITLES = {"public": _l("Public data"), "learner": _l("For learners"),
              "provider": _l("For training providers"), "staff": _l("For association staff"),
              "open data": _l("Open data")}
# Headers every operation takes: said once at the top of the page rather than in each operation's table.
COMMON_HEADERS = {"Accept-Language", "If-None-Match"}
WHERE = {"path": _l("path"), "query": _l("query"), "header": _l("header")}
WHO_MAY_HOLD = {"learning:read": _l("anyone with an account"), "provider:read": _l("members of a provider"),
                "provider:write": _l("members of a provider"), "exchanges:read": _l("association staff"),
                "exchanges:write": _l("association staff"), "reports:read": _l("association staff")}
# code -> (status, meaning): the stable codes of application/problem+json answers, in the words the answers
# themselves use where those are general enough.
ERROR_CODES = {
    "bad_page": (400, BAD_PAGE),
    "bad_country": (400, BAD_COUNTRY),
    "bad_filter": (400, _l("A filter has a value the endpoint does not know.")),
    "bad_json": (400, NOT_JSON),
    "token_required": (401, MISSING),
    "invalid_token": (401, INVALID),
    "insufficient_scope": (403, _l("The token does not have the scope the endpoint needs, or its owner no "
                                   "longer holds the role the scope stands for.")),
    "forbidden": (403, PROBLEMS[403][2]),
    "not_found": (404, _l("Nothing at this address, or nothing the token's owner may see.")),
    "conflict": (409, PROBLEMS[409][2]),
    "unsupported_media_type": (415, PROBLEMS[415][2]),
    "invalid": (422, PROBLEMS[422][2]),
    "rate_limited": (429, _l("Too many requests: wait for the seconds in Retry-After.")),
}


@dataclass
class Kind:
    """What a schema is, for a person: a JSON type (with format), or a named schema, maybe a list of one."""

    label: str = ""
    ref: str | None = None
    array: bool = False
    nullable: bool = False
    enum: list = field(default_factory=list)


@dataclass
class Row:
    name: str
    kind: Kind
    required: bool
    description: str = ""


def kind_of(schema: dict) -> Kind:
    if "$ref" in schema:
        return Kind(ref=schema["$ref"].rsplit("/", 1)[-1])
    options = schema.get("oneOf") or schema.get("anyOf")
    if options:
        others = [o for o in options if o.get("type") != "null"]
        kind = kind_of(others[0]) if len(others) == 1 else Kind(label=" | ".join(
            kind_of(o).ref or kind_of(o).label for o in others))
        kind.nullable = kind.nullable or len(others) < len(options)
        return kind
    types = schema.get("type", "any")
    types = types if isinstance(types, list) else [types]
    nullable = "null" in types
    types = [t for t in types if t != "null"] or ["null"]
    if types == ["array"]:
        inner = kind_of(schema.get("items", {}))
        inner.array, inner.nullable = True, nullable
        return inner
    label = " | ".join(types) + (f" ({schema['format']})" if "format" in schema else "")
    return Kind(label=label, nullable=nullable, enum=list(schema.get("enum", [])))


def rows(schema: dict, prefix: str = "") -> list[Row]:
    """The fields of an object schema, nested inline objects flattened below their parent (a.b, a[].b)."""
    found = []
    required = set(schema.get("required", []))
    for name, prop in schema.get("properties", {}).items():
        found.append(Row(prefix + name, kind_of(prop), name in required, prop.get("description", "")))
        for inner, suffix in _inline_objects(prop):
            found.extend(rows(inner, f"{prefix}{name}{suffix}."))
    return found


def _inline_objects(prop: dict):
    options = prop.get("oneOf") or prop.get("anyOf") or [prop]
    for option in options:
        if option.get("properties"):
            yield option, ""
        elif option.get("type") == "array" and option.get("items", {}).get("properties"):
            yield option["items"], "[]"


def operations(spec: dict) -> list[dict]:
    """The operations grouped by their first tag, in the document's order of tags."""
    def group(name: str, description: str = "") -> dict:
        return {"name": name.replace(" ", "-"), "title": TAG_TITLES.get(name, name), "description": description,
                "operations": []}

    groups = {tag["name"]: group(tag["name"], tag.get("description", "")) for tag in spec.get("tags", [])}
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            if method in METHODS:
                tag = (op.get("tags") or ["public"])[0]
                groups.setdefault(tag, group(tag))["operations"].append(_operation(path, method, op))
    return [g for g in groups.values() if g["operations"]]


def _operation(path: str, method: str, op: dict) -> dict:
    security = op.get("security")
    body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    return {
        "id": op.get("operationId") or f"{method}-{path}", "method": method.upper(), "path": path,
        "summary": op.get("summary", ""), "description": op.get("description", ""),
        "scopes": None if security is None else [s for req in security for s in req.get("token", [])],
        "parameters": [{"name": p["name"], "where": WHERE.get(p["in"], p["in"]), "kind": kind_of(p["schema"]),
                        "required": p.get("required", False), "description": p.get("description", "")}
                       for p in op.get("parameters", []) if p["name"] not in COMMON_HEADERS],
        "body": None if body is None else {"kind": kind_of(body), "rows": rows(body)},
        "responses": [{"status": status, "description": answer.get("description", ""),
                       "types": [(media, kind_of(content["schema"])) for media, content in
                                 answer.get("content", {}).items() if "schema" in content],
                       "headers": list(answer.get("headers", {}))}
                      for status, answer in op.get("responses", {}).items()],
    }


@bp.app_template_filter("breakable")
def breakable(text) -> Markup:
    """Identifiers and paths with a line-break opportunity after each / . and _ (long ones fit a phone)."""
    return Markup(re.sub(r"([/._])", r"\1<wbr>", str(escape(text))))


@bp.get("/api")
def index():
    spec = document(g.lang)
    config = current_app.config
    schemas = [{"name": name, "kind": kind_of(schema), "description": schema.get("description", ""),
                "rows": rows(schema)} for name, schema in spec["components"]["schemas"].items()]
    return render_template(
        "api_docs/index.html", spec=spec, groups=operations(spec), schemas=schemas,
        scopes=[(scope, label, WHO_MAY_HOLD.get(scope, "")) for scope, (_may, label) in SCOPES.items()],
        error_codes=ERROR_CODES, token_limit=config["API_TOKEN_RATE_LIMIT"],
        address_limit=config["API_ADDRESS_RATE_LIMIT"], window=config["API_RATE_WINDOW_SECONDS"])
