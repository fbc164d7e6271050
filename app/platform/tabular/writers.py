"""CSV and XLSX writers for exports (see the package's docstring for what makes them safe)."""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from urllib.parse import quote

from flask import Response

from app.platform.tabular.cells import (
    BOM,
    CSV_MIMETYPE,
    MAX_CELL,
    SHEET_TITLE_MAX,
    XLSX_MIMETYPE,
    looks_like_formula,
    neutralise,
)


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


def xlsx_bytes(rows: Iterable[Sequence], headers: Sequence[str] | None = None, sheet_title: str = "Sheet1",
               note: str | None = None) -> bytes:
    """An .xlsx workbook of one sheet, written in openpyxl's streaming (write-only) mode; laid out by
    app.platform.tabular.sheets (column widths, frozen header, date cells, `note` as a first row when given)."""
    return xlsx_workbook_bytes([(sheet_title, headers, rows)], notes=[note])


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
                  sheet_title: str = "Sheet1", note: str | None = None) -> Response:
    return _download(xlsx_bytes(rows, headers, sheet_title, note), XLSX_MIMETYPE, filename)


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


def xlsx_workbook_bytes(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence]]],
                        notes: Sequence[str | None] = ()) -> bytes:
    """An .xlsx workbook of one sheet per (title, headers, rows), in the order given, written in openpyxl's
    streaming (write-only) mode; titles are made valid and unique (see _workbook_sheet_titles), each sheet
    laid out by app.platform.tabular.sheets with its note (what the table holds) as a first row when given."""
    from openpyxl import Workbook

    from app.platform.tabular.sheets import write_sheet

    workbook = Workbook(write_only=True)
    sheets = list(sheets) or [("Sheet1", [], [])]
    notes = list(notes) + [None] * (len(sheets) - len(notes))
    for title, (_title, headers, rows), note in zip(_workbook_sheet_titles(s[0] for s in sheets), sheets, notes):
        write_sheet(workbook, title, headers, rows, _write_only_cell, note=note)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsx_workbook_response(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence]]],
                           filename: str, notes: Sequence[str | None] = ()) -> Response:
    """The workbook as a download: attachment (UTF-8 file name with an ASCII fallback), no-store, nosniff."""
    return _download(xlsx_workbook_bytes(sheets, notes), XLSX_MIMETYPE, filename)
