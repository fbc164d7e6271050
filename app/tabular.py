"""Tables in and out: CSV and XLSX writers for exports, readers for imports.

Written files are made safe to open in a spreadsheet program:

- CSV is UTF-8 with a byte-order mark (without it Excel reads Japanese as mojibake), and every text cell
  that a spreadsheet would take for a formula (it starts with = + - @, a tab or a carriage return, also
  after spaces or in their full-width forms) gets a leading apostrophe: `neutralise(cell)`.
- XLSX cells keep their exact text, stored as text (never as a formula) and, when they look like one, with
  Excel's "quote prefix" so that editing the cell does not turn it into one either.

Both answer `Content-Disposition: attachment` (with the UTF-8 file name for Japanese titles and an ASCII
fallback) and `Cache-Control: no-store`: exports hold personal data.

The readers take an uploaded file (a binary stream or bytes) and give a list of rows, refusing with a
`TabularError` (a message in the reader's language) what cannot be read, rather than failing with a 500.
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from urllib.parse import quote

from flask import Response
from flask_babel import lazy_gettext as _l

CSV_MIMETYPE = "text/csv; charset=utf-8"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOM = "\ufeff"
# What a spreadsheet program may read as the start of a formula (also the full-width forms a Japanese
# input method gives: ＝ ＋ － ＠).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
MAX_ROWS = 10_000
MAX_CELL = 32_767  # Excel's own limit on a cell's text
MAX_BYTES = 10 * 1024 * 1024
SHEET_TITLE_MAX = 31


class TabularError(Exception):
    """A file that cannot be read as a table; str() is the message in the reader's language."""

    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


# Writing ---------------------------------------------------------------------------------------------

def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS) or text.lstrip(" \u3000").startswith(FORMULA_STARTS)


def neutralise(cell):
    """A text cell a spreadsheet would run as a formula, with a leading apostrophe; numbers, dates and
    other text unchanged; None as an empty cell. (OWASP "CSV injection".)"""
    if cell is None:
        return ""
    if isinstance(cell, bool | int | float | Decimal | date | time):
        return cell
    text = str(cell)
    return "'" + text if looks_like_formula(text) else text


