"""axe-core (bundled by axe-playwright-python) finds no WCAG 2.1 A/AA violation on the public pages,
in English and in Japanese, on a wide screen and on a phone."""
from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import demo_totp_code

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}
ID_IN_PATH = re.compile(r"/(?:en|ja)/(courses|providers)/(\d+)")

PAGES = {
    "home": "/{lang}/",
    "catalogue": "/{lang}/courses",
    # Search and every kind of filter at once (電池: a two-character Japanese term).
    "catalogue-filtered": "/{lang}/courses?q=%E9%9B%BB%E6%B1%A0&skill=recycling&skill=safety&language=ja"
                          "&country=JP&kind=training&from=2020-01-01&sort=soonest",
    "catalogue-empty": "/{lang}/courses?q=zzqqxxnothing",
    "course": "/{lang}/courses/{course_id}",
    "providers": "/{lang}/providers",
    "provider": "/{lang}/providers/{provider_id}",
    "not-found": "/{lang}/no-such-page",
    "sign-in": "/{lang}/account/sign-in",
    "register": "/{lang}/account/register",
    "forgot-password": "/{lang}/account/forgot-password",
    "privacy": "/{lang}/privacy",
    "terms": "/{lang}/terms",
    "legal": "/{lang}/legal",
    "api-docs": "/{lang}/developers/api",
}
# Signed in: a provider's staff member (no second factor needed), then association staff.
MEMBER_PAGES = ["/{lang}/account/", "/{lang}/account/profile", "/{lang}/account/password",
                "/{lang}/account/sessions", "/{lang}/account/two-factor/manage", "/{lang}/provider/",
                "/{lang}/provider/courses/new", "/{lang}/provider/apply", "/{lang}/provider/members", "/{lang}/me/"]
STAFF_PAGES = ["/{lang}/staff/", "/{lang}/staff/applications", "/{lang}/staff/courses", "/{lang}/staff/audit",
               "/{lang}/staff/accounts"]


def describe(violations: list[dict]) -> str:
    """One block per rule: what it is, how bad, where (selector and HTML), and how to fix it."""
    blocks = []
    for v in violations:
        lines = [f"- {v['id']} ({v.get('impact')}): {v['help']}", f"  {v['helpUrl']}"]
        for node in v["nodes"][:8]:
            lines.append(f"    at {', '.join(map(str, node['target']))}")
            lines.append(f"       {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n         ")
            if summary:
                lines.append(f"       {summary}")
        if len(v["nodes"]) > 8:
            lines.append(f"    ... and {len(v['nodes']) - 8} more elements")
        blocks.append("\n".join(lines))
    return "\n".join(blocks)


@pytest.fixture(scope="module")
def ids(browser, live_server) -> dict:
    """A course with sessions both upcoming and past, and a provider with several courses, found by browsing."""
    ctx = browser.new_context()
    page = ctx.new_page()
    try:
        page.goto(f"{live_server}/en/courses")
        course_id = ID_IN_PATH.search(page.locator(".course-card h3 a").first.get_attribute("href")).group(2)
        page.goto(f"{live_server}/en/courses/{course_id}")
        provider_href = page.locator(".course-header .provider a").get_attribute("href")
        return {"course_id": course_id, "provider_id": ID_IN_PATH.search(provider_href).group(2)}
    finally:
        ctx.close()


def check(page, axe, url: str, lang: str, status: int = 200) -> None:
    response = page.goto(url)
    assert response is not None and response.status == status, (url, response and response.status)
    assert page.evaluate("document.documentElement.lang") == lang
    results = axe.run(page, options=AXE_OPTIONS).response
    assert results["testEngine"]["name"] == "axe-core"
    violations = results["violations"]
    assert not violations, f"{len(violations)} WCAG 2.1 A/AA violation(s) on {url}:\n{describe(violations)}"


@pytest.mark.parametrize("name", list(PAGES))
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_no_wcag_violations(page, axe, live_server, ids, lang, name):
    url = live_server + PAGES[name].format(lang=lang, **ids)
    check(page, axe, url, lang, status=404 if name == "not-found" else 200)


@pytest.mark.parametrize(("lang", "name"), [("ja", "home"), ("ja", "catalogue-filtered"), ("en", "course")])
def test_no_wcag_violations_on_a_phone(browser, axe, live_server, ids, lang, name):
    ctx = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    try:
        check(ctx.new_page(), axe, live_server + PAGES[name].format(lang=lang, **ids), lang)
    finally:
        ctx.close()


def test_focus_moves_to_results_from_the_jump_link(browser, live_server):
    """On a phone the filters come first: the link above them takes keyboard and screen-reader users
    straight to the results."""
    ctx = browser.new_context(viewport={"width": 360, "height": 740})
    page = ctx.new_page()
    try:
        page.goto(f"{live_server}/ja/courses?q=%E3%83%AA%E3%82%B5%E3%82%A4%E3%82%AF%E3%83%AB")
        jump = page.locator(".jump-to-results a")
        assert jump.is_visible()
        jump.focus()
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "results"
        page.keyboard.press("Tab")
        assert re.search(r"/ja/courses/\d+$", page.evaluate("document.activeElement.getAttribute('href')"))
    finally:
        ctx.close()


def _sign_in(page, live_server, email: str) -> None:
    from app.demo.accounts import DEMO_PASSWORD

    page.goto(f"{live_server}/en/account/sign-in")
    page.fill("#email", email)
    page.fill("#password", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    if "/two-factor" in page.url:
        page.fill("input[name=code]", demo_totp_code(email))
        page.click("main form button[type=submit] >> nth=0")
    page.wait_for_url(re.compile(r"/en/$"))


@pytest.mark.parametrize(("email", "paths"), [("provider-staff@example.com", MEMBER_PAGES),
                                             ("admin@example.com", STAFF_PAGES)])
def test_no_wcag_violations_when_signed_in(browser, axe, live_server, email, paths):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = ctx.new_page()
        _sign_in(page, live_server, email)
        for lang in ("en", "ja"):
            for path in paths:
                check(page, axe, live_server + path.format(lang=lang), lang)
    finally:
        ctx.close()
