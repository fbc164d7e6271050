"""The Japanese catalogue is complete, and key pages under /ja/ show no English UI string."""
from __future__ import annotations

import os
import re
from datetime import timedelta
from decimal import Decimal
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from babel.messages.pofile import read_po

from tests.factories import make_course, make_provider, make_session, now

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


# ---------------------------------------------------------------------------------------------
# The .po file itself
# ---------------------------------------------------------------------------------------------

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
    """Every string marked for translation under app/, walking every folder (also _macros/)."""
    keywords = dict(DEFAULT_KEYWORDS, _l=None)
    found: dict[str, str] = {}
    for folder, dirs, files in os.walk(ROOT / "app"):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in files:
            path = Path(folder) / name
            method = {".py": "python", ".html": "jinja2"}.get(path.suffix)
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
    missing = sorted((where, msgid) for msgid, where in marked.items() if msgid not in known)
    assert missing == [], "run `flask translate update` and translate the new strings"


# ---------------------------------------------------------------------------------------------
# Rendered pages: no English UI string on a Japanese page
# ---------------------------------------------------------------------------------------------

class VisibleText(HTMLParser):
    """The text a reader sees or hears: text nodes, plus the attributes browsers show or read out."""

    SHOWN_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self._skip = 0
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
        for name in self.SHOWN_ATTRIBUTES:
            if a.get(name):
                self.chunks.append(a[name])
        if tag == "meta" and a.get("name") == "description" and a.get("content"):
            self.chunks.append(a["content"])
        if tag == "input" and a.get("type") in ("submit", "button") and a.get("value"):
            self.chunks.append(a["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.chunks.append(" ".join(data.split()))

    @property
    def text(self) -> str:
        return "\n".join(self.chunks)


def _pattern(msgid: str) -> re.Pattern:
    """The English text with placeholders matching anything on the same line, whole words only."""
    pieces = [re.escape(piece) for piece in PLACEHOLDER.split(msgid)[::2]]
    body = ".+?".join(pieces)
    if msgid[:1].isalnum():
        body = r"(?<![A-Za-z])" + body
    if msgid[-1:].isalnum():
        body = body + r"(?![A-Za-z])"
    return re.compile(body)


@lru_cache(maxsize=1)
def untranslated_signatures() -> tuple[tuple[str, re.Pattern], ...]:
    """English UI strings that must not be seen on a Japanese page.

    Skipped: strings of 3 characters or fewer, strings whose Japanese is the same (a brand name), and
    strings that legitimately appear inside some Japanese translation.
    """
    translated = [s for m in entries() for s in forms(m.string)]
    result = []
    for message in entries():
        strings = forms(message.string)
        for english in forms(message.id):
            if len(english) <= 3 or english in strings:
                continue
            if any(english in japanese for japanese in translated):
                continue
            result.append((english, _pattern(english)))
    return tuple(result)


def english_ui_strings(html: str) -> list[str]:
    text = VisibleText(html).text
    return [english for english, pattern in untranslated_signatures() if pattern.search(text)]


@pytest.fixture
def japanese_content(app, monkeypatch):
    """A small catalogue whose content is Japanese only, so any English left is a UI string."""
    monkeypatch.setitem(app.config, "CATALOGUE_PAGE_SIZE", 2)
    provider = make_provider(name_en=None, name_ja="関西電池アカデミー", country="JP", city="大阪",
                             description_ja="電池製造の現場で働く人材を育成しています。\n大阪に研修ラインがあります。",
                             website="https://academy.example.jp")
    quiet = make_provider(name_en=None, name_ja="東北電池研究センター", country="JP", city="仙台", verified=False)
    sessions = [
        make_session(days_ahead=20, tz="Asia/Tokyo", country="JP", city="大阪", requires_approval=True,
                     enrolment_deadline=now() + timedelta(days=15)),
        make_session(days_ahead=40, tz="Asia/Tokyo", online=True),
        make_session(days_ahead=60, tz="Asia/Tokyo", country="JP", city="大阪", capacity=10, seats_taken=10),
        make_session(days_ahead=-30, tz="Asia/Tokyo", country="JP", city="大阪"),
        make_session(days_ahead=10, tz="Asia/Tokyo", country="JP", city="大阪", status="cancelled"),
    ]
    full = make_course(
        provider, kind="training", title_en=None, title_ja="リチウムイオン電池リサイクル実務講座",
        summary_ja="使用済み電池からブラックマスを回収する工程を学びます。",
        description_ja="放電、解体、破砕、選別の各工程を順に学びます。\n実習を含みます。",
        learning_outcomes_ja="回収工程を説明できる\n安全に作業できる",
        prerequisites_ja="特になし", assessment_ja="実技評価と筆記試験",
        eqf_level=5, audience="technician", delivery_mode="blended", duration_hours=Decimal("16"),
        price_amount=150000, currency="JPY", certification="completion", validity_months=24,
        skills=("recycling", "safety"), languages=("ja",), sessions=sessions,
    )
    others = [
        make_course(provider, kind="workshop", title_en=None, title_ja="正極材評価ワークショップ",
                    summary_ja="正極材の評価方法を実習で学びます。", delivery_mode="in_person",
                    audience="engineer", certification="attendance", skills=("cell-materials",),
                    languages=("ja",), sessions=1),
        make_course(provider, kind="conference", title_en=None, title_ja="電池データ連携カンファレンス",
                    delivery_mode="online", audience="manager", certification="assessed",
                    price_amount=None, currency=None, skills=("data-passport",), languages=("ja",), sessions=1),
        make_course(provider, kind="exhibition", title_en=None, title_ja="蓄電池展示会",
                    delivery_mode="in_person", audience="researcher", skills=("stationary-storage",),
                    languages=("ja",), sessions=0),
        make_course(provider, kind="training", title_en=None, title_ja="高電圧安全講習",
                    audience="operator", price_amount=45000, currency="EUR", skills=("safety",),
                    languages=("ja",), sessions=1),
    ]
    return {"provider": provider, "quiet": quiet, "full": full, "others": others}


def japanese_pages(data) -> list[tuple[str, int]]:
    return [
        ("/ja/", 200),
        ("/ja/courses", 200),
        ("/ja/courses?page=2", 200),
        ("/ja/courses?q=リサイクル", 200),
        ("/ja/courses?kind=not-a-kind&level=99&sort=sideways", 200),
        ("/ja/courses?q=該当する講座のない語句", 200),
        ("/ja/courses?skill=recycling&mode=blended&audience=technician&country=JP", 200),
        (f"/ja/courses/{data['full'].id}", 200),
        (f"/ja/courses/{data['others'][3].id}", 200),
        ("/ja/providers", 200),
        ("/ja/providers?country=FR", 200),
        (f"/ja/providers/{data['provider'].id}", 200),
        (f"/ja/providers/{data['quiet'].id}", 200),
        ("/ja/no-such-page", 404),
        ("/ja/courses/987654321", 404),
    ]


def test_japanese_pages_show_no_english_ui_string(client, japanese_content):
    found = {}
    for url, status in japanese_pages(japanese_content):
        response = client.get(url)
        assert response.status_code == status, url
        html = response.get_data(as_text=True)
        assert '<html lang="ja">' in html, url
        assert "講座・イベント" in html, url  # the Japanese UI is really there
        english = english_ui_strings(html)
        if english:
            found[url] = english
    assert found == {}


def test_the_pages_show_the_states_the_check_relies_on(client, japanese_content):
    """The fixture reaches the UI strings it is meant to exercise (else the check above is hollow)."""
    data = japanese_content
    detail = client.get(f"/ja/courses/{data['full'].id}").get_data(as_text=True)
    for japanese in ("満席", "受講申込ごとに研修提供機関の承認が必要です", "過去の開催回・中止になった開催回",
                     "有効期間24か月", "16時間", "修了証", "￥150,000", "学習成果", "受講要件", "評価方法"):
        assert japanese in detail, japanese
    page2 = client.get("/ja/courses?page=2").get_data(as_text=True)
    assert "前へ" in page2 and "次へ" in page2
    assert "今後の開催予定なし" in client.get("/ja/courses?sort=soonest&page=3").get_data(as_text=True)
    assert "条件に一致する講座・イベントはありません。" in client.get(
        "/ja/courses?q=該当する講座のない語句").get_data(as_text=True)
    assert "一部の絞り込み条件は認識できなかった" in client.get(
        "/ja/courses?kind=not-a-kind&level=99&sort=sideways").get_data(as_text=True)
    assert "公開中の講座・イベントはありません" in client.get(
        f"/ja/providers/{data['quiet'].id}").get_data(as_text=True)
    assert "まだ掲載されていません" in client.get("/ja/providers?country=FR").get_data(as_text=True)


def test_the_check_finds_english_on_english_pages(client, japanese_content):
    """The same check run on /en/ pages finds the English strings (so it can fail)."""
    html = client.get(f"/en/courses/{japanese_content['full'].id}").get_data(as_text=True)
    english = english_ui_strings(html)
    for expected in ("Courses & events", "Seats left", "Learning outcomes", "Japanese only", "Full"):
        assert expected in english
    assert "%(num)s hour" in english or "%(num)s hours" in english
    assert english_ui_strings(client.get("/en/courses?page=2").get_data(as_text=True))
