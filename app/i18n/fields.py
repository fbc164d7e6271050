"""Content stored in both languages (`title_en`, `title_ja`): read in one language, or in both.

The one place that knows the `<field>_<lang>` naming. A source is a model (attributes) or the facts frozen
on a certificate (a dict); an empty string counts as missing."""
from __future__ import annotations

from app.i18n import LANGUAGES


def _value(source, key: str):
    if isinstance(source, dict):
        return source.get(key)
    return getattr(source, key, None)


def pick(source, field: str, lang: str) -> tuple[str | None, str | None]:
    """(text, the language it is in): `lang` first, else the other language; (None, None) if neither."""
    for candidate in (lang, *[x for x in LANGUAGES if x != lang]):
        value = _value(source, f"{field}_{candidate}")
        if value:
            return value, candidate
    return None, None


def text(source, field: str, lang: str) -> str:
    """The text in `lang`, else in the other language, else ""."""
    return pick(source, field, lang)[0] or ""


def both(source, field: str) -> dict:
    """{"en": ..., "ja": ...}, None where missing (the API and open data)."""
    return {lang: (_value(source, f"{field}_{lang}") or None) for lang in LANGUAGES}


def joined(en: str, ja: str) -> str:
    """Both languages in one string, "English / 日本語"; once when they are the same or there is no Japanese."""
    return en if not ja or ja == en else f"{en} / {ja}"


def one_line(source, field: str) -> str:
    """The field as `joined` text: English (or Japanese if that is all there is), then Japanese."""
    return joined(text(source, field, "en"), _value(source, f"{field}_ja") or "")
