"""The learner's own certificates: the list, one certificate with its share link, QR code and public
switch, its printable copy and its QR code as an SVG file. Only the holder sees these pages."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.certifications import queries, services
from app.certifications.display import statement
from app.certifications.permissions import is_holder, is_public
from app.certifications.printable import render_printable
from app.certifications.qr import qr_markup, qr_svg, verify_url
from app.i18n import other_language
from app.i18n.filters import current_lang
from app.platform.database import utcnow
from app.platform.extensions import db

bp = Blueprint("certs", __name__, url_prefix="/<lang:lang_code>/me/certificates")


def _own(public_id: str):
    certificate = queries.get_certificate(public_id)
    if certificate is None or not is_holder(current_user, certificate):
        abort(404)
    return certificate


def _private(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/")
@login_required
def index():
    now, lang = utcnow(), current_lang()
    held = queries.list_holder_certificates(current_user.id)
    return _private(make_response(render_template(
        "certs/index.html", held=held, statements={h.certificate.id: statement(h.certificate, lang, now)
                                                   for h in held})))


@bp.get("/<public_id>")
@login_required
def detail(public_id: str):
    certificate = _own(public_id)
    lang, now = current_lang(), utcnow()
    link = verify_url(certificate, lang)
    successor = queries.get_successor(certificate)
    return _private(make_response(render_template(
        "certs/detail.html", certificate=certificate, s=statement(certificate, lang, now),
        o=statement(certificate, other_language(lang), now),
        share_link=link, public=is_public(certificate), successor=successor,
        qr=qr_markup(link, _("QR code: link to the verification page of this certificate")),
    )))


@bp.post("/<public_id>/visibility")
@login_required
def visibility(public_id: str):
    certificate = _own(public_id)
    wanted = request.form.get("public")
    if wanted not in ("on", "off"):
        abort(400)
    services.set_public(certificate, wanted == "on")
    db.session.commit()
    if wanted == "on":
        flash(_("The public page of this certificate is on: anyone with its link can check it."), "success")
    else:
        flash(_("The public page of this certificate is off: its link now finds nothing."), "success")
    return redirect(url_for("certs.detail", public_id=certificate.public_id), 303)


@bp.get("/<public_id>/print")
@login_required
def printable(public_id: str):
    return render_printable(_own(public_id), for_holder=True)


@bp.get("/<public_id>/qr.svg")
@login_required
def qr(public_id: str):
    certificate = _own(public_id)
    body = qr_svg(verify_url(certificate, current_lang()),
                  _("QR code: link to the verification page of this certificate"), standalone=True)
    return Response(body, content_type="image/svg+xml; charset=utf-8", headers={
        "Cache-Control": "no-store",
        "Content-Disposition": f'inline; filename="certificate-{certificate.public_id}-qr.svg"'})
