"""The /en/ and /ja/ prefixes: choosing a language, switching it, alternates, formats, content markers."""
from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from flask import g

from app.i18n import filters, formatting
from tests.factories import make_course, make_provider, make_session

LANGS = ("en", "ja")


class PageLanguage(HTMLParser):
    """<html lang>, the hreflang alternates and the language switch of one page."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.html_lang: str | None = None
        self.alternates: dict[str, str] = {}
        self.switch: dict[str, str] | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.html_lang = a.get("lang")
        elif tag == "link" and a.get("rel") == "alternate" and "hreflang" in a:
            assert a["hreflang"] not in self.alternates, f"hreflang {a['hreflang']} listed twice"
            self.alternates[a["hreflang"]] = a["href"]
        elif tag == "a" and "lang-switch" in a.get("class", "").split():
            self.switch = a


def local(url: str) -> str:
    """Path and query of a link, whether it is written relative or absolute."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def redirect_target(response) -> str:
    assert response.status_code in (302, 303, 307), response.status_code
    return urlsplit(response.headers["Location"]).path


@pytest.fixture
def course():
    provider = make_provider(name_en="Kobe Recycling Institute", name_ja="神戸リサイクル研究所",
                             country="JP", city="Kobe")
    return make_course(provider, title_en="Black mass basics", title_ja="ブラックマス入門",
                       skills=("recycling",))


# ---------------------------------------------------------------------------------------------
# "/" picks the language: cookie, then Accept-Language, then English
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "accept, expected",
    [
        (None, "/en/"),
        ("ja,en;q=0.5", "/ja/"),
        ("ja-JP", "/ja/"),
        ("en-GB,en;q=0.9", "/en/"),
        ("fr-FR,ja;q=0.8,en;q=0.5", "/ja/"),
        ("fr", "/en/"),
        ("de-DE,fr;q=0.5", "/en/"),
        ("*", "/en/"),
    ],
)
def test_root_follows_accept_language_without_cookie(app, accept, expected):
    client = app.test_client()
    headers = {"Accept-Language": accept} if accept else {}
    response = client.get("/", headers=headers)
    assert redirect_target(response) == expected
    vary = response.headers.get("Vary", "")
    assert "Accept-Language" in vary and "Cookie" in vary


@pytest.mark.parametrize(
    "cookie, accept, expected",
    [("ja", "en", "/ja/"), ("en", "ja,en;q=0.5", "/en/"), ("xx", "ja", "/ja/"), ("", "fr", "/en/")],
)
def test_root_prefers_the_cookie(app, cookie, accept, expected):
    client = app.test_client()
    client.set_cookie("lang", cookie)
    assert redirect_target(client.get("/", headers={"Accept-Language": accept})) == expected


def test_reading_a_page_remembers_its_language(app):
    client = app.test_client()
    client.get("/ja/courses", headers={"Accept-Language": "en"})
    assert client.get_cookie("lang").value == "ja"
    assert redirect_target(client.get("/", headers={"Accept-Language": "en"})) == "/ja/"
    client.get("/en/providers")
    assert client.get_cookie("lang").value == "en"
    assert redirect_target(client.get("/", headers={"Accept-Language": "ja"})) == "/en/"


def test_an_error_page_outside_the_prefix_does_not_choose_a_language(app):
    client = app.test_client()
    response = client.get("/fr/courses", headers={"Accept-Language": "ja"})
    assert response.status_code == 404
    assert client.get_cookie("lang") is None
    assert redirect_target(client.get("/", headers={"Accept-Language": "en"})) == "/en/"


@pytest.mark.parametrize(
    "path", ["/fr/courses", "/de/", "/fr/", "/jp/courses", "/EN/courses", "/ja-JP/courses", "/english/"]
)
def test_unknown_prefix_is_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "<html lang=" in response.get_data(as_text=True)


# ---------------------------------------------------------------------------------------------
# Every page: <html lang>, hreflang alternates, the switch to the same page in the other language
# ---------------------------------------------------------------------------------------------

