"""The reader's time zone: whose clock a time is also shown in, beside the venue's."""
from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import g, has_request_context
from flask_login import current_user

# Anonymous readers: /ja/ is read in Japan (日本時間); /en/ mostly in Europe, and Brussels time is what
# the European partners of the cooperation keep.
DEFAULT_ZONES = {"ja": "Asia/Tokyo", "en": "Europe/Brussels"}


def valid_zone(name: str | None) -> str | None:
    if not name:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name


def reader_zone(lang: str | None = None) -> str:
    """The profile's zone when signed in (and set), else the language's default zone."""
    if has_request_context():
        user = current_user
        if user is not None and getattr(user, "is_authenticated", False):
            chosen = valid_zone(getattr(user, "timezone", None))
            if chosen:
                return chosen
        lang = lang or g.get("lang")
    return DEFAULT_ZONES.get(lang or "en", DEFAULT_ZONES["en"])


def person_zone(user, lang: str) -> str:
    """A named person's zone (mail to them, outside their own request): theirs if set, else the language's."""
    return valid_zone(getattr(user, "timezone", None)) or DEFAULT_ZONES.get(lang, DEFAULT_ZONES["en"])
