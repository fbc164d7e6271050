"""The annual report as an XLSX workbook: one sheet per table, the page's numbers, Japanese intact; and the
multi-sheet writer in app.platform.tabular (sheet names by Excel's rules, cells never formulas)."""
from __future__ import annotations

import html as htmllib
import io
import re

import pytest
from openpyxl import load_workbook

from app.platform.tabular import _has_formulas, xlsx_workbook_bytes
from app.reports import figures
from tests.factories import make_client, make_user, sign_in
from tests.reports.conftest import YEAR

EN_TITLES = ["Summary", "Exchanges by quarter", "Exchanges by skill area", "Exchanges by country pair",
             "Exchanges by cooperation area", "Certificates by skill area", "Certificates by provider",
             "Enrolments by course", "Enrolments by provider", "Enrolments by skill area", "Learners by region",
             "Learners by country"]


def staff_client(app, role="staff"):
    client = make_client(app)
    sign_in(client, make_user(role))
    return client


def workbook(response):
    assert response.status_code == 200, response.status_code
    return load_workbook(io.BytesIO(response.data))


def sheet_rows(sheet) -> list[list]:
    """The table: from the header row, the one just above the frozen pane (a note on the filters may
    come first)."""
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    return rows[int(sheet.freeze_panes[1:]) - 2 if sheet.freeze_panes else 0:]


