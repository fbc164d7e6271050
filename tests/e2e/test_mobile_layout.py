"""A 390 px phone (issue 14, point 8): the header is one short row with the language switch and a menu button
that opens without script; wide tables scroll inside their own box, not the page; Japanese cells keep words
whole; the EN/JA badges have a visible legend."""
from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import demo_totp_code

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, live_server):
    ctx = browser.new_context(viewport=PHONE, locale="ja-JP", has_touch=True, java_script_enabled=False)
    ctx.set_default_timeout(10_000)
    yield ctx.new_page()
    ctx.close()


def _signed_in(ctx, live_server: str, email: str):
    """A page of `ctx` signed in as a demo account, in Japanese (with its second factor when asked)."""
    from app.demo.accounts import DEMO_PASSWORD

    page = ctx.new_page()
    page.goto(f"{live_server}/ja/account/sign-in")
    page.fill("#email", email)
    page.fill("#password", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    if "/two-factor" in page.url:
        page.fill("input[name=code]", demo_totp_code(email))
        page.click("main form button[type=submit] >> nth=0")
    return page


def _header_height(page) -> float:
    return page.evaluate("document.querySelector('.site-header').getBoundingClientRect().height")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_header_is_one_short_row_and_the_menu_opens_without_script(phone, live_server, shots_dir, lang):
    page = phone
    page.goto(f"{live_server}/{lang}/")
    assert _header_height(page) <= 100, "the header takes more than an eighth of the screen"
    assert page.locator(".site-header .lang-switch").is_visible()
    assert page.locator("nav.main-nav").is_hidden()
    courses = page.locator("details.menu nav a").first
    assert courses.is_hidden()
    page.locator("details.menu > summary").click()  # a <details>: script is off in this context
    assert courses.is_visible()
    menu_links = page.locator("details.menu a")
    assert menu_links.count() >= 4  # courses, providers, sign in, register
    for i in range(menu_links.count()):
        box = menu_links.nth(i).bounding_box()
        assert box and box["height"] >= 40 and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    page.screenshot(path=str(shots_dir / f"mobile-menu-open-{lang}.png"))
    courses.click()
    page.wait_for_url(re.compile(rf"/{lang}/courses"))
    assert _header_height(page) <= 100
    assert page.locator(".listing-legend").is_visible()  # EN/JA explained without a tooltip


def test_signed_in_menu_and_a_wide_table_scrolls_in_its_box(browser, live_server, shots_dir):
    ctx = browser.new_context(viewport=PHONE, locale="ja-JP")
    try:
        page = _signed_in(ctx, live_server, "staff@example.com")
        page.wait_for_url(re.compile(r"/ja/$"))
        assert _header_height(page) <= 100
        page.locator("details.menu > summary").click()
        staff_link = page.locator("details.menu a[href='/ja/staff/']")
        assert staff_link.is_visible()
        assert page.locator("details.menu button", has_text="ログアウト").is_visible()
        staff_link.click()
        page.goto(f"{live_server}/ja/staff/reports")
        boxes = page.locator(".table-scroll")
        assert boxes.count()
        wide = page.evaluate("""() => Array.from(document.querySelectorAll('.table-scroll'))
            .filter(e => e.scrollWidth > e.clientWidth).length""")
        assert wide, "no report table is wider than the phone: nothing to scroll"
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "the page scrolls sideways"
        scrolled = page.evaluate("""() => { const box = Array.from(document.querySelectorAll('.table-scroll'))
            .find(e => e.scrollWidth > e.clientWidth); box.scrollLeft = 120; return [box.scrollLeft, window.scrollX]; }""")
        assert scrolled[0] > 0 and scrolled[1] == 0
        page.screenshot(path=str(shots_dir / "mobile-staff-reports.png"))
    finally:
        ctx.close()


def test_japanese_cells_keep_words_whole(page, live_server):
    page.goto(f"{live_server}/ja/developers/api")
    styles = page.evaluate("""() => { const td = document.querySelector('td');
        const s = getComputedStyle(td); return [s.wordBreak, s.overflowWrap]; }""")
    assert styles == ["keep-all", "break-word"]


def test_session_form_day_table_scrolls_in_its_box_not_the_page(browser, live_server):
    """The Japanese day-hours table is wider than a phone: the fieldset around it must not grow with it
    (a fieldset's min-width is its content's unless set), so only the table's box scrolls."""
    ctx = browser.new_context(viewport=PHONE, locale="ja-JP")
    try:
        page = _signed_in(ctx, live_server, "owner@example.com")
        page.goto(f"{live_server}/ja/provider/")
        courses = page.eval_on_selector_all("main a[href*='/provider/courses/']", "links => links.map(a => a.href)")
        for course in dict.fromkeys(courses):
            page.goto(course)
            edit = page.locator("main a[href$='/edit'][href*='/sessions/']")
            if edit.count():
                edit.first.click()
                break
        assert page.locator("table.day-hours").count()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "the page scrolls sideways"
    finally:
        ctx.close()
