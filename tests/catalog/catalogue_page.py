"""Reading the catalogue page /<lang>/courses in tests: its selects with their counts, checkboxes, inputs,
result cards and pagination links; and the small catalogue most catalogue-page tests share (`cat` in conftest.py)."""
from __future__ import annotations

import html
import re
from datetime import timedelta
from html.parser import HTMLParser

from tests.factories import now

NOTICE = "were not recognised"
EMPTY = "Nothing matches these filters."
PARAMS = ["q", "skill", "kind", "mode", "language", "level", "audience", "country", "provider", "from", "to",
          "free", "sort", "page"]


class _Form(HTMLParser):
    """Options of every <select> (value → (count, selected)), checkboxes, and result-card ids in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.selects: dict[str, dict[str, tuple[int | None, bool]]] = {}
        self.checkboxes: dict[str, dict[str, bool]] = {}
        self.inputs: dict[str, str] = {}
        self.cards: list[int] = []
        self._select: str | None = None
        self._option: tuple[str, bool] | None = None
        self._text = ""
        self._in_card = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "select":
            self._select = a.get("name")
            self.selects[self._select] = {}
        elif tag == "option" and self._select:
            self._option = (a.get("value", ""), "selected" in a)
            self._text = ""
        elif tag == "input" and a.get("type") == "checkbox":
            self.checkboxes.setdefault(a["name"], {})[a["value"]] = "checked" in a
        elif tag == "input" and a.get("name"):
            self.inputs[a["name"]] = a.get("value") or ""
        elif tag == "article" and "course-card" in (a.get("class") or ""):
            self._in_card = True
        elif tag == "a" and self._in_card:
            m = re.fullmatch(r"/(?:en|ja)/courses/(\d+)", a.get("href", ""))
            if m:
                self.cards.append(int(m.group(1)))
                self._in_card = False

    def handle_data(self, data):
        if self._option is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None:
            value, selected = self._option
            m = re.search(r"\(([\d,]+)\)\s*$", self._text)
            count = int(m.group(1).replace(",", "")) if m else None
            self.selects[self._select][value] = (count, selected)
            self._option = None
        elif tag == "select":
            self._select = None


class Page:
    def __init__(self, response) -> None:
        self.status = response.status_code
        self.text = response.get_data(as_text=True)
        form = _Form()
        form.feed(self.text)
        self.selects, self.checkboxes, self.inputs, self.cards = (
            form.selects, form.checkboxes, form.inputs, form.cards
        )

    def counts(self, name: str) -> dict[str, int]:
        """{option value: count} of a select, leaving out the "Any" option."""
        return {v: n for v, (n, _sel) in self.selects[name].items() if v}

    def selected(self, name: str) -> str | None:
        chosen = [v for v, (_n, sel) in self.selects[name].items() if sel]
        return chosen[0] if chosen else None

    def skill_counts(self) -> dict[str, int]:
        """Non-zero counts (every skill area is listed, those with no match as 0)."""
        out = {}
        for code, n in re.findall(
            r'<label for="skill-([\w-]+)">[^<]*<span class="count">\(([\d,]+)\)</span>', self.text
        ):
            if int(n.replace(",", "")):
                out[code] = int(n.replace(",", ""))
        return out

    def free_count(self) -> int:
        m = re.search(r'<label for="f-free">[^<]*<span class="count">\(([\d,]+)\)</span>', self.text)
        return int(m.group(1).replace(",", ""))

    def links(self, rel: str | None = None) -> list[str]:
        nav = re.search(r'<nav class="pagination".*?</nav>', self.text, re.S)
        if not nav:
            return []
        pattern = r'<a [^>]*href="([^"]+)"' if rel is None else rf'<a href="([^"]+)" rel="{rel}"'
        return [html.unescape(h) for h in re.findall(pattern, nav.group(0))]


def get(client, url: str) -> Page:
    page = Page(client.get(url))
    assert page.status == 200, (url, page.status)
    return page


def day(days: float) -> str:
    return (now() + timedelta(days=days)).date().isoformat()


def results(page: Page) -> set[int]:
    return set(page.cards)


def ids(cat, *names) -> set[int]:
    return {cat[n] for n in names}