def _csv_cell(cell) -> str:
    value = neutralise(cell)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def csv_bytes(rows: Iterable[Sequence], headers: Sequence[str] | None = None) -> bytes:
    """UTF-8 with a byte-order mark, CRLF line ends (RFC 4180), every cell neutralised."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    if headers is not None:
        writer.writerow([_csv_cell(h) for h in headers])
    for row in rows:
        writer.writerow([_csv_cell(cell) for cell in row])
    return out.getvalue().encode("utf-8")


def xlsx_bytes(rows: Iterable[Sequence], headers: Sequence[str] | None = None, sheet_title: str = "Sheet1") -> bytes:
    """An .xlsx workbook of one sheet, written in openpyxl's streaming (write-only) mode."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(sheet_title))
    bold = Font(bold=True)

    def cell(value, header: bool = False):
        if value is None:
            return None
        if isinstance(value, datetime) and value.tzinfo is not None:
            value = value.replace(tzinfo=None)  # Excel has no time zones; the caller names the zone
        if isinstance(value, str):
            value = _xml_safe(value)[:MAX_CELL]
        item = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            item.data_type = "s"  # text, never a formula
            if looks_like_formula(value):
                item.quotePrefix = True
        if header:
            item.font = bold
        return item

    if headers is not None:
        sheet.append([cell(h, header=True) for h in headers])
    for row in rows:
        sheet.append([cell(value) for value in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    """XML 1.0 cannot hold most control characters; openpyxl would raise on them."""
    return _XML_ILLEGAL.sub("", text)


def _sheet_title(title: str) -> str:
    cleaned = re.sub(r"[\[\]:*?/\\]", " ", str(title)).strip().strip("'") or "Sheet1"
    return cleaned[:SHEET_TITLE_MAX]


def safe_filename(name: str, fallback: str = "export") -> str:
    """A file name without path separators, control characters or quotes; spaces become hyphens."""
    name = unicodedata.normalize("NFKC", str(name))
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] not in ("C", "Z") or ch == " ")
    name = re.sub(r'[\\/:*?"<>|;,]+', " ", name)
    name = re.sub(r"\s+", "-", name.strip()).strip(".-")
    return name[:120] or fallback


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII name for old clients and the UTF-8 name (RFC 6266 / 5987)."""
    filename = safe_filename(filename)
    stem, dot, ext = filename.rpartition(".")
    ascii_stem = safe_filename(
        unicodedata.normalize("NFKD", stem if dot else filename).encode("ascii", "ignore").decode("ascii"),
        fallback="export",
    )
    ascii_name = f"{ascii_stem}.{ext}" if dot else ascii_stem
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _download(body: bytes, mimetype: str, filename: str) -> Response:
    response = Response(body, content_type=mimetype)  # mimetype= would add a second "; charset=utf-8"
    response.headers["Content-Disposition"] = content_disposition(filename)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def csv_response(rows: Iterable[Sequence], headers: Sequence[str] | None, filename: str) -> Response:
    return _download(csv_bytes(rows, headers), CSV_MIMETYPE, filename)


def xlsx_response(rows: Iterable[Sequence], headers: Sequence[str] | None, filename: str,
                  sheet_title: str = "Sheet1") -> Response:
    return _download(xlsx_bytes(rows, headers, sheet_title), XLSX_MIMETYPE, filename)


# Reading ---------------------------------------------------------------------------------------------

def _read_bytes(stream, max_bytes: int) -> bytes:
    data = stream if isinstance(stream, bytes | bytearray) else stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise TabularError(_l("The file is too large (at most %(mb)s MB).", mb=max_bytes // (1024 * 1024)))
    return bytes(data)


def _restore(text: str) -> str:
    """Undo `neutralise` on a file this site wrote: "'=x" is read back as "=x"."""
    return text[1:] if text.startswith("'") and looks_like_formula(text[1:]) else text


def _trim(row: list) -> list:
    while row and (row[-1] is None or row[-1] == ""):
        row.pop()
    return row


def _check_rows(count: int, max_rows: int) -> None:
    if count > max_rows:
        raise TabularError(_l("The file has too many rows (at most %(n)s).", n=max_rows))


def _delimiter(text: str) -> str:
    """The separator the heading line uses most: comma (the default), semicolon (European Excel) or tab."""
    first = text.lstrip("\r\n").split("\n", 1)[0]
    counts = {sep: first.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] > counts[","] else ","


_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _decode_utf16(data: bytes) -> str:
    """UTF-16 with a byte-order mark (Excel's "Unicode text"); refused when what it decodes to is not
    text (unassigned, private or lone surrogate code points, control characters)."""
    try:
        text = data.decode("utf-16")
    except UnicodeDecodeError as error:
        raise TabularError(_l("The file's characters could not be read: save it as CSV in UTF-8.")) from error
    for ch in text:
        if unicodedata.category(ch) in ("Cn", "Co", "Cs") or (ch < " " and ch not in "\t\r\n") or ch == BOM:
            raise TabularError(_l("The file's characters could not be read: save it as CSV in UTF-8."))
    return text


def _decode(data: bytes) -> str:
    if data.startswith(_UTF16_BOMS):
        return _decode_utf16(data)
    if b"\x00" in data:
        raise TabularError(_l("This is not a CSV file."))
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TabularError(_l("The file's characters could not be read: save it as CSV in UTF-8."))


def read_csv(stream, *, max_rows: int = MAX_ROWS, max_bytes: int = MAX_BYTES, restore: bool = True,
             numbered: bool = False) -> list:
    """The rows of a CSV file (UTF-8 with or without a byte-order mark, Shift_JIS as Japanese Excel
    saves it, or UTF-16 with a byte-order mark; comma, semicolon or tab separated). Empty rows and
    trailing empty cells are dropped. numbered=True gives (line number in the file, row) pairs."""
    text = _decode(_read_bytes(stream, max_bytes))
    rows: list = []
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
        line = 1
        for raw in reader:
            row = _trim([_restore(cell) if restore else cell for cell in raw])
            if row:
                rows.append((line, row) if numbered else row)
                _check_rows(len(rows), max_rows)
            line = reader.line_num + 1
    except csv.Error as error:
        raise TabularError(_l("The CSV file is malformed: %(error)s", error=str(error))) from error
    return rows


_FORMULA_ELEMENT = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _has_formulas(data: bytes) -> bool:
    """Whether any worksheet of the workbook holds a formula (scanned without parsing the XML)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                with archive.open(name) as part:
                    tail = b""
                    while chunk := part.read(1 << 20):
                        if _FORMULA_ELEMENT.search(tail + chunk):
                            return True
                        tail = chunk[-16:]
    return False


def _formula_cells(data: bytes, title: str) -> set[tuple[int, int]]:
    """(row, column) of every formula on the sheet, read in streaming mode."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        return {(cell.row, cell.column) for row in workbook[title].iter_rows()
                for cell in row if getattr(cell, "data_type", None) == "f"}
    finally:
        workbook.close()


def read_xlsx(stream, *, max_rows: int = MAX_ROWS, max_bytes: int = MAX_BYTES, restore: bool = True,
              sheet: str | None = None, numbered: bool = False, uncached=None) -> list:
    """The rows of a worksheet (the first, or the one named), read in openpyxl's streaming mode.

    Cells keep their type (str, int, float, datetime, bool); empty cells are None inside a row, and
    empty rows and trailing empty cells are dropped. Formulas are not evaluated: their last saved value
    is read; given `uncached`, a formula without a saved value reads as that object instead of None
    (the file is then read twice). numbered=True gives (row number on the sheet, row) pairs."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    data = _read_bytes(stream, max_bytes)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as error:
        raise TabularError(_l("This is not an Excel workbook (.xlsx).")) from error
    try:
        if sheet is not None and sheet not in workbook.sheetnames:
            raise TabularError(_l("The workbook has no sheet called %(name)s.", name=sheet))
        worksheet = workbook[sheet] if sheet is not None else workbook.worksheets[0]
        formulas = (_formula_cells(data, worksheet.title)
                    if uncached is not None and _has_formulas(data) else set())
        rows: list = []
        for number, values in enumerate(worksheet.iter_rows(min_row=1, min_col=1, values_only=True), start=1):
            if formulas:
                values = [uncached if v is None and (number, col) in formulas else v
                          for col, v in enumerate(values, start=1)]
            row = _trim([_restore(v) if restore and isinstance(v, str) else v for v in values])
            if row:
                rows.append((number, row) if numbered else row)
                _check_rows(len(rows), max_rows)
        return rows
    except TabularError:
        raise
    except Exception as error:  # noqa: BLE001 - a damaged workbook fails in many ways inside openpyxl
        raise TabularError(_l("This Excel workbook could not be read.")) from error
    finally:
        workbook.close()


# Workbooks of several sheets ------------------------------------------------------------------------

_RESERVED_SHEET_TITLES = {"history"}  # Excel keeps "History" for itself


def _workbook_sheet_titles(titles: Iterable[str]) -> list[str]:
    """Excel's rules for sheet names: 1-31 characters, none of [ ] : * ? / \\, not starting or ending with an
    apostrophe, not "History", and unique without regard to case (a clash gets " (2)", " (3)", ...)."""
    result: list[str] = []
    taken: set[str] = set()
    for title in titles:
        base = _sheet_title(_xml_safe(str(title))).strip().strip("'").strip() or "Sheet"
        if base.casefold() in _RESERVED_SHEET_TITLES:
            base = f"{base} (1)"
        candidate, n = base, 1
        while candidate.casefold() in taken:
            n += 1
            suffix = f" ({n})"
            candidate = base[:SHEET_TITLE_MAX - len(suffix)].rstrip().rstrip("'") + suffix
        taken.add(candidate.casefold())
        result.append(candidate)
    return result


def _write_only_cell(sheet, value, font=None):
    """A cell as xlsx_bytes writes it: text kept exact, stored as text (never a formula) with Excel's quote
    prefix when it looks like one; XML-illegal characters dropped; time zones dropped."""
    from openpyxl.cell import WriteOnlyCell

    if value is None:
        return None
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = value.replace(tzinfo=None)
    if not isinstance(value, bool | int | float | Decimal | date | time | str):
        value = str(value)  # lazy strings, Markup, ...
    if isinstance(value, str):
        value = _xml_safe(value)[:MAX_CELL]
    item = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        item.data_type = "s"
        if looks_like_formula(value):
            item.quotePrefix = True
    if font is not None:
        item.font = font
    return item


def xlsx_workbook_bytes(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence]]]) -> bytes:
    """An .xlsx workbook of one sheet per (title, headers, rows), in the order given, written in openpyxl's
    streaming (write-only) mode; titles are made valid and unique (see _workbook_sheet_titles)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    sheets = list(sheets) or [("Sheet1", [], [])]
    for title, (_title, headers, rows) in zip(_workbook_sheet_titles(s[0] for s in sheets), sheets):
        sheet = workbook.create_sheet(title=title)
        if headers:
            sheet.append([_write_only_cell(sheet, h, bold) for h in headers])
        for row in rows:
            sheet.append([_write_only_cell(sheet, value) for value in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsx_workbook_response(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence]]],
                           filename: str) -> Response:
    """The workbook as a download: attachment (UTF-8 file name with an ASCII fallback), no-store, nosniff."""
    return _download(xlsx_workbook_bytes(sheets), XLSX_MIMETYPE, filename)
