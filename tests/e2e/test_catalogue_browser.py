"""A visitor in a real browser: searching and filtering in Japanese, switching language, keyboard only,
and a layout that holds from a 360-pixel phone to a wide screen."""
from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest

COURSE_URL = re.compile(r"/(en|ja)/courses/(\d+)$")
JA_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


def html_lang(page) -> str:
    return page.evaluate("document.documentElement.lang")


def next_quarter(today: date) -> tuple[date, date]:
    """First and last day of the calendar quarter after the one `today` is in."""

    def quarter_start(year: int, month: int) -> date:
        return date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)

    first_month = (today.month - 1) // 3 * 3 + 1
    start = quarter_start(today.year, first_month + 3)
    return start, quarter_start(today.year, first_month + 6) - timedelta(days=1)


def test_next_quarter_arithmetic():
    assert next_quarter(date(2026, 11, 26)) == (date(2027, 1, 1), date(2027, 3, 31))
    assert next_quarter(date(2027, 1, 1)) == (date(2027, 4, 1), date(2027, 6, 30))
    assert next_quarter(date(2027, 6, 30)) == (date(2027, 7, 1), date(2027, 9, 30))
    assert next_quarter(date(2027, 8, 15)) == (date(2027, 10, 1), date(2027, 12, 31))


def apply_filters(page) -> None:
    page.locator(".filter-actions button[type=submit]").click()


def result_count(page) -> int:
    text = page.locator("#results-title").inner_text()
    return int(re.search(r"[\d,]+", text).group().replace(",", ""))


def test_search_and_filter_in_japanese_then_switch_language(page, live_server):
    page.goto(f"{live_server}/ja/")
    assert html_lang(page) == "ja"

    # Search from the home page's own search box.
    search = page.get_by_role("search")
    search.get_by_role("searchbox").fill("リサイクル")
    search.get_by_role("button").click()
    page.wait_for_url(re.compile(r"/ja/courses\?"))
    assert page.locator("#q").input_value() == "リサイクル"
    searched = result_count(page)
    assert searched > 0

    # Filter with the real controls: language of instruction, venue country, kind. (Located by id, so
    # that rewording a label does not break the test; tests/i18n checks the labels are translated.)
    language = page.locator("#f-language")
    assert re.search(r"日本語 \(\d+\)", language.inner_text()), "options show their result counts"
    language.select_option("ja")
    page.locator("#f-country").select_option("JP")
    page.locator("#f-kind").select_option("training")
    apply_filters(page)
    page.wait_for_url(re.compile(r"language=ja"))
    for part in ("q=", "language=ja", "country=JP", "kind=training"):
        assert part in page.url, f"{part} missing from the shareable URL {page.url}"
    filtered = result_count(page)
    assert 0 < filtered <= searched
    cards = page.locator(".course-card")
    assert cards.count() == min(filtered, 20)
    for i in range(cards.count()):
        card = cards.nth(i)
        assert "日本語" in card.inner_text(), "every result is taught in Japanese"
        assert card.locator(".tag-kind").inner_text() == "講座"
    # The selection survives the round trip (the form shows the state it came from).
    assert page.locator("#f-language").input_value() == "ja"
    assert page.locator("#f-country").input_value() == "JP"
    assert page.locator("#f-kind").input_value() == "training"

    # Open a course listed in both languages, so that the switch visibly changes its title.
    both = cards.filter(has=page.locator("abbr", has_text="EN")).filter(has=page.locator("abbr", has_text="JA"))
    assert both.count() > 0, "the demo data has a bilingual Japanese-taught recycling course in Japan"
    target = both.first.locator("h3 a")
    ja_title = target.inner_text()
    target.click()
    page.wait_for_url(COURSE_URL)
    course_id = COURSE_URL.search(page.url).group(2)
    assert html_lang(page) == "ja"
    assert page.locator("h1").inner_text() == ja_title
    assert "日本語" in page.locator(".course-facts").inner_text()

    # The header switch opens the same course in English.
    page.locator("header .lang-switch").click()
    page.wait_for_url(re.compile(rf"/en/courses/{course_id}$"))
    assert html_lang(page) == "en"
    assert page.locator("nav.main-nav").inner_text().startswith("Courses & events")
    en_title = page.locator("h1").inner_text()
    assert en_title != ja_title and not re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", en_title), en_title
    assert page.locator(".lang-switch").inner_text() == "日本語"

    # And back.
    page.locator("header .lang-switch").click()
    page.wait_for_url(re.compile(rf"/ja/courses/{course_id}$"))
    assert html_lang(page) == "ja"
    assert page.locator("h1").inner_text() == ja_title


