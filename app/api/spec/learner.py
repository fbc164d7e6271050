"""OpenAPI part: the token owner's own data (scope learning:read; /me with any scope)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.api.spec.common import DATETIME, nullable, obj, path_param, read, ref
from app.api.spec.public import CERTIFICATE
from app.i18n import LANGUAGES

ENROLMENT = obj(["id", "status", "waitlist_position", "session", "course", "provider"], {
    "id": {"type": "integer"},
    "status": {"type": "string", "enum": ["pending", "confirmed", "waitlisted", "declined", "cancelled",
                                          "completed", "not_completed"]},
    "waitlist_position": nullable("integer", description=_l("1 = next to get a seat; null unless waitlisted")),
    "created_at": DATETIME, "confirmed_at": nullable("string", format="date-time"),
    "cancelled_at": nullable("string", format="date-time"), "outcome_at": nullable("string", format="date-time"),
    "session": ref("Session"),
    "course": obj(["id", "title"], {"id": {"type": "integer"}, "title": ref("Bilingual")}),
    "provider": obj(["id", "name"], {"id": {"type": "integer"}, "name": ref("Bilingual")})})
HELD = {**CERTIFICATE, "required": [*CERTIFICATE["required"], "public", "renewed_by"],
        "properties": {**CERTIFICATE["properties"], "public": {"type": "boolean"},
                       "renewed_by": nullable("string", description=_l("The id of the certificate that renewed it"))}}
SCOPE_NAMES = ["learning:read", "provider:read", "provider:write", "exchanges:read", "exchanges:write",
               "reports:read"]
ME = obj(["id", "preferred_language", "token"], {
    "id": {"type": "integer"}, "preferred_language": {"type": "string", "enum": list(LANGUAGES)},
    "token": obj(["name", "scopes", "usable_scopes", "expires_at"], {
        "name": {"type": "string"},
        "scopes": {"type": "array", "items": {"type": "string", "enum": SCOPE_NAMES}},
        "usable_scopes": {"type": "array", "items": {"type": "string", "enum": SCOPE_NAMES},
                          "description": _l("The token's scopes that its owner's roles still allow")},
        "expires_at": nullable("string", format="date-time")})})

SCHEMAS = {"Enrolment": ENROLMENT, "HeldCertificate": HELD, "Me": ME}


def paths() -> dict:
    items = lambda name: obj(["items"], {"items": {"type": "array", "items": ref(name)}})  # noqa: E731
    return {
        "/api/v1/me": {"get": read(_l("The token's owner and the token's scopes"), ref("Me"), scope="any")},
        "/api/v1/me/enrolments": {"get": read(_l("My enrolments, with waitlist places"), items("Enrolment"),
                                              scope="learning:read")},
        "/api/v1/me/enrolments/{id}": {"get": read(
            _l("One of my enrolments (another person's is a 404)"), ref("Enrolment"), [path_param("id")],
            not_found=True, scope="learning:read")},
        "/api/v1/me/certificates": {"get": read(_l("My certificates, public or not"), items("HeldCertificate"),
                                                scope="learning:read")},
    }
