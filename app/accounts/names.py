"""A person's name as they chose to show it, in the reader's language."""
from __future__ import annotations

import unicodedata

from flask import Flask, g
from flask_babel import force_locale
from flask_babel import gettext as _

from app.accounts.models import AccountStatus, NameOrder

# Scripts written without a space between family and given name.
_CJK_PREFIXES = ("CJK ", "HIRAGANA", "KATAKANA", "HANGUL", "IDEOGRAPHIC", "HALFWIDTH KATAKANA")
_CJK_EXTRA = set("々〆ヶヵー・")


def _is_cjk(text: str) -> bool:
    for ch in text:
        if ch.isspace() or ch in _CJK_EXTRA:
            continue
        if not unicodedata.name(ch, "").startswith(_CJK_PREFIXES):
            return False
    return True


def _join(family: str | None, given: str | None, order: NameOrder | str | None) -> str:
    family, given = (family or "").strip(), (given or "").strip()
    if not family or not given:
        return family or given
    first, second = (family, given) if order == NameOrder.FAMILY_FIRST else (given, family)
    separator = "" if _is_cjk(first) and _is_cjk(second) else " "
    return f"{first}{separator}{second}"


def display_name(user, lang: str) -> str:
    """山田太郎 in a Japanese page, Taro Yamada (or Yamada Taro, as chosen) in an English one; the
    native-script name when there is no Latin one and the reverse; then the email's local part; never
    empty."""
    native = _join(user.family_name, user.given_name, user.name_order)
    latin = _join(user.family_name_latin, user.given_name_latin, user.name_order)
    name = (native or latin) if lang == "ja" else (latin or native)
    if name:
        return name
    email = (user.email or "").strip()
    local = email.rpartition("@")[0] or email
    if local:
        return local
    with force_locale(lang):
        if user.status == AccountStatus.DELETED:
            return _("Deleted account")
        return _("Unnamed person")


def person_name(user, lang: str | None = None) -> str:
    """Jinja filter: `{{ user|person_name }}` in the language being rendered (also inside a mail)."""
    if user is None:
        return ""
    return display_name(user, lang or g.get("lang") or "en")


def register_filters(app: Flask) -> None:
    app.jinja_env.filters["person_name"] = person_name