PAGES = [
    "/{lang}/",
    "/{lang}/courses",
    "/{lang}/courses?q=black&skill=recycling&sort=soonest",
    "/{lang}/courses?q=%E9%9B%BB%E6%B1%A0&free=1",
    "/{lang}/courses/{course}",
    "/{lang}/providers",
    "/{lang}/providers?country=JP",
    "/{lang}/providers/{provider}",
]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", PAGES)
def test_page_language_alternates_and_switch(client, course, lang, path):
    def url(code):
        return path.format(lang=code, course=course.id, provider=course.provider_id)

    response = client.get(url(lang))
    assert response.status_code == 200
    page = PageLanguage(response.get_data(as_text=True))
    assert page.html_lang == lang
    assert {k: local(v) for k, v in page.alternates.items()} == {
        "en": url("en"),
        "ja": url("ja"),
        "x-default": url("en"),
    }
    other = "ja" if lang == "en" else "en"
    assert page.switch is not None, "no language switch"
    assert local(page.switch["href"]) == url(other)
    assert page.switch.get("hreflang") == other
    assert page.switch.get("lang") == other


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    "path", ["/{lang}/no-such-page", "/{lang}/courses/987654321", "/{lang}/providers/987654321"]
)
def test_error_pages_take_the_language_of_the_prefix(app, lang, path):
    client = app.test_client()
    other = "ja" if lang == "en" else "en"
    response = client.get(path.format(lang=lang), headers={"Accept-Language": other})
    assert response.status_code == 404
    page = PageLanguage(response.get_data(as_text=True))
    assert page.html_lang == lang
    assert page.switch is not None


# ---------------------------------------------------------------------------------------------
# Formats: British English and Japanese
# ---------------------------------------------------------------------------------------------

def test_formatting_functions():
    day = date(2026, 11, 25)
    assert formatting.format_day(day, "ja") == "2026年11月25日"
    assert formatting.format_day(day, "en") == "25 Nov 2026"
    assert formatting.format_money(150000, "JPY", "ja", "無料") == "￥150,000"
    assert formatting.format_money(120000, "EUR", "en", "Free") == "€1,200.00"
    assert formatting.format_money(5, "EUR", "en", "Free") == "€0.05"
    assert formatting.format_money(None, None, "ja", "無料") == "無料"
    assert formatting.format_number(1234567, "en") == "1,234,567"
    assert formatting.format_number(1234567, "ja") == "1,234,567"

    start = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)  # 14:00 in Berlin, 22:00 in Tokyo
    end = start + timedelta(hours=3, minutes=30)
    assert formatting.format_when(start, end, "Europe/Berlin", "en") == (
        "25 Nov 2026, 14:00–17:30 (Central European Standard Time)"
    )
    assert formatting.format_when(start, end, "Europe/Berlin", "ja") == (
        "2026年11月25日 14:00–17:30(中央ヨーロッパ標準時)"
    )
    # The session's own zone decides the day: 22:00 in Tokyo runs past midnight.
    assert formatting.format_when(start, end, "Asia/Tokyo", "ja") == (
        "2026年11月25日～26日 22:00–1:30(日本標準時)"
    )
    assert formatting.format_day_range(date(2026, 11, 25), date(2026, 11, 27), "en") == "25–27 Nov 2026"
    assert formatting.format_day_range(date(2026, 11, 25), date(2026, 11, 27), "ja") == "2026年11月25日～27日"


def test_pages_format_dates_times_and_money_for_the_locale(client):
    start = datetime(2036, 11, 25, 13, 0, tzinfo=UTC)  # 14:00 CET
    deadline = datetime(2036, 11, 20, 12, tzinfo=UTC)
    session = make_session(starts_at=start, ends_at=start + timedelta(hours=3, minutes=30),
                           starts_on=date(2036, 11, 25), enrolment_deadline=deadline)
    euro = make_course(title_en="Coating line basics", title_ja="塗工ラインの基礎", price_amount=120000,
                       currency="EUR", sessions=[session])
    yen = make_course(title_en="Formation in practice", title_ja="化成工程の実践", price_amount=150000,
                      currency="JPY", sessions=1)

    en = client.get(f"/en/courses/{euro.id}").get_data(as_text=True)
    assert "25 Nov 2036, 14:00–17:30" in en
    assert "20 Nov 2036" in en
    assert "€1,200.00" in en
    assert not re.search(r"\b[AP]M\b", en, re.IGNORECASE)

    ja = client.get(f"/ja/courses/{euro.id}").get_data(as_text=True)
    assert "2036年11月25日 14:00–17:30" in ja
    assert "2036年11月20日" in ja

    assert "￥150,000" in client.get(f"/ja/courses/{yen.id}").get_data(as_text=True)
    assert "￥150,000" in client.get("/ja/courses").get_data(as_text=True)


