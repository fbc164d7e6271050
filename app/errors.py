"""Error pages in the reader's language, with no stack trace; JSON problems under /api."""
from __future__ import annotations

import json

import sqlalchemy as sa
from flask import Flask, Response, g, render_template, request
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException, InternalServerError

from app.platform.extensions import db, login_manager
from app.i18n import best_language, language_from_path, use_language

PAGES = {400, 403, 404, 405, 413, 429, 500, 503}
RETRY_AFTER_SECONDS = 30  # what a 503 for a database that does not answer asks clients to wait

# API problems: status -> (stable code, title, detail), in the words of the HTML error pages.
PROBLEMS = {
    400: ("bad_request", _l("Bad request"),
          _l("The request could not be understood. Check the address and try again.")),
    401: ("unauthorized", _l("Sign-in needed"), _l("This needs a valid API token.")),
    403: ("forbidden", _l("Not allowed"), _l("You do not have permission to do this.")),
    404: ("not_found", _l("Page not found"),
          _l("There is no page at this address. It may have moved, or the link may be mistyped.")),
    405: ("method_not_allowed", _l("Method not allowed"), _l("This page cannot be used that way.")),
    409: ("conflict", _l("Conflict"), _l("The record's current state does not allow this.")),
    413: ("too_large", _l("File too large"), _l("What you sent is larger than this site accepts.")),
    415: ("unsupported_media_type", _l("Unsupported media type"), _l("Send the body as application/json.")),
    422: ("invalid", _l("Refused input"), _l("Some of what you sent was refused; see errors.")),
    429: ("rate_limited", _l("Too many requests"), _l("Please wait a moment and try again.")),
    500: ("server_error", _l("Something went wrong"),
          _l("An unexpected error occurred on our side. It has been logged; please try again later.")),
    503: ("unavailable", _l("Temporarily unavailable"),
          _l("The site cannot answer right now. Please try again in a few minutes.")),
}


def problem(status: int, code: str | None = None, detail=None, errors: dict | None = None):
    """An application/problem+json response in the language of Accept-Language (en or ja); `errors`
    maps a field to its messages (lazy strings are put in that language)."""
    from app.i18n import LANGUAGES

    default_code, title, default_detail = PROBLEMS.get(
        status, ("error", _l("Error"), _l("The request could not be completed."))
    )
    lang = request.accept_languages.best_match(LANGUAGES) or "en"
    with force_locale(lang):
        body = {"type": "about:blank", "status": status, "code": code or default_code,
                "title": str(title), "detail": str(detail if detail is not None else default_detail)}
        if errors:
            body["errors"] = {field: [str(m) for m in messages] for field, messages in errors.items()}
    # Readable as sent (not \u escapes): the messages are for people, often in Japanese.
    response = Response(json.dumps(body, ensure_ascii=False), status=status,
                        content_type="application/problem+json")
    response.headers["Content-Language"] = lang
    response.vary.add("Accept-Language")
    return response


def _render(code: int, description: str | None = None):
    if request.path.startswith("/api/"):
        return problem(code)
    # /ja/no-such-page matched no route, so no prefix was taken: read it from the path.
    use_language(language_from_path() or best_language())
    template = f"errors/{code}.html" if code in PAGES else "errors/generic.html"
    return render_template(template, code=code), code


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        response = _render(error.code or 500, error.name)
        if error.code == 405 and not request.path.startswith("/api/"):
            return response[0], 405, {"Allow": ", ".join(error.valid_methods or [])}
        return response

    @app.errorhandler(UnicodeDecodeError)
    def undecodable(_error):
        # A query string of raw bytes that are not UTF-8: the client's fault, not ours.
        return _render(400, "Bad Request")

    @app.errorhandler(sa.exc.OperationalError)
    @app.errorhandler(sa.exc.InterfaceError)
    @app.errorhandler(sa.exc.DisconnectionError)
    def database_unavailable(error: Exception):
        # The database does not answer (down, unreachable, its file missing, its lock held too long):
        # a temporary state, said as such, with nothing on the page that would ask the database again.
        app.logger.error("database unavailable on %s: %s", request.path, error)
        _forget_session()
        g._login_user = login_manager.anonymous_user()
        response = _render(503)
        if isinstance(response, tuple):
            response = app.make_response(response)
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        app.logger.exception("unhandled error on %s", request.path)
        _forget_session()
        return _render(500, InternalServerError().name)


def _forget_session() -> None:
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - a connection that is gone cannot roll back; it is discarded
        db.session.close()
