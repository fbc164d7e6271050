"""Personal API tokens in a real browser: a learner creates one in Japanese, reads it off the page (the only
time it is shown), calls /api/v1/me with it, revokes it, and the API refuses it. Screenshots in both
languages, wide and at 360 px, go to /tmp/shots/tokens_*.png; axe-core finds no WCAG 2.1 A/AA violation."""
from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from pathlib import Path

from tests.e2e.test_accessibility import AXE_OPTIONS, describe

SHOTS = Path("/tmp/shots")
EMAIL = "learner@example.com"
NAME = "人事システム連携"
WIDTHS = {"desktop": 1280, "phone": 360}


def call_me(base: str, token: str) -> tuple[int, dict]:
    request = urllib.request.Request(f"{base}/api/v1/me", headers={"Authorization": f"Bearer {token}",
                                                                   "Accept-Language": "ja"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def sign_in(page, base: str, lang: str) -> None:
    from app.demo.accounts import DEMO_PASSWORD

    page.goto(f"{base}/{lang}/account/sign-in")
    page.fill("#email", EMAIL)
    page.fill("#password", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(rf"/{lang}/$"))


def shots(page, name: str) -> None:
    """The page as it is, wide and on a phone (the phone shot must not scroll sideways)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"tokens_{name}_{label}.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{name} at {width} px scrolls sideways by {overflow} px"
    page.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})


def no_violations(page, axe) -> None:
    violations = axe.run(page, options=AXE_OPTIONS).response["violations"]
    assert not violations, f"{len(violations)} WCAG 2.1 A/AA violation(s) on {page.url}:\n{describe(violations)}"


def test_create_use_and_revoke_a_token_in_japanese(browser, axe, live_server):
    base = live_server
    ctx = browser.new_context(locale="ja-JP", viewport={"width": WIDTHS["desktop"], "height": 900})
    try:
        page = ctx.new_page()
        sign_in(page, base, "ja")
        page.goto(f"{base}/ja/account/")
        page.click("main a[href='/ja/account/api-tokens/']")
        assert page.evaluate("document.documentElement.lang") == "ja"
        shots(page, "ja_empty")

        page.fill("#name", NAME)
        page.check("input[name=scopes][value='learning:read']")
        page.check("input[name=expiry][value='30']")
        page.click("form[action$='/api-tokens/'] button[type=submit]")
        page.wait_for_load_state()
        token = page.input_value("#created-token")
        assert re.fullmatch(r"btb_[A-Za-z0-9_-]{40,}", token), token
        assert f"Bearer {token}" in page.locator(".token-example").inner_text()
        assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日", page.locator("table.api-tokens").inner_text())
        no_violations(page, axe)
        shots(page, "ja_created")

        status, me = call_me(base, token)
        assert status == 200 and me["token"]["name"] == NAME and me["token"]["scopes"] == ["learning:read"]

        # Shown once: the list now has only its first characters.
        page.goto(f"{base}/ja/account/api-tokens/")
        assert token not in page.content() and token[:12] in page.content()
        row = page.locator("table.api-tokens tbody tr", has_text=NAME)
        no_violations(page, axe)
        shots(page, "ja_list")

        row.locator("button[type=submit]").click()
        page.wait_for_url(re.compile(r"/ja/account/api-tokens/$"))
        assert page.locator(".flashes .notice-success").count() == 1
        assert row.locator(".tag-danger").count() == 1 and row.locator("button").count() == 0
        status, problem = call_me(base, token)
        assert status == 401 and problem["code"] == "invalid_token"
        shots(page, "ja_revoked")

        # The same page in English, with a token just created.
        page.goto(f"{base}/en/account/api-tokens/")
        page.fill("#name", "Nightly report script")
        page.check("input[name=expiry][value='never']")
        page.click("form[action$='/api-tokens/'] button[type=submit]")
        page.wait_for_load_state()
        second = page.input_value("#created-token")
        assert page.evaluate("document.documentElement.lang") == "en"
        no_violations(page, axe)
        shots(page, "en_created")
        page.goto(f"{base}/en/account/api-tokens/")
        shots(page, "en_list")
        page.locator("table.api-tokens tbody tr", has_text="Nightly report script").locator("button").click()
        page.wait_for_url(re.compile(r"/en/account/api-tokens/$"))
        assert call_me(base, second)[0] == 401
    finally:
        ctx.close()
