"""/<lang>/privacy, /<lang>/terms and /<lang>/legal: one full text per language, chosen by the URL."""
from __future__ import annotations

from flask import Blueprint, g, render_template

from app.legal import CONSENT_DATE, CONSENT_VERSION

bp = Blueprint("legal", __name__, url_prefix="/<lang:lang_code>")


def _page(name: str):
    # Long legal prose reads better written whole in each language than cut into gettext strings.
    return render_template(
        f"legal/{name}.{g.lang}.html", page=name, version=CONSENT_VERSION, version_date=CONSENT_DATE
    )


@bp.get("/privacy")
def privacy():
    return _page("privacy")


@bp.get("/terms")
def terms():
    return _page("terms")


@bp.get("/legal")
def notice():
    return _page("notice")
