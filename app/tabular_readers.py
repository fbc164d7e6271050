"""Reading uploaded tables for imports: CSV (UTF-8 with or without BOM, UTF-16, Shift_JIS; comma, semicolon or
tab) and XLSX (read-only, streaming). A file that cannot be read is a TabularError with a message in the
reader's language, never a 500. `app.tabular` re-exports read_csv and read_xlsx."""
from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile

from flask_babel import lazy_gettext as _l

from app.tabular import BOM, MAX_BYTES, MAX_ROWS, TabularError, looks_like_formula

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


def read_xlsx(stream, *, max_rows: int = MAX_ROWS, max_bytes: int = MAX_BYTES, restore: bool = True,
              sheet: str | None = None, numbered: bool = False, uncached=None) -> list:
    """The rows of a worksheet (the first, or the one named), streamed by `app.tabular_xlsx` within its limits.

    Cells keep their type (str, int, float, datetime, bool); empty cells are None inside a row, and
    empty rows and trailing empty cells are dropped. Formulas are not evaluated: their last saved value
    is read; given `uncached`, a formula without a saved value reads as that object instead of None.
    Every row element counts toward max_rows, empty or not. numbered=True gives (row number on the sheet,
    row) pairs."""
    from app.tabular_xlsx import sheet_rows

    data = _read_bytes(stream, max_bytes)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise TabularError(_l("This is not an Excel workbook (.xlsx).")) from error
    with archive:
        if "xl/workbook.xml" not in archive.NameToInfo:
            raise TabularError(_l("This is not an Excel workbook (.xlsx)."))
        try:
            rows = sheet_rows(archive, max_rows=max_rows, sheet=sheet, uncached=uncached)
        except TabularError:
            raise
        except Exception as error:  # noqa: BLE001 - a damaged zip or XML part fails in many ways
            raise TabularError(_l("This Excel workbook could not be read.")) from error
    if restore:
        rows = [(n, [_restore(v) if isinstance(v, str) else v for v in row]) for n, row in rows]
    return rows if numbered else [row for _n, row in rows]
