"""Authenticated reads of the token owner's own data: who they are, their enrolments and certificates.

The same queries and predicates as /<lang>/me and /<lang>/certificates: another person's enrolment is a
404, as it is on the HTML pages."""
from __future__ import annotations

from flask import abort, g

from app.api import serializers
from app.api.auth import SCOPES, requires, scopes_for
from app.api.routes import bp, reply
from app.certifications.queries import list_holder_certificates
from app.enrolment import queries as enrolments
from app.enrolment.permissions import can_view_enrolment
from app.platform.database import utcnow

PRIVATE = "private, no-cache"


@bp.get("/me")
@requires(None)
def me():
    user, token = g.api_user, g.api_token
    allowed = set(scopes_for(user))
    return reply({"id": user.id, "preferred_language": user.preferred_language,
                  "token": {"name": token.name, "scopes": [s for s in SCOPES if s in token.scope_set],
                            "usable_scopes": [s for s in SCOPES if s in token.scope_set and s in allowed],
                            "expires_at": serializers.when(token.expires_at)}}, cache=PRIVATE)


@bp.get("/me/enrolments")
@requires("learning:read")
def my_enrolments():
    placed = enrolments.list_learner_enrolments(g.api_user.id)
    return reply({"items": [serializers.enrolment(p.enrolment, p.position) for p in placed]}, cache=PRIVATE)


@bp.get("/me/enrolments/<int(max=2147483647):enrolment_id>")
@requires("learning:read")
def my_enrolment(enrolment_id: int):
    enrolment = enrolments.get_enrolment(enrolment_id)
    if enrolment is None or not can_view_enrolment(g.api_user, enrolment):
        abort(404)
    return reply(serializers.enrolment(enrolment, enrolments.waitlist_position(enrolment)), cache=PRIVATE)


@bp.get("/me/certificates")
@requires("learning:read")
def my_certificates():
    now = utcnow()
    held = list_holder_certificates(g.api_user.id)
    return reply({"items": [{**serializers.certificate(h.certificate, now), "public": bool(h.certificate.public),
                             "renewed_by": h.renewed_by.public_id if h.renewed_by else None} for h in held]},
                 cache=PRIVATE)
