"""Error pages in the reader's language, with no stack trace; JSON problems under /api."""
from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from app.extensions import db
from app.i18n import best_language, language_from_path, use_language

PAGES = {400, 403, 404, 405, 413, 429, 500, 503}


def _render(code: int, description: str | None = None):
    if request.path.startswith("/api/"):
        response = jsonify(status=code, title=description or "error")
        response.status_code = code
        response.content_type = "application/problem+json"
        return response
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

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        app.logger.exception("unhandled error on %s", request.path)
        db.session.rollback()
        return _render(500, InternalServerError().name)
