"""Search text: normalisation (NFKC + case folding), the short-term keys, and query terms."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from app.catalog.models import SessionStatus
from app.i18n.scripts import fold_kana

MAX_QUERY_CHARS = 200
MAX_TERMS = 8
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_LATIN_WORD = re.compile(r"[0-9a-z\u00c0-\u024f]+")


def normalise(text: str | None) -> str:
    """Full-width and half-width forms fold together (ＡＢＣ→abc, ﾊﾞｯﾃﾘｰ→バッテリー), case is ignored,
    and hiragana reads as katakana (りさいくる→リサイクル)."""
    if not text:
        return ""
    return fold_kana(unicodedata.normalize("NFKC", text).casefold())


def is_latin(term: str) -> bool:
    return all(ord(ch) < 0x250 for ch in term)


def gram_keys(body: str) -> set[str]:
    """Keys for terms too short for a trigram index.

    Every 2-character substring that holds a non-Latin character (Japanese matches any substring of
    two or more characters), and '^' + the first one or two letters of each Latin word (shorter Latin
    terms match word starts).
    """
    keys: set[str] = set()
    for a, b in zip(body, body[1:]):
        # is_latin() of one character, inlined: this loop runs over every character of the catalogue.
        if (a < "\u0250" and b < "\u0250") or a.isspace() or b.isspace():
            continue
        keys.add(a + b)
    for word in _LATIN_WORD.findall(body):
        keys.add("^" + word[:1])
        if len(word) > 1:
            keys.add("^" + word[:2])
    return keys


@dataclass(frozen=True)
class Term:
    text: str

    @property
    def kind(self) -> str:
        """'long' for the trigram index, 'gram' or 'prefix' for CourseGram, 'scan' for the rest."""
        if len(self.text) >= 3:
            return "long"
        if is_latin(self.text):
            return "prefix"
        return "gram" if len(self.text) == 2 else "scan"


def parse_terms(query: str | None) -> list[Term]:
    """Split a query into at most MAX_TERMS distinct normalised terms; they are ANDed."""
    text = _CONTROL.sub(" ", normalise(query)[:MAX_QUERY_CHARS])
    terms: list[Term] = []
    for word in text.split():
        term = Term(word)
        if term not in terms:
            terms.append(term)
    return terms[:MAX_TERMS]


def course_text(course) -> tuple[str, str]:
    """The (title, body) search text of a course, both languages, skill-area names included."""
    title = "\n".join(filter(None, (course.title_en, course.title_ja)))
    parts = [title]
    for field in ("summary", "description", "learning_outcomes"):
        parts.extend(filter(None, (getattr(course, f"{field}_en"), getattr(course, f"{field}_ja"))))
    for area in course.skill_areas:
        parts.extend((area.name_en, area.name_ja))
    parts.append(course.provider.name_en or "")
    parts.append(course.provider.name_ja or "")
    # The provider's city and the venue cities in both languages, so 神戸 and Kobe find the same courses.
    parts.extend((course.provider.city_en or "", course.provider.city_ja or ""))
    for session in course.sessions:
        if session.status != SessionStatus.SCHEDULED:
            continue
        parts.extend((session.venue_city_en or "", session.venue_city_ja or ""))
    return normalise(title), normalise("\n".join(p for p in parts if p))
