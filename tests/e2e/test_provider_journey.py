"""The whole provider journey in a real browser, in Japanese with the staff side in English:
a visitor registers and activates the account from the mail, applies as a training provider, staff
approve it, the new owner posts a Japanese course with two sessions and submits it, staff approve the
course, and it appears in the catalogue under /ja/ and /en/."""
from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.parse import urlsplit

import pyotp

from app.demo.accounts import DEMO_PASSWORD
from tests.e2e.conftest import SHOTS, demo_totp_code

PASSWORD = "蓄電池の研修を探しています 2026"
TITLE = "リチウムイオン電池リサイクル実務講座(神戸)"


def last_link(live_app, base: str, to: str) -> str:
    message = [m for m in live_app.extensions["mail_outbox"] if m["To"] == to][-1]
    body = message.get_body(("plain",)).get_content()
    url = re.search(r"https?://\S+/account/\S+", body).group(0)
    return base + urlsplit(url).path  # mail links use SITE_URL; the live server has its own port


def sign_in_staff(page, base: str) -> None:
    page.goto(f"{base}/en/account/sign-in")
    page.fill("#email", "staff@example.com")
    page.fill("#password", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/account/two-factor"))
    page.fill("input[name=code]", demo_totp_code("staff@example.com"))
    page.click("main form button[type=submit] >> nth=0")
    page.wait_for_url(re.compile(r"/en/"))


def test_register_apply_post_a_course_and_see_it_published(browser, live_server, live_app, axe):
    base = live_server
    SHOTS.mkdir(parents=True, exist_ok=True)
    learner = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
    staff = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page, staff_page = learner.new_page(), staff.new_page()
    email = "kobe.trainer@example.org"

    # 1. Register in Japanese; the activation link arrives by mail.
    page.goto(f"{base}/ja/account/register")
    assert page.evaluate("document.documentElement.lang") == "ja"
    assert not axe.run(page).violations_count
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    page.fill("#family_name", "神戸")
    page.fill("#given_name", "一郎")
    page.select_option("#country", "JP")
    page.check("#accept_terms")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/ja/account/check-your-mail"))
    # Activation signs the person in (issue 14) and, with nowhere else to go, opens the home page.
    page.goto(last_link(live_app, base, email))
    page.wait_for_url(re.compile(r"/ja/$"))

    # 2. Apply to register a training organisation.
    page.goto(f"{base}/ja/provider/apply")
    page.fill("#name_ja", "神戸電池技能センター")
    page.fill("#name_en", "Kobe Battery Skills Centre")
    page.select_option("#country", "JP")
    page.fill("#city_en", "Kobe")
    page.fill("#city_ja", "神戸")
    page.fill("#website", "https://kobe-battery.example.org")
    page.screenshot(path=str(SHOTS / "journey-apply-ja.png"), full_page=True)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/ja/provider/applications"))

    # 3. Association staff approve the application (English UI, second factor).
    sign_in_staff(staff_page, base)
    staff_page.goto(f"{base}/en/staff/applications")
    staff_page.click("text=Kobe Battery Skills Centre")
    assert not axe.run(staff_page).violations_count
    staff_page.click("text=Approve and create the organisation")
    staff_page.wait_for_load_state()

    # 4. Owners sign in with a second factor: the new owner is signed out, signs in again and sets up
    #    an authenticator (the key shown on the page), keeps the recovery codes, and goes on.
    page.goto(f"{base}/ja/provider/courses/new")
    page.wait_for_url(re.compile(r"/ja/account/sign-in"))
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/ja/account/two-factor/setup"))
    secret = page.locator(".totp-secret").inner_text().replace(" ", "")
    page.fill("input[name=code]", pyotp.TOTP(secret).now())
    page.screenshot(path=str(SHOTS / "journey-two-factor-setup-ja.png"), full_page=True)
    page.click("main form button[type=submit]")
    page.click("main a.button-primary")
    page.goto(f"{base}/ja/provider/courses/new")
    assert not axe.run(page).violations_count
    page.fill("#title_ja", TITLE)
    page.fill("#summary_ja", "使用済みリチウムイオン電池の放電・解体・ブラックマス回収を実習で学びます。")
    page.fill("#description_ja", "安全な放電手順から湿式製錬の前処理まで、現場の作業を一通り体験します。")
    page.check("input[name=skill_areas] >> nth=10")  # recycling, the 11th skill area of the glossary
    page.check("input[name=languages][value=ja]")
    page.fill("#duration_hours", "14")
    page.check("#is_free")
    page.screenshot(path=str(SHOTS / "journey-course-form-ja.png"), full_page=True)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/ja/provider/courses/\d+$"))
    course_url = page.url
    for weeks in (6, 10):
        day = date.today() + timedelta(weeks=weeks)
        page.click("a[href$='/sessions/new']")
        page.fill("#starts_local", f"{day.isoformat()}T10:00")
        page.fill("#ends_local", f"{(day + timedelta(days=1)).isoformat()}T17:00")
        page.select_option("#timezone", "Asia/Tokyo")
        page.fill("#venue_city_ja", "神戸")
        page.select_option("#venue_country", "JP")
        page.fill("#capacity", "12")
        page.click("main form button[type=submit]")
        page.wait_for_url(course_url)
    page.click("text=審査を申請" if page.locator("text=審査を申請").count() else "form[action$='/submit'] button")
    page.wait_for_load_state()
    page.screenshot(path=str(SHOTS / "journey-course-submitted-ja.png"), full_page=True)

    # 5. Staff approve the course.
    staff_page.goto(f"{base}/en/staff/courses")
    staff_page.click(f"text={TITLE}")
    staff_page.click("text=Approve and publish")
    staff_page.wait_for_load_state()

    # 6. It is in the catalogue, in Japanese and (marked Japanese-only) in English.
    visitor = browser.new_context(locale="ja-JP").new_page()
    visitor.goto(f"{base}/ja/courses?q=ブラックマス回収")
    assert visitor.locator(f"text={TITLE}").count() == 1
    visitor.click(f"text={TITLE}")
    assert visitor.locator(".sessions li, .sessions tr").count() >= 2 or "12" in visitor.content()
    visitor.goto(f"{base}/en/courses?q=ブラックマス回収")
    card = visitor.locator(".course-card", has_text=TITLE)
    assert card.count() == 1 and "Japanese only" in card.inner_text()
    visitor.screenshot(path=str(SHOTS / "journey-catalogue-en.png"), full_page=True)
    learner.close()
    staff.close()
