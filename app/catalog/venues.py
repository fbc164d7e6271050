"""Where a session takes place, in the reader's language, and a link to it on a map."""
from __future__ import annotations

from urllib.parse import urlencode

from flask_babel import gettext as _

from app.i18n.countries import country_name
from app.i18n.fields import pick

MAP_SEARCH = "https://www.openstreetmap.org/search?"


def place(city: str | None, country: str | None, lang: str) -> str:
    """"Osaka, Japan" / "大阪(日本)"; the country alone without a city."""
    name = country_name(country, lang)
    return _("%(city)s, %(country)s", city=city, country=name) if city else name


def organisation_place(org, lang: str) -> str:
    """An organisation's city (in the reader's language, else the other) and country."""
    return place(pick(org, "city", lang)[0], org.country, lang)


def venue_place(session, lang: str) -> str:
    """The session's city and country, or "Online"."""
    if session.online:
        return _("Online")
    return place(pick(session, "venue_city", lang)[0], session.venue_country, lang)


def venue_address(session, lang: str) -> str | None:
    """The street address in the reader's language (else the other one); none for online sessions."""
    return None if session.online else pick(session, "venue_address", lang)[0]


def map_url(session) -> str | None:
    """A map search for the address, written as the venue's own country writes it (Japanese in Japan):
    that is the form map sites find. A plain link: nothing is loaded from the map site."""
    local = "ja" if session.venue_country == "JP" else "en"
    address = venue_address(session, local)
    if not address:
        return None
    city = pick(session, "venue_city", local)[0]
    query = ", ".join(x for x in (address, city if city and city not in address else None,
                                  country_name(session.venue_country, "en")) if x)
    return MAP_SEARCH + urlencode({"query": query})