# ---------------------------------------------------------------------------------------------
# The localized filter: the reader's language, else the other one with a visible marker
# ---------------------------------------------------------------------------------------------

def _marker_span(html: str, lang: str, text: str) -> bool:
    pattern = rf'<span lang="{lang}">{re.escape(text)}</span>\s*<span class="lang-marker">'
    return re.search(pattern, html) is not None


def test_course_only_in_english_is_marked_on_japanese_pages(client):
    course = make_course(title_en="Dry-room practice", title_ja=None, summary_en="One day in a dry room.",
                         summary_ja=None)
    ja = client.get(f"/ja/courses/{course.id}").get_data(as_text=True)
    assert _marker_span(ja, "en", "Dry-room practice")
    assert "英語のみ" in ja and "English only" not in ja
    en = client.get(f"/en/courses/{course.id}").get_data(as_text=True)
    assert "lang-marker" not in en


def test_course_only_in_japanese_is_marked_on_english_pages(client):
    course = make_course(title_en=None, title_ja="正極材の評価技術", summary_ja="正極材の評価方法を学びます。")
    en = client.get(f"/en/courses/{course.id}").get_data(as_text=True)
    assert _marker_span(en, "ja", "正極材の評価技術")
    assert "Japanese only" in en and "日本語のみ" not in en
    catalogue = client.get("/en/courses").get_data(as_text=True)
    assert _marker_span(catalogue, "ja", "正極材の評価技術")
    ja = client.get(f"/ja/courses/{course.id}").get_data(as_text=True)
    assert "lang-marker" not in ja


def test_course_in_both_languages_has_no_marker(client, course):
    for lang, title in (("en", "Black mass basics"), ("ja", "ブラックマス入門")):
        html = client.get(f"/{lang}/courses/{course.id}").get_data(as_text=True)
        assert title in html
        assert "lang-marker" not in html


@pytest.mark.parametrize(
    "reader, values, expected_lang, marker",
    [
        ("ja", {"title_en": "Only English", "title_ja": None}, "en", "英語のみ"),
        ("en", {"title_en": "", "title_ja": "日本語だけ"}, "ja", "Japanese only"),
    ],
)
def test_localized_filter_marks_the_other_language(app, reader, values, expected_lang, marker):
    with app.test_request_context(f"/{reader}/"):
        g.lang = reader
        html = str(filters.localized(SimpleNamespace(**values), "title"))
    text = values[f"title_{expected_lang}"]
    assert f'<span lang="{expected_lang}">{text}</span>' in html
    assert f'<span class="lang-marker">{marker}</span>' in html


def test_localized_filter_in_the_readers_language_escapes_and_handles_absence(app):
    with app.test_request_context("/ja/"):
        g.lang = "ja"
        both = SimpleNamespace(title_en="<b>English</b>", title_ja="<b>日本語</b>")
        assert str(filters.localized(both, "title")) == "&lt;b&gt;日本語&lt;/b&gt;"
        assert str(filters.localized(SimpleNamespace(title_en=None, title_ja=None), "title")) == ""
        lines = SimpleNamespace(body_en=None, body_ja="一行目\n<二行目>")
        assert str(filters.localized(lines, "body", multiline=True)) == "一行目<br>&lt;二行目&gt;"
        assert filters.field_text(SimpleNamespace(title_en="Fallback", title_ja=None), "title") == "Fallback"
