"""Jinja filters and globals: content fields in the reader's language, formats, language links."""
from __future__ import annotations

from babel.lists import format_list
from flask import Flask, g, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape

from app.i18n import fields, formatting, other_language, stamps
from app.i18n.countries import country_name, language_name
from app.i18n.when import format_session_time, session_time
from app.i18n.zones import reader_zone


def current_lang() -> str:
    return g.get("lang") or "en"


def field_text(obj, field: str) -> str:
    """Plain text for titles and attributes; falls back to the other language silently."""
    return fields.text(obj, field, current_lang())


def localized(obj, field: str, multiline: bool = False) -> Markup:
    """The field in the reader's language; in the other language with a visible marker if that is all
    there is; the `lang` attribute set so screen readers and fonts pick the right language."""
    value, lang = fields.pick(obj, field, current_lang())
    if value is None:
        return Markup("")
    text = escape(value)
    if multiline:
        text = Markup("<br>").join(escape(line) for line in value.splitlines())
    if lang == current_lang():
        return text
    marker = _("English only") if lang == "en" else _("Japanese only")
    return Markup('<span lang="{lang}">{text}</span> <span class="lang-marker">{marker}</span>').format(
        lang=lang, text=text, marker=marker
    )


def same_page_url(lang: str) -> str:
    """This page in another language, with its query string."""
    endpoint = request.endpoint
    if not endpoint or not request.url_rule or "lang_code" not in request.url_rule.arguments:
        return url_for("home.index", lang_code=lang)
    args = dict(request.view_args or {})
    args["lang_code"] = lang
    url = url_for(endpoint, **args)
    # The query string comes along (filters stay set), unless it is absurdly long.
    if request.query_string and len(request.query_string) <= 2000:
        url += "?" + request.query_string.decode("latin-1")
    return url


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        localized=localized,
        field_text=field_text,
        day=lambda v: formatting.format_day(v, current_lang()) if v else "",
        number=lambda v: formatting.format_number(v, current_lang()),
        country=lambda c: country_name(c, current_lang()),
        language_name=lambda c: language_name(c, current_lang()),
        list_join=lambda items: format_list(list(items), locale=formatting.babel_locale(current_lang())),
    )
    stamps.register(app)  # stamp, reader_day, day_span: moments in the reader's zone, ISO dates localised

    @app.context_processor
    def i18n_globals():
        lang = current_lang()
        zone = reader_zone(lang)
        return {
            "current_lang": lang,
            "other_lang": other_language(lang),
            "same_page_url": same_page_url,
            "money": lambda amount, currency: formatting.format_money(amount, currency, lang, _("Free")),
            # Every session time on a page: the venue's clock, and the reader's when it differs.
            "when": lambda s: session_time(s, lang, zone),
            "day_when": lambda s, start, end: format_session_time([(start, end)], s.timezone, lang, zone),
        }
