"""The signed-in person's menu: one entry per workspace their roles open, built from the predicates.

Features add their entry with `register(endpoint, text, predicate)` so the header needs no edit.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.routing import BuildError

from app.accounts.permissions import is_signed_in


@dataclass(frozen=True)
class Entry:
    endpoint: str
    text: object
    predicate: Callable


ENTRIES: list[Entry] = [Entry("accounts.overview", _l("My account"), is_signed_in)]


def register(endpoint: str, text, predicate: Callable) -> None:
    if all(entry.endpoint != endpoint for entry in ENTRIES):
        ENTRIES.append(Entry(endpoint, text, predicate))


def account_menu() -> list[dict]:
    items = []
    for entry in ENTRIES:
        if not entry.predicate(current_user):
            continue
        try:
            url = url_for(entry.endpoint)
        except BuildError:  # a feature not registered in this app
            continue
        items.append({"url": url, "text": entry.text, "prefix": entry.endpoint.split(".")[0] + "."})
    return items


def init_app(app: Flask) -> None:
    app.jinja_env.globals["account_menu"] = account_menu
