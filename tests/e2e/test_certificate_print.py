"""The printable certificate in a real browser: printed to PDF on A4 it is one page and holds the Japanese
course title as text (so the glyphs are there, not boxes); the holder prints it from their own page, anyone
from the public verification page. Screenshots go to E2E_SHOTS for a person to look at."""
from __future__ import annotations

import io
import re
import unicodedata
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.catalog.models import Course, CourseLanguage, CourseSession, SkillArea
from app.certifications.models import Certification
from app.certifications.services import facts_of, new_public_id
from app.demo.accounts import DEMO_PASSWORD
from app.platform.database import utcnow
from app.platform.extensions import db
from app.providers.models import Organisation
from tests.e2e.conftest import SHOTS

TITLE_JA = "高電圧バッテリーパックの安全な解体作業(印刷E2E)"
TITLE_EN = "Safe dismantling of high-voltage battery packs (print E2E)"


@pytest.fixture
def certificate(live_app):
    """A public certificate of gakusei@ (山田花子) for a Kobe course, with a long Japanese title."""
    from app.accounts.services import find_by_email

    with live_app.app_context():
        kobe = db.session.execute(sa.select(Organisation).where(
            Organisation.name_en == "Kobe Battery Recycling Technology Institute")).scalar_one()
        now = utcnow()
        areas = list(db.session.execute(sa.select(SkillArea).order_by(SkillArea.position).limit(3)).scalars())
        session = CourseSession(starts_at=now - timedelta(days=5), ends_at=now - timedelta(days=4, hours=16),
                                starts_on=(now - timedelta(days=5)).date(), timezone="Asia/Tokyo",
                                venue_city="神戸", venue_country="JP", capacity=5)
        course = Course(provider=kobe, kind="training", status="published", published_at=now, title_ja=TITLE_JA,
                        title_en=TITLE_EN, audience="technician", delivery_mode="in_person", eqf_level=5,
                        duration_hours=12, certification="assessed", validity_months=36,
                        languages=[CourseLanguage(language="ja")], sessions=[session])
        course.skill_areas = areas
        db.session.add(course)
        db.session.flush()
        holder = find_by_email("gakusei@example.com")
        cert = Certification(public_id=new_public_id(), learner_id=holder.id, course_id=course.id,
                             session_id=session.id, organisation_id=kobe.id, type="assessed", issued_at=now,
                             expires_at=now + timedelta(days=3 * 365), facts=facts_of(course, session),
                             public=True, public_since=now)
        db.session.add(cert)
        db.session.commit()
        public_id = cert.public_id
        db.session.remove()
    return public_id


def pdf_of(page, name: str) -> tuple[int, str]:
    from pypdf import PdfReader

    data = page.pdf(format="A4", print_background=True)
    (SHOTS / name).write_bytes(data)
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "".join(p.extract_text() or "" for p in reader.pages)


def squeeze(text: str) -> str:
    """Text as compared: no line breaks or spaces, NFKC (Chromium's PDF maps some kanji to their Kangxi
    radical look-alikes, 山 as U+2F2D, which NFKC folds back)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@pytest.mark.parametrize("choice", ["both", "ja", "en"])
def test_public_certificate_prints_on_one_a4_page(context, live_server, certificate, choice):
    page = context.new_page()
    page.goto(f"{live_server}/ja/verify/{certificate}/print?lang_choice={choice}")
    assert page.locator(".certificate-sheet svg.qr-code").count() == 1
    page.screenshot(path=str(SHOTS / f"certificate-print-{choice}-screen.png"), full_page=True)
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden() and page.locator(".print-toolbar").is_hidden()
    page.screenshot(path=str(SHOTS / f"certificate-print-{choice}-paper.png"), full_page=True)
    pages, text = pdf_of(page, f"certificate-{choice}.pdf")
    assert pages == 1
    if choice in ("ja", "both"):
        assert squeeze(TITLE_JA) in squeeze(text) and "山田花子" in squeeze(text)
    if choice in ("en", "both"):
        assert squeeze(TITLE_EN) in squeeze(text) and "YamadaHanako" in squeeze(text)
    assert certificate in squeeze(text)


def test_holder_prints_from_their_own_page(context, live_server, certificate):
    page = context.new_page()
    page.goto(f"{live_server}/ja/account/sign-in")
    page.fill("#email", "gakusei@example.com")
    page.fill("#password", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/ja/$"))
    page.goto(f"{live_server}/ja/me/")
    page.click("a[href='/ja/me/certificates/']")
    page.click(f"a[href='/ja/me/certificates/{certificate}']")
    assert page.locator(".qr svg").count() == 1
    page.screenshot(path=str(SHOTS / "certificate-detail-ja.png"), full_page=True)
    page.click(f"a[href='/ja/me/certificates/{certificate}/print?lang_choice=ja']")
    pages, text = pdf_of(page, "certificate-holder-ja.pdf")
    assert pages == 1 and squeeze(TITLE_JA) in squeeze(text)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_public_pages_have_no_wcag_violations(page, axe, live_server, certificate, lang):
    from tests.e2e.test_accessibility import check

    for path in (f"/{lang}/verify/{certificate}", f"/{lang}/verify/{certificate}/print?lang_choice=both",
                 f"/{lang}/verify"):
        check(page, axe, live_server + path, lang)
