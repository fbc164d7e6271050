"""Languages: the /<lang>/ URL prefix, locale selection, and formatting for templates."""
from __future__ import annotations

from flask import Flask, g, request
from werkzeug.routing import BaseConverter

LANGUAGES = ("en", "ja")
COOKIE = "lang"


class LangConverter(BaseConverter):
    """Only the supported prefixes match, so /fr/... is a plain 404."""

    regex = "(?:en|ja)"


def best_language() -> str:
    """For pages outside the prefix (/, /healthz, errors): cookie, then Accept-Language, then English."""
    chosen = request.cookies.get(COOKIE)
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or "en"


def select_locale() -> str:
    lang = g.get("lang")
    if lang:
        return lang
    try:
        return best_language()
    except RuntimeError:  # outside a request (CLI, mail): English
        return "en"


def init_app(app: Flask) -> None:
    app.url_map.converters["lang"] = LangConverter

    @app.url_value_preprocessor
    def take_lang(_endpoint, values):
        if values and "lang_code" in values:
            g.lang = values.pop("lang_code")

    @app.url_defaults
    def add_lang(endpoint, values):
        if "lang_code" in values or not g.get("lang"):
            return
        if app.url_map.is_endpoint_expecting(endpoint, "lang_code"):
            values["lang_code"] = g.lang

    @app.after_request
    def remember_lang(response):
        # Remember the language of the last page read, so "/" opens in it next time.
        lang = g.get("lang")
        if lang and request.cookies.get(COOKIE) != lang:
            response.set_cookie(COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
        return response

    from app.i18n import filters

    filters.init_app(app)
