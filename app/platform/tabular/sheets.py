"""How an exported worksheet is laid out for a reader who opens it in Excel: an optional first row saying what
the table holds (the filters applied), the header row frozen below it, columns wide enough for their text
(Japanese characters count double) and dates as real date cells in the reader's format."""
from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

MIN_WIDTH, MAX_WIDTH = 8, 60
# Excel shows a date cell by its number format; the locale's order, 24-hour clock.
DATE_FORMATS = {"en": ("dd/mm/yyyy", "dd/mm/yyyy hh:mm"), "ja": ("yyyy/mm/dd", "yyyy/mm/dd hh:mm")}
BOLD, ITALIC = Font(bold=True), Font(italic=True)


def _lang() -> str:
    from flask import g, has_app_context

    return (g.get("lang") if has_app_context() else None) or "en"


def text_width(value) -> int:
    """Columns a value takes on screen: wide (CJK) characters count two."""
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    text = str(value).split("\n", 1)[0]
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def column_widths(table: Sequence[Sequence]) -> list[float]:
    count = max((len(row) for row in table), default=0)
    widths = []
    for index in range(count):
        longest = max((text_width(row[index]) for row in table if index < len(row)), default=0)
        widths.append(float(min(max(longest + 2, MIN_WIDTH), MAX_WIDTH)))
    return widths


def write_sheet(workbook, title: str, headers: Sequence | None, rows: Iterable[Sequence], make_cell,
                note: str | None = None) -> None:
    """One sheet of a write-only workbook. `make_cell(sheet, value, font)` makes a safe cell (app.platform.tabular)."""
    rows = [list(row) for row in rows]
    sheet = workbook.create_sheet(title=title)
    for index, width in enumerate(column_widths(([list(headers)] if headers else []) + rows), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    top = 1 + (note is not None)
    if headers:
        sheet.freeze_panes = f"A{top + 1}"  # the header row stays in view while scrolling
    if note is not None:
        sheet.append([make_cell(sheet, note, ITALIC)])
    if headers:
        sheet.append([make_cell(sheet, h, BOLD) for h in headers])
    day_format, moment_format = DATE_FORMATS.get(_lang(), DATE_FORMATS["en"])
    for row in rows:
        cells = [make_cell(sheet, value, None) for value in row]
        for value, cell in zip(row, cells):
            if cell is not None and isinstance(value, date):
                cell.number_format = moment_format if isinstance(value, datetime) else day_format
        sheet.append(cells)
