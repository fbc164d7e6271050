"""Talent exchanges in a real browser (issue 6, "Done when"): a provider's staff member submits an exchange in
Japanese; association staff import 200 more from the template, approve the submission, filter the report to
JP→EU recycling exchanges of this year, download it as XLSX (Japanese text intact) and print the annual report."""
from __future__ import annotations

import io
import re
from datetime import date

import openpyxl
import sqlalchemy as sa

from app.demo.accounts import DEMO_PASSWORD
from tests.e2e.conftest import SHOTS, demo_totp_code

KOBE = "Kobe Battery Recycling Technology Institute"
VOLTWERK = "VoltWerk Akademie"


def sign_in(page, base: str, email: str, lang: str) -> None:
    page.goto(f"{base}/{lang}/account/sign-in")
    page.fill("#email", email)
    page.fill("#password", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    if "/two-factor" in page.url:
        page.fill("input[name=code]", demo_totp_code(email))
        page.click("main form button[type=submit] >> nth=0")
    page.wait_for_url(re.compile(rf"/{lang}/"))


def recycling_skill_id(live_app) -> int:
    from app.catalog.models import SkillArea
    from app.platform.extensions import db

    with live_app.app_context():
        return db.session.scalar(sa.select(SkillArea.id).where(SkillArea.code == "recycling"))


def import_file(template: bytes, year: int) -> bytes:
    """200 rows under the template's own headings: 150 JP→EU recycling placements, 50 EU→JP data-sharing visits."""
    headings = [c.value for c in next(openpyxl.load_workbook(io.BytesIO(template)).active.iter_rows(max_row=1))]
    keys = [str(h).split(" / ")[0].strip() for h in headings]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headings)
    for i in range(200):
        jp_to_eu = i < 150
        row = {
            "participant_name_native": f"交流 太郎{i}", "participant_name_latin": f"KORYU Taro {i}",
            "participant_type": "受講者" if i % 2 else "learner",
            "sending_organisation": KOBE if jp_to_eu else VOLTWERK, "sending_country": "JP" if jp_to_eu else "DE",
            "receiving_organisation": VOLTWERK if jp_to_eu else KOBE, "receiving_country": "DE" if jp_to_eu else "JP",
            "activity_type": "placement" if jp_to_eu else "視察",
            "cooperation_area": "recycling" if jp_to_eu else "data-sharing", "skill_areas": "recycling",
            "start": f"{year}-{1 + i % 10:02d}-{1 + i % 27:02d}", "end": f"{year}-{1 + i % 10:02d}-28",
            "funding_amount": "1500.00", "currency": "EUR", "funding_source": "Erasmus+", "green_travel": "yes",
            "status": "completed", "outcome_notes": "ブラックマスの選別を学んだ",
        }
        sheet.append([row.get(k, "") for k in keys])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_provider_submits_staff_import_approve_report_and_print(browser, live_server, live_app, tmp_path, axe):
    base, year = live_server, date.today().year
    SHOTS.mkdir(parents=True, exist_ok=True)
    provider = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
    staff = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900}, accept_downloads=True)
    try:
        # 1. A provider's staff member records an exchange, in Japanese: submitted for approval.
        page = provider.new_page()
        sign_in(page, base, "provider-staff@example.com", "ja")
        page.goto(f"{base}/ja/provider/exchanges")
        assert page.evaluate("document.documentElement.lang") == "ja"
        page.click("a[href$='/ja/provider/exchanges/new']")
        assert not axe.run(page).violations_count
        page.fill("#participant_name_native", "佐々木 美咲")
        page.fill("#participant_name_latin", "SASAKI Misaki")
        page.select_option("#sending_org_id", label="神戸電池リサイクル技術研究所 (JP)")
        page.select_option("#receiving_org_id", label="ボルトヴェルク・アカデミー (DE)")
        page.select_option("#activity_type", "placement")
        page.select_option("#cooperation_area", "recycling")
        page.check(f"input[name=skill_areas][value='{recycling_skill_id(live_app)}']")
        page.fill("#starts_on", f"{year}-05-11")
        page.fill("#ends_on", f"{year}-05-30")
        page.fill("#funding_amount", "２０００００")
        page.select_option("#funding_currency", "JPY")
        page.check("#green_travel")
        page.select_option("#status", "completed")
        page.fill("#outcome_notes", "ブラックマスの湿式処理を実習した。")
        page.click("main form.exchange-form button[type=submit]")
        page.wait_for_url(re.compile(r"/ja/provider/exchanges/\d+$"))
        exchange_id = int(page.url.rsplit("/", 1)[1])
        assert "佐々木 美咲" in page.content() and "submitted" not in page.url
        assert page.locator(".tag.approval-submitted").count() == 1
        assert not axe.run(page).violations_count
        page.screenshot(path=str(SHOTS / "exchange-provider-submitted.png"), full_page=True)

        # 2. Staff download the import template and upload 200 rows; the preview is clean; they confirm.
        spage = staff.new_page()
        sign_in(spage, base, "staff@example.com", "en")
        spage.goto(f"{base}/en/staff/exchanges")
        spage.click("nav.staff-nav a[href$='/en/staff/exchanges']")
        spage.goto(f"{base}/en/staff/exchanges/import")
        template = spage.request.get(f"{base}/en/staff/exchanges/import/template.xlsx")
        assert template.ok
        upload = tmp_path / "exchanges.xlsx"
        upload.write_bytes(import_file(template.body(), year))
        spage.set_input_files("input[type=file]", str(upload))
        spage.click("main form[enctype] button[type=submit]")
        spage.wait_for_url(re.compile(r"/en/staff/exchanges/import/[^/]+$"))
        spage.screenshot(path=str(SHOTS / "exchange-import-preview.png"), full_page=True)
        spage.click("main form button[type=submit]:has-text('Save 200')")
        spage.wait_for_load_state()
        assert "200 exchanges imported" in spage.content()

        # 3. Staff approve the provider's submission from the queue.
        spage.goto(f"{base}/en/staff/exchanges?approval=submitted")
        spage.click(f"a[href$='/en/staff/exchanges/{exchange_id}']")
        assert "SASAKI Misaki" in spage.content() and "Japan → EU" in spage.content()
        spage.click("form[action$='/approve'] button")
        spage.wait_for_url(re.compile(rf"/en/staff/exchanges/{exchange_id}$"))
        assert spage.locator(".tag.approval-approved").count() == 1
        assert not axe.run(spage).violations_count
        page.reload()
        assert page.locator(".tag.approval-approved").count() == 1  # the provider sees it approved

        # 4. The report, in Japanese, filtered to JP→EU recycling exchanges of this year, as XLSX.
        spage.goto(f"{base}/ja/staff/reports")
        spage.fill("#xf-from", f"{year}-01-01")
        spage.fill("#xf-to", f"{year}-12-31")
        spage.check("input[name=direction][value=jp_to_eu]")
        spage.check("input[name=area][value=recycling]")
        spage.click("form.exchange-filters button[type=submit]")
        spage.wait_for_url(re.compile(r"direction=jp_to_eu"))
        assert "area=recycling" in spage.url and f"from={year}-01-01" in spage.url
        spage.screenshot(path=str(SHOTS / "exchange-report-filtered.png"), full_page=True)
        with spage.expect_download() as info:
            spage.click("#figure-countries a[href*='.xlsx']")
        assert info.value.suggested_filename.endswith(".xlsx")
        book = openpyxl.load_workbook(io.BytesIO(open(info.value.path(), "rb").read()))
        values = [c for row in book.active.iter_rows(values_only=True) for c in row if c is not None]
        text = " ".join(map(str, values))
        assert "日本" in text and "ドイツ" in text, text[:500]  # JP → DE, named in Japanese
        assert any(isinstance(c, int) and c >= 151 for c in values), text[:500]  # 150 imported + the submission
        # the same filter as a shareable list URL
        spage.goto(f"{base}/en/staff/exchanges?direction=jp_to_eu&area=recycling&approval=approved"
                   f"&from={year}-01-01&to={year}-12-31")
        count = int(re.search(r"([\d,]+) exchanges?", spage.inner_text(".results-count")).group(1).replace(",", ""))
        assert count >= 151
        spage.screenshot(path=str(SHOTS / "exchange-staff-list.png"))
        assert not axe.run(spage).violations_count

        # 5. The annual report prints.
        spage.goto(f"{base}/en/staff/reports/annual?year={year}")
        assert spage.locator("h1").count() == 1
        spage.emulate_media(media="print")
        assert spage.pdf(format="A4")[:4] == b"%PDF"
        spage.screenshot(path=str(SHOTS / "exchange-annual-print.png"), full_page=True)
    finally:
        provider.close()
        staff.close()
