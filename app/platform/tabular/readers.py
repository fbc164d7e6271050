"""Reading uploaded tables for imports: CSV (UTF-8 with or without BOM, UTF-16, Shift_JIS, Windows-1252, the
encoding detected or chosen; comma, semicolon or tab) and XLSX (streamed within limits by app.platform.tabular.xlsx).
A file that cannot be read is a TabularError with a message in the reader's language, never a 500.
`app.platform.tabular` re-exports read_csv and read_xlsx."""
from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile

from flask_babel import lazy_gettext as _l

from app.platform.tabular.cells import BOM, MAX_BYTES, MAX_ROWS, TabularError, looks_like_formula


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


# The encodings a CSV file may be read in: code → what the person sees (the name, and where such files come from).
ENCODINGS = {
    "utf-8": _l("UTF-8"),
    "utf-16": _l("UTF-16 (Excel's “Unicode text”)"),
    "cp932": _l("Shift_JIS (Japanese Excel)"),
    "cp1252": _l("Windows-1252 (Western European Excel)"),
}
MAX_COLUMNS = 1_000  # cells in one CSV row, after trailing empty cells are dropped


def detect_encoding(data: bytes) -> tuple[str, bool]:
    """(one of ENCODINGS, whether that is certain). A byte-order mark or valid UTF-8 is certain; otherwise
    charset-normalizer weighs Shift_JIS against Windows-1252, and the guess is uncertain unless exactly one
    of them reads the file as plausible text."""
    from charset_normalizer import from_bytes

    if data.startswith(BOM.encode("utf-8")):
        return "utf-8", True
    if data.startswith(_UTF16_BOMS):
        return "utf-16", True
    if b"\x00" in data:
        raise TabularError(_l("This is not a CSV file."))
    try:
        data.decode("utf-8")
        return "utf-8", True
    except UnicodeDecodeError:
        pass
    matches = from_bytes(data, cp_isolation=["cp932", "cp1252"], explain=False)
    best = matches.best()
    if best is None or best.encoding not in ENCODINGS:
        raise TabularError(_l("The file's characters could not be read: save it as CSV in UTF-8."))
    return best.encoding, len(matches) == 1 and best.chaos < 0.1


def _decode(data: bytes, encoding: str) -> str:
    if encoding == "utf-16":
        return _decode_utf16(data)
    try:
        return data.decode("utf-8-sig" if encoding == "utf-8" else encoding)
    except (UnicodeDecodeError, LookupError) as error:
        raise TabularError(_l("The file's characters could not be read as %(encoding)s: choose another encoding, "
                              "or save it as CSV in UTF-8.", encoding=ENCODINGS.get(encoding, encoding))) from error


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def _lines(text: str):
    """The lines with their ends, one at a time (a StringIO would hold a second, wider copy of the text)."""
    for match in _LINE.finditer(text):
        yield match.group()


def read_csv(stream, *, max_rows: int = MAX_ROWS, max_bytes: int = MAX_BYTES, restore: bool = True,
             numbered: bool = False, encoding: str | None = None) -> list:
    """The rows of a CSV file in `encoding` (one of ENCODINGS), or in the one detect_encoding finds
    (comma, semicolon or tab separated). Empty rows and trailing empty cells are dropped; a row of more than
    MAX_COLUMNS cells refuses the file. numbered=True gives (line number in the file, row) pairs."""
    data = _read_bytes(stream, max_bytes)
    text = _decode(data, encoding or detect_encoding(data)[0])
    rows: list = []
    try:
        reader = csv.reader(_lines(text), delimiter=_delimiter(text))
        line = 1
        for raw in reader:
            if len(_trim(raw)) > MAX_COLUMNS:
                raise TabularError(_l("A row has more than %(n)s cells: an import takes at most %(n)s columns.",
                                      n=MAX_COLUMNS))
            row = [_restore(cell) for cell in raw] if restore else raw
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
    """The rows of a worksheet (the first, or the one named), streamed by `app.platform.tabular.xlsx` within its limits.

    Cells keep their type (str, int, float, datetime, bool); empty cells are None inside a row, and
    empty rows and trailing empty cells are dropped. Formulas are not evaluated: their last saved value
    is read; given `uncached`, a formula without a saved value reads as that object instead of None.
    Every row element counts toward max_rows, empty or not. numbered=True gives (row number on the sheet,
    row) pairs."""
    from app.platform.tabular.xlsx import sheet_rows

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
