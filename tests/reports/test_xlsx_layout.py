"""Downloaded workbooks read well in Excel: a first row naming the filters, the header frozen under it, columns
sized to their text, and dates as real date cells in the reader's format."""
from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl

from app.enrolment import services
from app.platform.tabular import xlsx_bytes
from app.platform.tabular.sheets import column_widths, text_width
from tests.factories import make_course, make_provider, make_session, make_user, signed_in
from tests.reports.conftest import YEAR


def sheet_of(response, index: int = 0):
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.data)).worksheets[index]


def test_widths_count_japanese_double_and_are_bounded():
    assert text_width("ブラックマス") == 12 and text_width("Black") == 5
    assert column_widths([["ブラックマス入門", "x" * 200, None]]) == [18.0, 60.0, 8.0]


def test_dates_are_date_cells_and_the_header_is_frozen(app):
    with app.test_request_context("/ja/"):
        from app.i18n import use_language

        use_language("ja")
        data = xlsx_bytes([[date(2026, 4, 1), datetime(2026, 4, 1, 9, 30), "ブラックマス入門"]],
                          ["Day", "When", "Course"], note="Filters applied: none")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet["A1"].value == "Filters applied: none" and sheet.freeze_panes == "A3"
    assert [c.value for c in sheet[2]] == ["Day", "When", "Course"] and sheet["A2"].font.b
    day, moment = sheet["A3"], sheet["B3"]
    assert day.is_date and day.number_format == "yyyy/mm/dd" and day.value == datetime(2026, 4, 1)
    assert moment.is_date and moment.number_format == "yyyy/mm/dd hh:mm"
    assert sheet.column_dimensions["C"].width == 18


def test_report_download_names_its_filters(app, exchanges, training):
    client = signed_in(app, make_user("staff"))
    sheet = sheet_of(client.get(f"/ja/staff/reports/skills.xlsx?from={YEAR}-01-01&direction=jp_to_eu"))
    note = sheet["A1"].value
    assert note.startswith(f"絞り込み条件：開始日(この日以降)：{YEAR}年1月1日、交流の方向：日本 → EU")
    assert "時点の数値です" in note and "UTC" not in note
    assert sheet.freeze_panes == "A3" and sheet["A2"].value == "スキル分野"
    assert sheet.column_dimensions["A"].width > 8
    sheet = sheet_of(client.get("/en/staff/reports/skills.xlsx"))
    assert sheet["A1"].value.startswith("No filters applied. Only approved exchanges are counted")


def test_annual_workbook_sheets_name_the_year(app, exchanges, training):
    client = signed_in(app, make_user("staff"))
    response = client.get(f"/en/staff/reports/annual.xlsx?year={YEAR}")
    summary, skills = sheet_of(response, 0), sheet_of(response, 2)
    assert summary.freeze_panes == "A2"
    assert skills["A1"].value == f"Filters applied: Starting from: 1 Jan {YEAR}; Starting until: 31 Dec {YEAR}"
    assert skills.freeze_panes == "A3"


def test_roster_workbook_has_its_session_and_date_cells(app, db_session):
    org = make_provider()
    member = make_user("member", organisation=org)
    course = make_course(org, title_en="Black mass basics", title_ja="ブラックマス入門", sessions=[make_session()])
    services.enrol(make_user(), course.sessions[0])
    sheet = sheet_of(signed_in(app, member).get(f"/ja/provider/sessions/{course.sessions[0].id}/roster.xlsx"))
    assert sheet["A1"].value.startswith("ブラックマス入門・") and "受講者名簿" in sheet["A1"].value
    assert sheet.freeze_panes == "A3" and sheet["A2"].value == "状態"
    [enrolled] = [c for c in sheet[3] if c.is_date]
    assert enrolled.number_format == "yyyy/mm/dd hh:mm" and isinstance(enrolled.value, datetime)
