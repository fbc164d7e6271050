"""Certificates in a real browser, in both languages: the provider issues certificates for a completed session
from its roster; the learner makes one public and opens its share link (the one its QR code holds) in a fresh
browser context, where the page shows the facts and says valid; the provider revokes it and the page says
revoked."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.catalog.models import Course, CourseLanguage, CourseSession, SkillArea
from app.catalog.services import reindex_courses
from app.demo.accounts import DEMO_PASSWORD
from app.enrolment.models import Enrolment
from app.platform.database import utcnow
from app.platform.extensions import db
from app.providers.models import Organisation
from tests.e2e.conftest import SHOTS

TITLE_EN = "Stationary storage maintenance (E2E certificate)"
TITLE_JA = "定置用蓄電池の保守 修了認定(E2E)"
REASON = "Attendance records were found to be wrong."


@pytest.fixture
def completed_session(live_app):
    """A Kobe course that awards a 36-month certificate of completion, with a session that ended yesterday
    and learner@ and gakusei@ marked completed."""
    from app.accounts.services import find_by_email

    with live_app.app_context():
        kobe = db.session.execute(sa.select(Organisation).where(
            Organisation.name_en == "Kobe Battery Recycling Technology Institute")).scalar_one()
        areas = list(db.session.scalars(sa.select(SkillArea).order_by(SkillArea.position).limit(2)))
        now = utcnow()
        past = CourseSession(starts_at=now - timedelta(days=2), ends_at=now - timedelta(days=1, hours=18),
                             starts_on=(now - timedelta(days=2)).date(), timezone="Asia/Tokyo",
                             venue_city="神戸", venue_country="JP", capacity=5, seats_taken=2)
        course = Course(provider=kobe, kind="training", status="published", published_at=now, title_en=TITLE_EN,
                        title_ja=TITLE_JA, audience="technician", delivery_mode="in_person", duration_hours=12,
                        eqf_level=4, certification="completion", validity_months=36,
                        languages=[CourseLanguage(language="ja")], sessions=[past])
        course.skill_areas = areas
        db.session.add(course)
        db.session.flush()
        for email in ("learner@example.com", "gakusei@example.com"):
            db.session.add(Enrolment(session_id=past.id, learner_id=find_by_email(email).id, status="completed",
                                     confirmed_at=now - timedelta(days=5), outcome_at=now - timedelta(days=1)))
        reindex_courses([course.id])
        db.session.commit()
        ids = course.id, past.id
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


def shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"certificate-{name}.png"), full_page=True)


def qr_path(svg: str) -> str:
    return re.search(r'<path[^>]* d="([^"]+)"', svg).group(1)


def test_issue_share_verify_revoke(browser, live_server, live_app, completed_session, shots_dir):
    from app.certifications.qr import qr_svg

    base, (course_id, session_id) = live_server, completed_session
    outbox = live_app.extensions["mail_outbox"]
    provider_ctx = browser.new_context(locale="ja-JP")
    learner_ctx = browser.new_context(locale="en-GB")

    # The provider (in Japanese) issues certificates to everyone who completed the session.
    staff = sign_in(provider_ctx, base, "provider-staff@example.com", "ja")
    staff.goto(f"{base}/ja/provider/sessions/{session_id}/roster")
    assert staff.locator("form[action$='/certificate'] button").count() == 2  # one per learner
    shot(staff, "1-roster-before-ja")
    staff.click(f"form[action$='/sessions/{session_id}/certificates'] button")
    staff.wait_for_load_state()
    links = staff.locator("a[href*='cert=']")
    assert links.count() == 2
    assert staff.locator(f"form[action$='/sessions/{session_id}/certificates']").count() == 0
    shot(staff, "2-roster-issued-ja")
    issued = [m for m in outbox if m["To"] in ("learner@example.com", "gakusei@example.com")
              and (TITLE_EN in m["Subject"] or TITLE_JA in m["Subject"])]
    languages = {m["To"]: m["Content-Language"] for m in issued}
    assert languages == {"learner@example.com": "en", "gakusei@example.com": "ja"}

    # The organisation's list, in English.
    staff.goto(f"{base}/en/provider/certificates?course={course_id}")
    assert staff.locator("table.certificates tbody tr").count() == 2
    assert staff.locator("table.certificates .tag-ok").count() == 2
    shot(staff, "3-provider-list-en")

    # The learner (in English) finds the certificate and turns its public page on.
    anna = sign_in(learner_ctx, base, "learner@example.com", "en")
    anna.goto(f"{base}/en/me/certificates/")
    anna.locator("a", has_text=TITLE_EN).first.click()
    anna.wait_for_url(re.compile(r"/en/me/certificates/[A-Za-z0-9_-]{32,}$"))
    public_id = anna.url.rsplit("/", 1)[1]
    anna.click(f"form[action$='/{public_id}/visibility'] button")
    anna.wait_for_load_state()
    assert anna.locator(".tag-ok", has_text="Public page on").count() == 1
    share = anna.locator("a.share-link").get_attribute("href")
    assert share.endswith(f"/en/verify/{public_id}")
    # The QR code on the page holds exactly the share link.
    assert qr_path(anna.locator(".qr svg").evaluate("el => el.outerHTML")) == qr_path(qr_svg(share, "x"))
    shot(anna, "4-learner-public-en")

    # Anyone (a fresh browser context, no cookies) opens the link: every fact, and "valid".
    link = base + share[share.index("/en/verify/"):]
    visitor_ctx = browser.new_context(locale="en-GB")
    visitor = visitor_ctx.new_page()
    visitor.goto(link)
    assert visitor.locator(".certificate-status").get_attribute("data-state") == "valid"
    assert visitor.locator("meta[name=robots][content*=noindex]").count() == 1
    facts = visitor.locator(".certificate-facts").inner_text()
    # "6 hours": the session's own hours, not the course's nominal 12
    for text in ("Anna Schmidt", TITLE_EN, TITLE_JA, "Kobe Battery Recycling Technology Institute", "6 hours", "4",
                 public_id):
        assert text in facts, text
    assert "learner@example.com" not in visitor.content() and "Cellwerk" not in visitor.content()
    shot(visitor, "5-verify-valid-en")
    visitor.goto(link.replace("/en/verify/", "/ja/verify/"))
    assert visitor.locator(".certificate-status").get_attribute("data-state") == "valid"
    assert TITLE_JA in visitor.locator(".certificate-facts").inner_text()
    shot(visitor, "6-verify-valid-ja")

    # The provider revokes it, with a reason; the page says revoked, in both languages.
    staff.goto(f"{base}/ja/provider/certificates?cert={public_id}")
    row = staff.locator(f"#cert-{public_id}")
    row.locator("a[href*='/revoke']").click()  # a page of its own asks first
    staff.wait_for_load_state()
    staff.locator("textarea[name=reason]").fill(REASON)
    staff.locator("button.button-danger").click()
    staff.wait_for_load_state()
    assert staff.locator(f"#cert-{public_id} .tag-danger").count() == 1
    shot(staff, "7-provider-revoked-ja")
    assert any(m["To"] == "learner@example.com" and REASON in m.get_content() for m in outbox)

    visitor.goto(link)
    assert visitor.locator(".certificate-status").get_attribute("data-state") == "revoked"
    assert REASON in visitor.locator(".certificate-status").inner_text()
    shot(visitor, "8-verify-revoked-en")
    visitor.goto(link.replace("/en/verify/", "/ja/verify/"))
    assert visitor.locator(".certificate-status").get_attribute("data-state") == "revoked"
    shot(visitor, "9-verify-revoked-ja")
    for ctx in (provider_ctx, learner_ctx, visitor_ctx):
        ctx.close()
