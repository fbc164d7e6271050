"""What readers and writers of tables share: limits, the error, and what a spreadsheet takes for a formula."""
from __future__ import annotations

from datetime import date, time
from decimal import Decimal

from app.platform.domain import DomainError

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


class TabularError(DomainError):
    """A file that cannot be read as a table."""


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
