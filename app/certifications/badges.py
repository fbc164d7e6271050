"""Open Badges endpoints, outside /<lang>/, JSON only, GET only:

- /api/v1/issuer: the issuer Profile;
- /.well-known/jwks.json: the public keys, retired ones included;
- /api/v1/credentials/<public_id>: a public certificate's signed credential (compact JWT with
  `Accept: application/vc+jwt` or `?format=jwt`; else JSON {"credential": ..., "jwt": ...});
- /api/v1/credentials/<public_id>/status: its 1EdTech revocation list (answers for any existing id, so a
  holder hiding their page does not make a credential they shared look fake; it tells only revoked or not).

An unknown and a private certificate get the same 404 problem, byte for byte. Errors under /api are JSON
(app/errors.py); the ones under /.well-known are made JSON here.
"""
from __future__ import annotations

import json

from flask import Blueprint, Response, abort, request

from app.certifications import credential as credentials
from app.certifications import queries, signing
from app.certifications.models import CertificateStatus
from app.certifications.permissions import is_public
from app.platform.database import utcnow
from app.platform.extensions import db
from app.platform.lookup import found

bp = Blueprint("badges", __name__)

SHORT_CACHE = "public, max-age=300"
JWT_TYPE = "application/vc+jwt"


def _json(document, *, cache: str = "no-store", content_type: str = "application/json", status: int = 200):
    body = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    response = Response(body, status=status, content_type=f"{content_type}; charset=utf-8")
    response.headers["Cache-Control"] = cache
    # Verifiers run in other sites' pages; nothing here depends on cookies.
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _cached(document, content_type: str = "application/json"):
    response = _json(document, cache=SHORT_CACHE, content_type=content_type)
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/api/v1/issuer")
def issuer():
    profile = {"@context": [credentials.VC_CONTEXT, credentials.OB_CONTEXT], **credentials.issuer_profile()}
    return _cached(profile, "application/ld+json")


@bp.get("/.well-known/jwks.json")
def jwks():
    signing.current_key()  # a fresh site publishes its first key before it signs anything
    document = signing.jwks()
    db.session.commit()  # (the key is made in a transaction of its own; this ends the read one)
    return _cached(document, "application/jwk-set+json")


def _public_or_404(public_id: str):
    certificate = queries.get_certificate(public_id)
    if certificate is None or not is_public(certificate):
        abort(404)  # the same JSON problem for unknown, private and malformed ids
    return certificate


def _wants_jwt() -> bool:
    if request.args.get("format") == "jwt":
        return True
    # JSON first: "*/*" (a browser, curl) gets JSON; only a client asking for the JWT gets it.
    return request.accept_mimetypes.best_match(["application/json", JWT_TYPE]) == JWT_TYPE


@bp.get("/api/v1/credentials/<public_id>")
def credential(public_id: str):
    certificate = _public_or_404(public_id)
    token = credentials.jwt_for(certificate)
    db.session.commit()  # as in jwks(): nothing of the request's own to save
    if _wants_jwt():
        response = Response(token, content_type=JWT_TYPE)
        response.headers["Cache-Control"] = "no-store"  # turning the page off takes effect at once
        response.headers["Access-Control-Allow-Origin"] = "*"
    else:
        response = _json({"credential": credentials.credential(certificate), "jwt": token})
    response.headers["Vary"] = "Accept"
    return response


@bp.get("/api/v1/credentials/<public_id>/status")
def status(public_id: str):
    certificate = found(queries.get_certificate(public_id))
    now = utcnow()
    revoked = certificate.status == CertificateStatus.REVOKED
    cred_id = credentials.credential_id(certificate.public_id)
    entry = {"id": cred_id, "revoked": True}
    if revoked and certificate.revoked_at is not None:
        entry["revokedAt"] = credentials.timestamp(certificate.revoked_at)
    document = {
        "id": credentials.status_id(certificate.public_id),
        "type": credentials.STATUS_TYPE,
        "issuer": credentials.issuer_id(),
        "revokedCredentials": [entry] if revoked else [],
        # The same, for readers that do not speak the revocation list format.
        "credential": cred_id,
        "status": certificate.state(now),
        "revoked": revoked,
        "revokedAt": entry.get("revokedAt"),
        "validUntil": credentials.timestamp(certificate.expires_at) if certificate.expires_at else None,
        "checkedAt": credentials.timestamp(now),
    }
    return _json(document)


# /.well-known is outside /api, where app/errors.py would answer in HTML: its routing errors (404, 405) are
# JSON problems here, answered before any view runs (so no catch-all route takes POSTs).
@bp.before_app_request
def well_known_errors():
    error = request.routing_exception
    if error is None or not request.path.startswith("/.well-known/") or getattr(error, "code", 500) < 400:
        return None
    response = _json({"status": error.code, "title": error.name}, content_type="application/problem+json",
                     status=error.code)
    if error.code == 405:
        response.headers["Allow"] = ", ".join(sorted(error.valid_methods or ()))
    return response
