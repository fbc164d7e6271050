"""Error pages in the reader's language, with no stack trace; JSON problems under /api."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Flask, g, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from app.api.problems import problem
from app.i18n import best_language, language_from_path, use_language
from app.platform.extensions import db, login_manager

PAGES = {400, 403, 404, 405, 413, 429, 500, 503}
RETRY_AFTER_SECONDS = 30  # what a 503 for a database that does not answer asks clients to wait



def error_page(code: int, description: str | None = None):
    if request.path.startswith("/api/"):
        return problem(code)
    # /ja/no-such-page matched no route, so no prefix was taken: read it from the path.
    use_language(language_from_path() or best_language())
    template = f"errors/{code}.html" if code in PAGES else "errors/generic.html"
    return render_template(template, code=code), code


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        response = error_page(error.code or 500, error.name)
        if error.code == 405 and not request.path.startswith("/api/"):
            return response[0], 405, {"Allow": ", ".join(error.valid_methods or [])}
        return response

    @app.errorhandler(UnicodeDecodeError)
    def undecodable(_error):
        # A query string of raw bytes that are not UTF-8: the client's fault, not ours.
        return error_page(400, "Bad Request")

    @app.errorhandler(sa.exc.OperationalError)
    @app.errorhandler(sa.exc.InterfaceError)
    @app.errorhandler(sa.exc.DisconnectionError)
    def database_unavailable(error: Exception):
        # The database does not answer (down, unreachable, its file missing, its lock held too long):
        # a temporary state, said as such, with nothing on the page that would ask the database again.
        app.logger.error("database unavailable on %s: %s", request.path, error)
        _forget_session()
        g._login_user = login_manager.anonymous_user()
        response = error_page(503)
        if isinstance(response, tuple):
            response = app.make_response(response)
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        app.logger.exception("unhandled error on %s", request.path)
        _forget_session()
        return error_page(500, InternalServerError().name)


def _forget_session() -> None:
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - a connection that is gone cannot roll back; it is discarded
        db.session.close()
