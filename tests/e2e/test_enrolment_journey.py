"""Enrolment in a real browser: a learner joins the waitlist of a full session, another cancels, the first
is promoted and sees it on the dashboard (in Japanese); the provider downloads the roster and records
completion of an earlier session, which its learner then sees."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.catalog.models import Course, CourseLanguage, CourseSession
from app.catalog.services import reindex_courses
from app.demo.accounts import DEMO_PASSWORD
from app.enrolment.models import Enrolment
from app.platform.database import utcnow
from app.platform.extensions import db
from app.providers.models import Organisation
from tests.e2e.conftest import SHOTS

TITLE = "定置用蓄電池の保守点検 実習(E2E)"


@pytest.fixture
def course(live_app):
    """A Kobe course with a one-seat session ahead and a session that began yesterday, with learner@
    confirmed on the earlier one."""
    from app.accounts.services import find_by_email

    with live_app.app_context():
        kobe = db.session.execute(sa.select(Organisation).where(
            Organisation.name_en == "Kobe Battery Recycling Technology Institute")).scalar_one()
        now = utcnow()
        ahead = CourseSession(starts_at=now + timedelta(days=20), ends_at=now + timedelta(days=20, hours=6),
                              starts_on=(now + timedelta(days=20)).date(), timezone="Asia/Tokyo",
                              venue_city="神戸", venue_country="JP", capacity=1)
        begun = CourseSession(starts_at=now - timedelta(days=1), ends_at=now - timedelta(hours=18),
                              starts_on=(now - timedelta(days=1)).date(), timezone="Asia/Tokyo",
                              venue_city="神戸", venue_country="JP", capacity=5, seats_taken=1)
        c = Course(provider=kobe, kind="training", status="published", published_at=now, title_ja=TITLE,
                   summary_ja="系統用蓄電池の点検手順を学びます。", audience="technician",
                   delivery_mode="in_person", languages=[CourseLanguage(language="ja")], sessions=[ahead, begun])
        db.session.add(c)
        db.session.flush()
        learner = find_by_email("learner@example.com")
        db.session.add(Enrolment(session_id=begun.id, learner_id=learner.id, status="confirmed",
                                 confirmed_at=now - timedelta(days=3)))
        reindex_courses([c.id])
        db.session.commit()
        ids = c.id, ahead.id, begun.id
        db.session.remove()
    return ids


def sign_in(context, base: str, email: str, lang: str):
    page = context.new_page()
    page.goto(f"{base}/{lang}/account/sign-in")
    page.fill("#email", email)
    page.fill("#password", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(rf"/{lang}/$"))
    return page


def test_waitlist_promotion_roster_and_completion(browser, live_server, live_app, course):
    base, (course_id, ahead_id, begun_id) = live_server, course
    en = browser.new_context(locale="en-GB")
    ja = browser.new_context(locale="ja-JP")
    provider = browser.new_context(locale="ja-JP", accept_downloads=True)
    anna = sign_in(en, base, "learner@example.com", "en")
    hanako = sign_in(ja, base, "gakusei@example.com", "ja")

    # Anna takes the only seat; Hanako finds the session full and joins the waitlist.
    anna.goto(f"{base}/en/courses/{course_id}")
    anna.click(f"a[href$='/sessions/{ahead_id}/enrol']")  # the booking summary first
    anna.click(f"form[action$='/sessions/{ahead_id}/enrol'] button")
    assert anna.locator("text=You are enrolled").count() >= 1
    hanako.goto(f"{base}/ja/courses/{course_id}")
    hanako.click(f"a[href$='/sessions/{ahead_id}/enrol']")
    hanako.click(f"form[action$='/sessions/{ahead_id}/enrol'] button")
    hanako.goto(f"{base}/ja/me/")
    waiting = hanako.locator("article.enrolment", has_text=TITLE)
    assert waiting.count() == 1 and "1" in waiting.locator(".tag-warn").inner_text()
    hanako.screenshot(path=str(SHOTS / "enrolment-waitlisted-ja.png"), full_page=True)

    # Anna cancels from her dashboard; Hanako is promoted, told by mail, and sees it.
    anna.goto(f"{base}/en/me/")
    anna.locator("article.enrolment", has_text=TITLE).locator("a[href$='/cancel']").click()
    anna.wait_for_load_state()
    anna.locator("button.button-danger").click()  # on the page that asks first
    anna.wait_for_load_state()
    mails = [m for m in live_app.extensions["mail_outbox"] if m["To"] == "gakusei@example.com"]
    assert mails and mails[-1]["Content-Language"] == "ja"
    hanako.goto(f"{base}/ja/me/")
    card = hanako.locator("article.enrolment", has_text=TITLE)
    assert card.locator(".tag-ok").count() == 1
    hanako.screenshot(path=str(SHOTS / "enrolment-promoted-ja.png"), full_page=True)

    # The provider downloads the roster of the earlier session and records Anna's completion.
    staff = sign_in(provider, base, "provider-staff@example.com", "ja")
    staff.goto(f"{base}/ja/provider/sessions/{begun_id}/roster")
    with staff.expect_download() as download:
        staff.click("a[href$='roster.csv']")
    data = open(download.value.path(), "rb").read()
    assert data.startswith(b"\xef\xbb\xbf") and b"Schmidt" in data
    staff.click("form[action$='/outcome'] button[value='1']")
    staff.wait_for_load_state()
    staff.screenshot(path=str(SHOTS / "enrolment-roster-ja.png"), full_page=True)
    anna.goto(f"{base}/en/me/")
    assert anna.locator("tr", has_text=TITLE).locator(".tag-ok").inner_text() == "Completed"
    for ctx in (en, ja, provider):
        ctx.close()


def test_on_a_phone_the_booking_message_is_on_screen(browser, live_server, course):
    """After booking at 390 px the page used to jump to the session's row, with the message off screen."""
    base, (course_id, ahead_id, _) = live_server, course
    phone = browser.new_context(locale="ja-JP", viewport={"width": 390, "height": 844})
    page = sign_in(phone, base, "gakusei@example.com", "ja")
    page.goto(f"{base}/ja/courses/{course_id}")
    page.click(f"a[href$='/sessions/{ahead_id}/enrol']")
    page.screenshot(path=str(SHOTS / "booking-summary-ja-390.png"), full_page=True)
    consent = page.locator("input[name=consent]")
    if consent.count():
        consent.check()
    page.click(f"form[action$='/sessions/{ahead_id}/enrol'] button")
    page.wait_for_load_state()
    message = page.locator(".flashes .notice-success")
    assert message.count() == 1
    box, height = message.bounding_box(), page.evaluate("window.innerHeight")
    assert box is not None and 0 <= box["y"] and box["y"] + box["height"] <= height, box
    page.screenshot(path=str(SHOTS / "booking-done-ja-390.png"))
    phone.close()
