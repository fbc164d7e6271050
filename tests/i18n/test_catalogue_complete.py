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


# ---------------------------------------------------------------------------------------------
# Rendered pages: no English UI string on a Japanese page
# ---------------------------------------------------------------------------------------------

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


def test_visible_text_leaves_out_only_the_language_switch():
    html = ('<html lang="ja"><body><p>講座 <a href="/en/" hreflang="en" lang="en">English<br><span>Full</span></a>'
            ' Seats left <img alt="QR"></p><div lang="en"><h2>Title</h2></div><p lang="ja">日本語</p></body></html>')
    chunks = VisibleText(html).chunks
    assert "English" not in chunks and "Full" not in chunks
    assert "Seats left" in chunks and "QR" in chunks and "Title" in chunks and "日本語" in chunks


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
        ("/ja/developers/api", 200),  # the API documentation, rendered from the OpenAPI document
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


# ---------------------------------------------------------------------------------------------
# Account, provider-workspace and staff pages: no English UI string on their Japanese versions
# ---------------------------------------------------------------------------------------------

def _japanese_person(role="learner", **kw):
    from tests.factories import make_user

    kw.setdefault("family_name", "山田")
    kw.setdefault("given_name", "花子")
    return make_user(role, preferred_language="ja", country="JP", timezone="Asia/Tokyo", **kw)


def _check_pages(client, pages) -> dict:
    """English UI strings found on each page; a page is a URL, or (URL, expected status)."""
    found = {}
    for page in pages:
        url, status = page if isinstance(page, tuple) else (page, 200)
        response = client.get(url)
        assert response.status_code == status, url
        html = response.get_data(as_text=True)
        assert '<html lang="ja">' in html, url
        english = english_ui_strings(html)
        if english:
            found[url] = english
    return found


def test_japanese_account_pages_show_no_english_ui_string(client):
    anonymous = ["/ja/account/sign-in", "/ja/account/register", "/ja/account/forgot-password",
                 "/ja/privacy", "/ja/terms", "/ja/legal"]
    found = _check_pages(client, anonymous)
    from tests.factories import sign_in

    sign_in(client, _japanese_person())
    found.update(_check_pages(client, [
        "/ja/account/", "/ja/account/profile", "/ja/account/password", "/ja/account/sessions",
        "/ja/account/two-factor/manage", "/ja/account/two-factor/setup", "/ja/account/delete",
        ("/ja/provider/", 403), "/ja/provider/apply", "/ja/provider/applications",  # 403: not a member
    ]))
    assert found == {}


def test_japanese_workspace_and_staff_pages_show_no_english_ui_string(client, japanese_content):
    from app.platform.extensions import db
    from app.providers.models import ApplicationStatus, ProviderApplication
    from tests.factories import make_client, sign_in

    provider = japanese_content["provider"]
    course = japanese_content["full"]
    draft = make_course(provider, status="draft", title_en=None, title_ja="電池安全入門(下書き)",
                        published_at=None, sessions=1)
    pending = make_course(provider, status="pending_review", title_en=None, title_ja="BMS設計講座",
                          summary_ja="BMSの基礎を学びます。", published_at=None, sessions=1)
    applicant = _japanese_person()
    application = ProviderApplication(applicant_id=applicant.id, name_en=None, name_ja="九州電池技術センター",
                                      country="JP", city="福岡", kind="research_institute",
                                      status=ApplicationStatus.SUBMITTED)
    db.session.add(application)
    db.session.flush()
    session = min(course.sessions, key=lambda s: s.id)  # the first one made: scheduled, in 20 days

    owner = _japanese_person("owner", organisation=provider)
    sign_in(client, owner)
    workspace = [
        f"/ja/provider/?org={provider.id}", f"/ja/provider/courses/{course.id}",
        f"/ja/provider/courses/{draft.id}", f"/ja/provider/courses/{draft.id}/edit",
        f"/ja/provider/courses/{pending.id}", f"/ja/provider/courses/{pending.id}/edit",  # the "locked" page
        f"/ja/provider/courses/new?org={provider.id}",
        f"/ja/provider/courses/{course.id}/sessions/new", f"/ja/provider/sessions/{session.id}/edit",
        f"/ja/provider/members/{provider.id}", f"/ja/provider/sessions/{session.id}/roster",
        "/ja/provider/certificates", "/ja/provider/exchanges", "/ja/provider/exchanges/new",
        "/ja/me/", "/ja/me/certificates/",
    ]
    found = _check_pages(client, workspace)

    staff_client = make_client(client.application)
    sign_in(staff_client, _japanese_person("admin", totp=True))
    found.update(_check_pages(staff_client, [
        "/ja/staff/", "/ja/staff/applications", f"/ja/staff/applications/{application.id}",
        "/ja/staff/courses", f"/ja/staff/courses/{pending.id}", "/ja/staff/audit",
        "/ja/staff/accounts", f"/ja/staff/accounts/{owner.id}",
        "/ja/staff/exchanges", "/ja/staff/exchanges/new", "/ja/staff/organisations",
        # (not the import page: its table of allowed values lists each code's English name on purpose,
        # beside the Japanese, for people filling in the template in either language)
        "/ja/staff/organisations/new", "/ja/staff/reports",
        "/ja/staff/reports?period=quarter", "/ja/staff/reports/annual", "/ja/staff/certificates/expiring",
    ]))
    assert found == {}
