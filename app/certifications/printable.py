"""The printable certificate: an A4 page in one language or both, with the QR code to its public page."""
from __future__ import annotations

from flask import make_response, render_template, request
from flask_babel import gettext as _

from app.certifications.display import statement
from app.certifications.permissions import is_public
from app.certifications.qr import qr_markup, verify_url
from app.i18n import LANGUAGES
from app.i18n.filters import current_lang
from app.platform.database import utcnow

VERSIONS = (*LANGUAGES, "both")


def chosen_version() -> str:
    """?lang_choice=en|ja|both (also ?version=); anything else: the language of the page."""
    asked = request.args.get("lang_choice") or request.args.get("version")
    return asked if asked in VERSIONS else current_lang()


def render_printable(certificate, *, for_holder: bool):
    version = chosen_version()
    langs = LANGUAGES if version == "both" else (version,)
    now = utcnow()
    url = verify_url(certificate, langs[0])
    response = make_response(render_template(
        "certs/printable.html", certificate=certificate, version=version, versions=VERSIONS,
        statements=[statement(certificate, lang, now) for lang in langs], verify_link=url,
        qr=qr_markup(url, _("QR code: link to the verification page of this certificate")),
        public=is_public(certificate), for_holder=for_holder,
    ))
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response