def page_tables(html: str) -> dict[str, list[list[str]]]:
    """Each figure's table on the page: slug -> rows of cell texts (headers first)."""
    tables = {}
    for slug, body in re.findall(r'<section class="report-figure" id="figure-([\w-]+)".*?>(.*?)</section>', html,
                                 flags=re.S):
        rows = []
        for tr in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S):
            cells = re.findall(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", tr, flags=re.S)
            rows.append([htmllib.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in cells])
        tables[slug] = rows
    return tables


def same(page_cell: str, value) -> bool:
    if value is None:
        return page_cell == "—"
    if isinstance(value, str):
        return page_cell == value
    return float(page_cell.replace(",", "").rstrip("%")) == pytest.approx(float(value))


@pytest.mark.parametrize("path", [f"/en/staff/reports/annual.xlsx?year={YEAR}", "/ja/staff/reports/annual.xlsx"])
def test_permissions(app, db_session, path):
    response = make_client(app).get(path)
    assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"]
    for role in ("learner", "member", "owner"):
        assert staff_client(app, role).get(path).status_code == 403, role
    for role in ("staff", "admin"):
        assert staff_client(app, role).get(path).status_code == 200, role


def test_one_sheet_per_table_with_the_pages_numbers(app, exchanges, training):
    client = staff_client(app)
    response = client.get(f"/en/staff/reports/annual.xlsx?year={YEAR}")
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"].startswith(f'attachment; filename="Annual-report-{YEAR}.xlsx"')
    book = workbook(response)
    assert book.sheetnames == EN_TITLES
    html = client.get(f"/en/staff/reports/annual?year={YEAR}").get_data(as_text=True)
    tables = page_tables(html)
    assert list(tables) == list(figures.FIGURES)
    for slug, sheet in zip(figures.FIGURES, book.worksheets[1:]):
        rows, page = sheet_rows(sheet), tables[slug]
        assert rows[0] == page[0], slug  # the headers
        assert len(rows) == len(page), slug
        for got, shown in zip(rows[1:], page[1:]):
            assert len(got) == len(shown) and all(same(s, v) for s, v in zip(shown, got)), (slug, got, shown)
    # This year's approved exchanges: JP→DE 10 days, JP→FR 5, DE→JP 3, FR→DE 4 (not last year's, not the
    # submitted or rejected ones).
    summary = sheet_rows(book["Summary"])
    assert summary[0] == [f"Annual report {YEAR}", None]
    assert summary[1:4] == [["Year", YEAR], ["Exchanges", 4], ["Participant-days", 22]]
    assert [f"{YEAR} Q1", "Japan → EU", 1, 10] in sheet_rows(book["Exchanges by quarter"])
    assert ["Japan → Germany", 1, 10] in sheet_rows(book["Exchanges by country pair"])
    page_totals = re.findall(r"<li><strong>([\d,]+)</strong>", html)
    assert [int(n.replace(",", "")) for n in page_totals] == [summary[2][1], summary[3][1], summary[4][1]]


def test_japanese_headers_and_names_intact(app, exchanges, training):
    client = staff_client(app)
    book = workbook(client.get(f"/ja/staff/reports/annual.xlsx?year={YEAR}"))
    with app.test_request_context("/ja/"):
        from flask_babel import force_locale

        with force_locale("ja"):
            expected = [str(figures.FIGURES[slug][0]) for slug in figures.FIGURES]
    assert len(book.sheetnames) == 1 + len(figures.FIGURES)
    for slug, name, title in zip(figures.FIGURES, book.sheetnames[1:], expected):
        if slug not in ("period", "countries"):  # these two have short names of their own
            assert name == title[:31], slug
    assert "スキル分野別の人材交流" in book.sheetnames
    values = {slug: sheet_rows(sheet) for slug, sheet in zip(figures.FIGURES, book.worksheets[1:])}
    assert values["period"][0] == ["期間", "交流の方向", "人材交流件数", "参加者延べ日数"]
    assert values["skills"][0][0] == "スキル分野"
    assert ["日本 → ドイツ", 1, 10] in values["countries"]
    # Course C1 has a session within 20 days of today, so always one this year (C2's is 40 days ahead).
    assert "ブラックマス入門" in [row[0] for row in values["enrolments-courses"][1:]]
    assert values["enrolments-courses"][0][0] == "講座"
    html = client.get(f"/ja/staff/reports/annual?year={YEAR}").get_data(as_text=True)
    tables = page_tables(html)
    for slug in figures.FIGURES:
        assert values[slug][0] == tables[slug][0], slug
        for got, shown in zip(values[slug][1:], tables[slug][1:]):
            assert all(same(s, v) for s, v in zip(shown, got)), (slug, got, shown)


def test_workbook_has_every_row_of_the_long_tables(app, exchanges, monkeypatch):
    """The page shows the largest TOP rows of the long tables; the workbook has them all."""
    monkeypatch.setattr(figures, "TOP", 1)
    client = staff_client(app)
    html = client.get(f"/en/staff/reports/annual?year={YEAR}").get_data(as_text=True)
    assert len(page_tables(html)["countries"]) == 1 + 1
    book = workbook(client.get(f"/en/staff/reports/annual.xlsx?year={YEAR}"))
    assert len(sheet_rows(book["Exchanges by country pair"])) == 1 + 4


def test_a_year_without_figures_and_a_bad_year(app, db_session):
    client = staff_client(app)
    book = workbook(client.get("/en/staff/reports/annual.xlsx?year=1991"))
    assert book.sheetnames == EN_TITLES
    assert sheet_rows(book["Summary"])[1:4] == [["Year", 1991], ["Exchanges", 0], ["Participant-days", 0]]
    assert sheet_rows(book["Exchanges by skill area"]) == [["Skill area", "Exchanges", "Participant-days"]]
    assert workbook(client.get("/en/staff/reports/annual.xlsx?year=abc")).sheetnames == EN_TITLES


def test_the_annual_page_links_to_the_workbook(app, db_session):
    html = staff_client(app).get(f"/en/staff/reports/annual?year={YEAR}").get_data(as_text=True)
    nav = re.search(r'<nav class="report-actions".*?</nav>', html, flags=re.S).group(0)  # hidden in print
    assert f'href="/en/staff/reports/annual.xlsx?year={YEAR}"' in nav
    assert "Download as Excel (one sheet per table)" in nav


# The writer -------------------------------------------------------------------------------------------

def test_sheet_titles_follow_excels_rules():
    long = "Exchanges and participant-days by direction and period"
    data = xlsx_workbook_bytes([
        (long, ["a"], []), (long, ["a"], []), ("a/b\\c?d*e:f[g]", ["a"], []), ("SUMMARY", [], []),
        ("summary", [], []), ("", [], []), ("'quoted'", [], []), ("History", [], []), ("日本語のシート", [], []),
    ])
    names = load_workbook(io.BytesIO(data)).sheetnames
    assert all(1 <= len(n) <= 31 and not set(n) & set("[]:*?/\\") and n[0] != "'" and n[-1] != "'" for n in names)
    assert len({n.casefold() for n in names}) == len(names)
    assert names[0] == "Exchanges and participant-days"
    assert names[1].endswith(" (2)") and names[1].startswith("Exchanges and")
    assert names[2] == "a b c d e f g" and names[3:5] == ["SUMMARY", "summary (2)"]
    assert names[6] == "quoted" and names[7] != "History" and names[8] == "日本語のシート"


def test_cells_are_text_never_formulas():
    data = xlsx_workbook_bytes([("One", ["=SUM(A1)", "n"], [["=HYPERLINK(\"x\")", 3], ["＝1+1", None],
                                                          ["bad\x00\x07text", 2.5]]),
                                ("Two", ["h"], [["+cmd"], ["plain"]])])
    book = load_workbook(io.BytesIO(data))
    one, two = book["One"], book["Two"]
    assert one["A1"].value == "=SUM(A1)" and one["A1"].data_type == "s" and one["A1"].quotePrefix
    assert one["A1"].font.bold
    assert one["A2"].value == '=HYPERLINK("x")' and one["A2"].data_type == "s" and one["A2"].quotePrefix
    assert one["B2"].value == 3 and one["B3"].value is None and one["A3"].quotePrefix
    assert one["A4"].value == "badtext" and one["B4"].value == 2.5
    assert two["A2"].value == "+cmd" and two["A2"].quotePrefix and not two["A3"].quotePrefix
    assert not _has_formulas(data)
