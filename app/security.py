"""Response headers for every page, and a nonce for the rare inline script."""
from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from flask import Flask, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError

from app.platform.redirects import safe_next


def csp_nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def init_app(app: Flask) -> None:
    app.jinja_env.globals["csp_nonce"] = csp_nonce

    @app.errorhandler(CSRFError)
    def form_expired(error):
        """A form sent without a valid token (expired, or from another site) changes nothing. A person
        in a browser is sent back to the page with a word on why; other clients get a plain 400."""
        if request.path.startswith("/api/") or not g.get("lang"):
            from app.errors import error_page

            return error_page(400, "Bad Request")
        flash(_("The form had expired, so nothing was saved. Please try again."), "error")
        return redirect(_page_to_retry() or url_for("home.index")), 303

    @app.after_request
    def headers(response):
        script = "'self'" + (f" 'nonce-{g.csp_nonce}'" if "csp_nonce" in g else "")
        response.headers.setdefault(
            "Content-Security-Policy",
            f"default-src 'self'; script-src {script}; style-src 'self'; img-src 'self' data:; "
            "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            "frame-ancestors 'none'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if app.config.get("HSTS_SECONDS"):  # production only: a plain-HTTP local site must stay reachable
            response.headers.setdefault("Strict-Transport-Security",
                                        f"max-age={int(app.config['HSTS_SECONDS'])}; includeSubDomains")
        return response


def _page_to_retry() -> str | None:
    """The page the form was on: this address when it also answers GET, else the local referrer."""
    rule = request.url_rule
    if rule is not None and "GET" in (rule.methods or ()):
        return safe_next(request.full_path.rstrip("?"))
    try:
        referrer = urlsplit(request.referrer or "")
    except ValueError:
        return None
    if referrer.netloc != request.host:
        return None
    return safe_next(referrer.path + (f"?{referrer.query}" if referrer.query else ""))
