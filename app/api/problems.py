"""API errors as application/problem+json (RFC 9457), in the language of Accept-Language."""
from __future__ import annotations

import json

from flask import Response, request
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from app.i18n import LANGUAGES

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
