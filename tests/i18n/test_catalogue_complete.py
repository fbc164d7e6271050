"""The Japanese catalogue is complete: no empty, fuzzy or copied entry, placeholders kept, and every string
marked for translation under app/ present."""
from __future__ import annotations

import os
import re
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file

from tests.i18n.helpers import PLACEHOLDER, ROOT, entries, forms, japanese_catalogue


def test_catalogue_has_entries_and_japanese_plural_rule():
    catalogue = japanese_catalogue()
    assert len(entries()) > 50
    assert catalogue.num_plurals == 1
    assert catalogue.plural_expr.strip() == "0"
    assert not catalogue.fuzzy, "the header is marked fuzzy"


def test_no_empty_or_fuzzy_entry():
    bad = []
    for message in entries():
        if message.fuzzy:
            bad.append(("fuzzy", message.id))
        strings = forms(message.string)
        if not strings or not all(s and s.strip() for s in strings):
            bad.append(("empty", message.id))
    assert bad == []


def test_placeholders_are_kept():
    bad = []
    for message in entries():
        expected = {p for text in forms(message.id) for p in PLACEHOLDER.findall(text)}
        for text in forms(message.string):
            if set(PLACEHOLDER.findall(text)) != expected:
                bad.append((message.id, text))
    assert bad == []


# Entries whose Japanese is deliberately the English text (brand names); anything else with a msgstr equal
# to its msgid is an untranslated string copied over.
SAME_IN_JAPANESE = {"Battery Talent Bridge"}


def test_identical_translations_are_deliberate():
    copied = [m.id for m in entries()
              if forms(m.string) == forms(m.id)[:1] and re.search("[A-Za-z]", forms(m.id)[0])
              and m.id not in SAME_IN_JAPANESE]
    assert copied == []


def test_babel_finds_no_format_error():
    problems = [(message.id, [str(e) for e in errors]) for message, errors in japanese_catalogue().check()]
    assert problems == []


def _marked_strings() -> dict[str, str]:
    """Every string marked for translation under app/, walking every folder (also _macros/).

    Python code, HTML templates and the plain-text mail templates (app/templates/mail/*.txt), which
    babel.cfg also extracts as jinja2.
    """
    keywords = dict(DEFAULT_KEYWORDS, _l=None)
    found: dict[str, str] = {}
    for folder, dirs, files in os.walk(ROOT / "app"):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in files:
            path = Path(folder) / name
            method = {".py": "python", ".html": "jinja2", ".txt": "jinja2"}.get(path.suffix)
            if method is None:
                continue
            for _line, message, _comments, _context in extract_from_file(method, str(path), keywords=keywords):
                msgid = message[0] if isinstance(message, tuple) else message
                found.setdefault(msgid, str(path.relative_to(ROOT)))
    return found


def test_every_marked_string_is_in_the_japanese_catalogue():
    known = {forms(m.id)[0] for m in entries()}
    marked = _marked_strings()
    assert len(marked) > 50
    assert any(where.endswith(".txt") for where in marked.values()), "mail templates (.txt) were not read"
    missing = sorted((where, msgid) for msgid, where in marked.items() if msgid not in known)
    assert missing == [], "run `flask translate update` and translate the new strings"

