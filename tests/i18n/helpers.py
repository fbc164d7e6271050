"""Reading the Japanese catalogue (translations/ja/LC_MESSAGES/messages.po) in tests, and finding English UI
strings in a rendered page: the text a reader sees, matched against every English msgid that must not show
on a Japanese page."""
from __future__ import annotations

import re
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "translations" / "ja" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdifr]")


@lru_cache(maxsize=1)
def japanese_catalogue():
    with PO.open("rb") as f:
        return read_po(f, locale="ja")


def forms(value) -> tuple[str, ...]:
    """A message's id or string as a tuple (plural entries have several)."""
    if isinstance(value, (tuple, list)):
        return tuple(value)
    return (value,)


def entries():
    return [m for m in japanese_catalogue() if m.id]



class VisibleText(HTMLParser):
    """The text a reader sees or hears: text nodes, plus the attributes browsers show or read out.

    The language switch, a link to another language's page written in that language
    (`<a hreflang="en" lang="en">English</a>`), is left out. Other elements with a `lang` are kept: their
    labels and headings are still UI text in the reader's language (e.g. the English column of a form).
    """

    SHOWN_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
    # Code (field names, paths, curl commands) reads the same in every language.
    NOT_UI = ("script", "style", "code", "pre")
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self, html: str, page_lang: str = "ja") -> None:  # page_lang: until <html lang> says
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self._skip = 0
        self._page_lang = page_lang
        self._foreign: list[str] = []  # open elements from the language switch down
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in self.NOT_UI:
            self._skip += 1
        if tag == "html" and a.get("lang"):
            self._page_lang = a["lang"].split("-")[0].lower()
        if tag not in self.VOID:
            lang = (a.get("lang") or "").split("-")[0].lower()
            switch = lang and a.get("hreflang") and tag != "html" and lang != self._page_lang
            if self._foreign or switch:
                self._foreign.append(tag)
        if self._foreign:
            return
        for name in self.SHOWN_ATTRIBUTES:
            if a.get(name):
                self.chunks.append(a[name])
        if tag == "meta" and a.get("name") == "description" and a.get("content"):
            self.chunks.append(a["content"])
        if tag == "input" and a.get("type") in ("submit", "button") and a.get("value"):
            self.chunks.append(a["value"])

    def handle_endtag(self, tag):
        if tag in self.NOT_UI and self._skip:
            self._skip -= 1
        if self._foreign and tag in self._foreign:
            while self._foreign and self._foreign.pop() != tag:
                pass

    def handle_data(self, data):
        if not self._skip and not self._foreign and data.strip():
            self.chunks.append(" ".join(data.split()))

    @property
    def text(self) -> str:
        return "\n".join(self.chunks)


def _pattern(msgid: str) -> re.Pattern:
    """The English text with placeholders matching anything on the same line, whole words only."""
    pieces = [re.escape(piece) for piece in PLACEHOLDER.split(msgid)[::2]]
    body = ".+?".join(pieces)
    if msgid[:1].isalnum():
        body = r"(?<![A-Za-z_])" + body  # "_": not "City" in the zone name America/Mexico_City
    if msgid[-1:].isalnum():
        body = body + r"(?![A-Za-z_])"
    return re.compile(body)


@lru_cache(maxsize=1)
def untranslated_signatures() -> tuple[tuple[str, re.Pattern], ...]:
    """English UI strings that must not be seen on a Japanese page.

    Skipped: strings of 3 characters or fewer, strings with fewer than two letters outside their
    placeholders (such as "%(city)s, %(country)s", which would match any comma, or "%(year)s Q%(quarter)s",
    which matched a random authenticator key), strings whose Japanese is the same (a brand name), and
    strings that legitimately appear inside some Japanese translation.
    """
    translated = [s for m in entries() for s in forms(m.string)]
    result = []
    for message in entries():
        strings = forms(message.string)
        for english in forms(message.id):
            if len(english) <= 3 or english in strings:
                continue
            if len(re.findall("[A-Za-z]", "".join(PLACEHOLDER.split(english)[::2]))) < 2:
                continue
            if any(english in japanese for japanese in translated):
                continue
            result.append((english, _pattern(english)))
    return tuple(result)


# Text that is English on a Japanese page on purpose: IANA time-zone names in the zone lists, and the
# language choice that names each language in itself ("English", "日本語").
TIME_ZONE_NAME = re.compile(r"(Africa|America|Antarctica|Arctic|Asia|Atlantic|Australia|Europe|Indian|Pacific|Etc)/\S")


def _ui_chunks(chunks: list[str]) -> list[str]:
    kept = []
    for i, chunk in enumerate(chunks):
        if TIME_ZONE_NAME.match(chunk):
            continue
        if chunk == "English" and chunks[i + 1:i + 2] == ["日本語"]:
            continue
        kept.append(chunk)
    return kept


def english_ui_strings(html: str) -> list[str]:
    text = "\n".join(_ui_chunks(VisibleText(html).chunks))
    return [english for english, pattern in untranslated_signatures() if pattern.search(text)]