def test_japanese_recycling_course_next_quarter_in_a_few_clicks(page, live_server):
    start, end = next_quarter(datetime.now(UTC).date())
    page.goto(f"{live_server}/ja/")

    page.locator(".skill-grid a", has_text="リサイクル").click()                  # 1: the skill area
    page.wait_for_url(re.compile(r"skill=recycling"))
    assert page.locator("#skill-recycling").is_checked()
    page.locator("#f-language").select_option("ja")                              # 2: Japanese
    page.locator("#f-from").fill(start.isoformat())                              # 3, 4: next quarter
    page.locator("#f-to").fill(end.isoformat())
    apply_filters(page)                                                          # 5: apply
    page.wait_for_url(re.compile(r"from="))
    assert f"from={start.isoformat()}" in page.url and f"to={end.isoformat()}" in page.url
    assert result_count(page) > 0, f"no Japanese recycling course between {start} and {end}"

    page.locator(".course-card h3 a").first.click()                              # 6: the course
    page.wait_for_url(COURSE_URL)
    facts = page.locator(".course-facts").inner_text()
    assert "日本語" in facts and "リサイクル" in facts
    session_dates = [
        date(int(y), int(m), int(d))
        for y, m, d in JA_DATE.findall(page.locator("table.sessions").inner_text())
    ]
    assert any(start <= d <= end for d in session_dates), (start, end, session_dates)


def focused(page) -> dict:
    return page.evaluate(
        """() => { const e = document.activeElement; const s = getComputedStyle(e);
                   return {tag: e.tagName, id: e.id, cls: e.className, href: e.getAttribute('href') || '',
                           text: e.innerText || '', outline: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth),
                           left: e.getBoundingClientRect().left}; }"""
    )


def test_keyboard_only_search_and_open_a_course(page, live_server):
    page.goto(f"{live_server}/ja/")
    kb = page.keyboard

    kb.press("Tab")
    skip = focused(page)
    assert skip["cls"] == "skip-link" and skip["href"] == "#main"
    assert skip["left"] >= 0, "the skip link is on screen once focused"
    assert skip["outline"] != "none" and skip["outlineWidth"] >= 2, "focus is visible"
    kb.press("Enter")

    kb.press("Tab")
    assert focused(page)["id"] == "home-q", "after the skip link, the search box comes first"
    kb.type("リサイクル")
    kb.press("Enter")
    page.wait_for_url(re.compile(r"/ja/courses\?q="))
    assert result_count(page) > 0

    for _ in range(150):
        kb.press("Tab")
        now = focused(page)
        if now["tag"] == "A" and COURSE_URL.search(now["href"]):
            break
    else:
        pytest.fail("no course link was reached with Tab")
    assert now["outline"] != "none", "the focused result link shows a focus ring"
    kb.press("Enter")
    page.wait_for_url(COURSE_URL)
    assert page.locator("h1").inner_text() == now["text"]


PAGES = {
    "home": "/{lang}/",
    "catalogue": "/{lang}/courses?q=%E3%83%AA%E3%82%B5%E3%82%A4%E3%82%AF%E3%83%AB",  # リサイクル
    "course": None,  # the first course found by that search
    "providers": "/{lang}/providers",
    "not-found": "/{lang}/no-such-page",
}


@pytest.fixture(scope="module")
def course_path(browser, live_server) -> str:
    ctx = browser.new_context()
    page = ctx.new_page()
    page.goto(live_server + PAGES["catalogue"].format(lang="ja") + "&sort=soonest")
    href = page.locator(".course-card h3 a").first.get_attribute("href")
    ctx.close()
    return COURSE_URL.search(href).group(0).replace("/ja/", "/{lang}/")


@pytest.mark.parametrize("width", [360, 1280, 1440])
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_layout_has_no_horizontal_scroll(browser, live_server, course_path, shots_dir, lang, width):
    ctx = browser.new_context(viewport={"width": width, "height": 800})
    page = ctx.new_page()
    try:
        for name, pattern in PAGES.items():
            if width > 1280 and name in ("providers", "not-found"):
                continue  # simple one-column pages: checked at 360 and 1280, nothing new at 1440
            page.goto(live_server + (pattern or course_path).format(lang=lang))
            assert html_lang(page) == lang
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            assert scroll_width <= width, f"{name} ({lang}) scrolls sideways at {width}px: {scroll_width}px wide"
            if width in (360, 1280):  # for a person to look at; the top of each page is plenty
                height = min(page.evaluate("document.documentElement.scrollHeight"), 1560 if width < 800 else 2400)
                page.screenshot(path=str(shots_dir / f"{name}-{lang}-{width}.png"), full_page=True,
                                clip={"x": 0, "y": 0, "width": width, "height": height})
    finally:
        ctx.close()
