"""The public verification page of a certificate, and the form to look one up or check a credential.

Unknown, private and malformed ids all get one and the same 404 page (saying that no public certificate has
the id, and why that may be, with the form again), so a page that exists but is off cannot be told from one
that never existed; lookups are rate-limited per client address."""
from __future__ import annotations

import re
import unicodedata

from flask import Blueprint, current_app, make_response, redirect, render_template, request, url_for

from app.certifications import display, queries, signing
from app.certifications.credential import check_pasted
from app.certifications.permissions import is_public
from app.certifications.printable import render_printable
from app.i18n import other_language
from app.i18n.filters import current_lang
from app.platform import ratelimit
from app.platform.database import utcnow, write_transaction
from app.platform.extensions import db

bp = Blueprint("verify", __name__, url_prefix="/<lang:lang_code>/verify")

LOOKUPS_PER_MINUTE = 30
MAX_PASTE = signing.MAX_TOKEN_CHARS * 2  # the JWT, or the credential endpoint's JSON holding it
_IN_LINK = re.compile(r"/(?:verify|credentials)/([A-Za-z0-9_-]+)")


def _client_address() -> str:
    return (request.remote_addr or "unknown")[:60]


def _headers(response):
    response.headers["X-Robots-Tag"] = "noindex"
    response.headers["Cache-Control"] = "no-store"  # turning the page off must take effect at once
    return response


def _not_found():
    """The same page, byte for byte, whatever id was asked for: nothing of the address is echoed
    (the language links of the page header would otherwise repeat it)."""
    request.url_rule = None
    return _headers(make_response(render_template("verify/not_found.html"), 404))


def _over_limit():
    """A 429 page when this address has looked up too much this minute, else None."""
    limit = current_app.config.get("VERIFY_LOOKUPS_PER_MINUTE", LOOKUPS_PER_MINUTE)
    db.session.commit()  # end the read transaction: the counter's write takes the lock first
    with write_transaction():
        verdict = ratelimit.hit(f"verify:{_client_address()}", limit, 60)
        db.session.commit()
    if verdict.allowed:
        return None
    request.url_rule = None  # as for the 404: one page, whatever was asked for
    response = make_response(render_template("errors/429.html", code=429), 429)
    response.headers["Retry-After"] = str(verdict.retry_after)
    return _headers(response)


def _look_up(public_id: str):
    """(the public certificate, None), or (None, the page to answer with: too many lookups, or not found)."""
    limited = _over_limit()
    if limited:
        return None, limited
    certificate = queries.get_certificate(public_id)
    if certificate is None or not is_public(certificate):
        return None, _not_found()
    return certificate, None


def extract_id(text: str | None) -> str | None:
    """A public id from what was typed or pasted: the id itself or a whole share link."""
    if not text or len(text) > 2000:
        return None
    text = unicodedata.normalize("NFKC", text).strip()
    found = _IN_LINK.search(text)
    candidate = found.group(1) if found else text
    return candidate if queries.is_public_id(candidate) else None


def _printable(text: str | None) -> str:
    """What was typed, shown back in the box: short, without control characters."""
    return "".join(ch for ch in (text or "")[:200] if ch.isprintable())


@bp.route("", methods=["GET", "POST"])
def form():
    typed = request.args.get("id")
    if typed is not None:
        public_id = extract_id(typed)
        if public_id:
            return redirect(url_for("verify.certificate", public_id=public_id), 303)
    pasted, verdict = None, None
    if request.method == "POST":
        pasted = (request.form.get("credential") or "").strip()
        if pasted and len(pasted) <= MAX_PASTE:
            limited = _over_limit()
            if limited:
                return limited
            verdict = check_pasted(pasted)
    return _headers(make_response(render_template(
        "verify/form.html", typed=_printable(typed), id_error=typed is not None,
        pasted=pasted if pasted and len(pasted) <= MAX_PASTE else "",
        verdict=verdict, paste_error=pasted is not None and verdict is None,
        is_public=is_public,
    )))


@bp.get("/<path:public_id>")
def certificate(public_id: str):
    cert, refusal = _look_up(public_id)
    if refusal is not None:
        return refusal
    lang, now = current_lang(), utcnow()
    successor = queries.get_successor(cert)
    return _headers(make_response(render_template(
        "verify/certificate.html", certificate=cert, s=display.statement(cert, lang, now),
        o=display.statement(cert, other_language(lang), now), successor=successor,
        successor_public=successor is not None and is_public(successor),
    )))


@bp.get("/<public_id>/print")
def printable(public_id: str):
    cert, refusal = _look_up(public_id)
    if refusal is not None:
        return refusal
    return _headers(render_printable(cert, for_holder=False))
