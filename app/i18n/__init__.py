"""Languages: the /<lang>/ URL prefix, locale selection, and formatting for templates."""
from __future__ import annotations

from flask import Flask, g, request
from flask_babel import refresh
from werkzeug.routing import BaseConverter

LANGUAGES = ("en", "ja")
COOKIE = "lang"


def other_language(lang: str) -> str:
    """The site's other language: the one a page offers besides `lang`."""
    return next(x for x in LANGUAGES if x != lang)


class LangConverter(BaseConverter):
    """Only the supported prefixes match, so /fr/... is a plain 404."""

    regex = "(?:" + "|".join(LANGUAGES) + ")"


def best_language() -> str:
    """For pages outside the prefix (/, /healthz, errors): cookie, then Accept-Language, then English."""
    chosen = request.cookies.get(COOKIE)
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or "en"


def language_from_path() -> str | None:
    """The /<lang>/ prefix of this request's path, also when no route matched (a 404 under /ja/)."""
    prefix = request.path.split("/", 2)[1]
    return prefix if prefix in LANGUAGES else None


def use_language(lang: str) -> None:
    """Read this request in `lang`. Flask-Babel caches the locale on `g`, which outlives a request
    when an app context is already pushed (tests, commands): drop that cache so it follows."""
    g.lang = lang
    refresh()


def select_locale() -> str:
    lang = g.get("lang")
    if lang:
        return lang
    try:
        return best_language()
    except RuntimeError:  # outside a request (CLI, mail): English
        return "en"


def init_app(app: Flask) -> None:
    app.config["LANGUAGES"] = LANGUAGES  # for the platform below, which may not import i18n
    app.url_map.converters["lang"] = LangConverter

    @app.url_value_preprocessor
    def take_lang(_endpoint, values):
        if values and "lang_code" in values:
            use_language(values.pop("lang_code"))

    @app.url_defaults
    def add_lang(endpoint, values):
        if "lang_code" in values or not g.get("lang"):
            return
        if app.url_map.is_endpoint_expecting(endpoint, "lang_code"):
            values["lang_code"] = g.lang

    @app.after_request
    def remember_lang(response):
        # Remember the language of the last page read, so "/" opens in it next time; only a language
        # the reader chose in the URL, not one guessed for an error page outside the prefix.
        lang = g.get("lang")
        if lang and lang == language_from_path() and request.cookies.get(COOKIE) != lang:
            response.set_cookie(COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
        return response

    from app.i18n import filters

    filters.init_app(app)
