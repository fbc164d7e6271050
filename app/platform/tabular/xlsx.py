"""Reading one worksheet of an uploaded XLSX file while trusting nothing the file says about itself.

An .xlsx is a zip of XML parts. Neither the sheet's declared dimension (`A1:XFD1048576`) nor the sizes in the
zip directory are believed: each part is decompressed in bounded chunks and the actual bytes are counted, the
XML is parsed as it streams (expat, no DTD, no entities), and every row, cell and character read counts toward
a limit. Text arrives in pieces, so one huge shared string is refused long before it is whole in memory. Past
any limit the file is refused with a TabularError worded for the reader; nothing else is kept.

The values are those openpyxl's read-only mode gives (str, int, float, bool, datetime/time for date formats,
None for an empty cell) so that `app.platform.tabular.readers.read_xlsx` can hand them on unchanged.
"""
from __future__ import annotations

import posixpath
import re
import zipfile
from xml.parsers import expat

from flask_babel import lazy_gettext as _l
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, WINDOWS_EPOCH, from_excel, from_ISO8601

from app.platform.tabular.cells import TabularError
from app.platform.tabular.limits import MAX_COLUMN, MAX_ELEMENTS, MAX_SHARED, Budget

CHUNK = 64 * 1024
# East Asian built-in date formats (ids 27-36 and 50-58), which openpyxl does not name.
_ASIAN_DATE_IDS = frozenset(range(27, 37)) | frozenset(range(50, 59))
_CELL_REF = re.compile(r"([A-Z]{1,3})(\d{1,7})$")


def _unreadable() -> TabularError:
    return TabularError(_l("This Excel workbook could not be read."))


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _parse(archive: zipfile.ZipFile, name: str, budget: Budget, start, end=None, text=None) -> None:
    """Stream one part through expat with the given handlers, counting the decompressed bytes."""
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.buffer_size = CHUNK
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def no_dtd(*_args):
        raise _unreadable()

    parser.StartDoctypeDeclHandler = no_dtd
    parser.EntityDeclHandler = no_dtd
    parser.StartElementHandler = start
    parser.EndElementHandler = end or (lambda _name: None)
    parser.CharacterDataHandler = text or (lambda _data: None)
    with archive.open(name) as part:
        while chunk := part.read(CHUNK):
            budget.read(len(chunk))
            parser.Parse(chunk, False)
    parser.Parse(b"", True)


def _part(base: str, target: str) -> str:
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))


class _Workbook:
    """The sheets (in order, name → part), the shared strings and styles parts, and the date system."""

    def __init__(self, archive: zipfile.ZipFile, budget: Budget) -> None:
        self.sheets: list[tuple[str, str]] = []
        self.epoch = WINDOWS_EPOCH
        targets: dict[str, tuple[str, str]] = {}

        def rel(name, attrs):
            budget.element()
            if _local(name) == "Relationship":
                targets[attrs.get("Id", "")] = (attrs.get("Type", "").rpartition("/")[2],
                                                _part("xl", attrs.get("Target", "")))

        _parse(archive, "xl/_rels/workbook.xml.rels", budget, rel)
        ids: list[tuple[str, str]] = []

        def book(name, attrs):
            budget.element()
            local = _local(name)
            if local == "sheet":
                ids.append((attrs.get("name", ""), next((v for k, v in attrs.items() if _local(k) == "id"), "")))
            elif local == "workbookPr" and attrs.get("date1904") in ("1", "true"):
                self.epoch = CALENDAR_MAC_1904

        _parse(archive, "xl/workbook.xml", budget, book)
        self.sheets = [(title, targets[rid][1]) for title, rid in ids if rid in targets]
        by_type = {kind: path for kind, path in targets.values()}
        self.shared_part = by_type.get("sharedStrings")
        self.styles_part = by_type.get("styles")


def _styles(archive: zipfile.ZipFile, part: str | None, budget: Budget) -> tuple[set[int], set[int]]:
    """(indexes of cell styles showing a date, those showing a duration)."""
    if part is None or part not in archive.NameToInfo:
        return set(), set()
    custom: dict[str, str] = {}
    xfs: list[str] = []
    where: list[str] = []

    def start(name, attrs):
        budget.element()
        local = _local(name)
        if local == "numFmt":
            custom[attrs.get("numFmtId", "")] = attrs.get("formatCode", "")
        elif local == "xf" and where and where[-1] == "cellXfs":
            xfs.append(attrs.get("numFmtId", "0"))
        where.append(local)

    _parse(archive, part, budget, start, lambda _name: where.pop())
    dates, durations = set(), set()
    for index, fmt_id in enumerate(xfs):
        code = custom.get(fmt_id)
        if code is None and fmt_id.isdigit():
            code = BUILTIN_FORMATS.get(int(fmt_id))
            if int(fmt_id) in _ASIAN_DATE_IDS:
                dates.add(index)
        if code and is_date_format(code):
            dates.add(index)
        if code and is_timedelta_format(code):
            durations.add(index)
    return dates, durations


def _shared_strings(archive: zipfile.ZipFile, part: str | None, budget: Budget) -> list[str]:
    """The shared strings (phonetic guides left out), each bounded in length, the table bounded in size."""
    if part is None or part not in archive.NameToInfo:
        return []
    table: list[str] = []
    state = {"in_si": False, "in_t": False, "phonetic": 0, "length": 0}
    pieces: list[str] = []

    def start(name, _attrs):
        budget.element()
        local = _local(name)
        if local == "si":
            if len(table) >= MAX_SHARED:
                raise TabularError(_l("The workbook has more distinct texts than an import takes (at most "
                                      "%(n)s).", n=f"{MAX_SHARED:,}"))
            state.update(in_si=True, length=0)
            pieces.clear()
        elif local == "rPh":
            state["phonetic"] += 1
        elif local == "t" and state["in_si"] and not state["phonetic"]:
            state["in_t"] = True

    def end(name):
        local = _local(name)
        if local == "si":
            table.append("".join(pieces))
            state["in_si"] = False
        elif local == "rPh":
            state["phonetic"] -= 1
        elif local == "t":
            state["in_t"] = False

    def text(data):
        if state["in_t"]:
            state["length"] += len(data)
            budget.text(state["length"], len(data))
            pieces.append(data)

    _parse(archive, part, budget, start, end, text)
    return table


def _column(ref: str | None, previous: int) -> int:
    match = _CELL_REF.match(ref or "")
    if match is None:
        return previous + 1
    number = 0
    for letter in match.group(1):
        number = number * 26 + ord(letter) - 64
    return number if number > previous else previous + 1


class _Sheet:
    """Rows of one worksheet as (row number, values), built as the XML streams past. The handlers run once
    per element, so they keep their state in plain attributes."""

    def __init__(self, budget: Budget, shared: list[str], dates: set[int], durations: set[int], epoch,
                 uncached) -> None:
        self.budget, self.shared, self.dates, self.durations = budget, shared, dates, durations
        self.epoch, self.uncached = epoch, uncached
        self.rows: list[tuple[int, list]] = []
        self.number, self.values, self.col = 0, [], 0
        self.in_cell, self.kind, self.style, self.formula, self.value = False, "n", None, False, None
        self.pieces: list[str] = []
        self.collect, self.length, self.phonetic = False, 0, 0

    def start(self, name, attrs):
        budget = self.budget
        budget.elements += 1
        if budget.elements > MAX_ELEMENTS:
            budget.element()
        local = name.rpartition(":")[2]
        if local == "c":
            budget.cell()
            self.col = _column(attrs.get("r"), self.col)
            self.in_cell, self.kind, self.style, self.formula, self.value = (
                True, attrs.get("t", "n"), attrs.get("s"), False, None)
        elif local == "row":
            budget.row()
            number = attrs.get("r", "")
            self.number = int(number) if number.isdigit() and self.number < int(number) <= 1_048_576 \
                else self.number + 1
            self.values, self.col = [], 0
        elif not self.in_cell:
            return
        elif local in ("v", "t") and not self.phonetic:
            self.collect, self.length, self.pieces = True, 0, []
        elif local == "f":
            self.formula = True
        elif local == "rPh":
            self.phonetic += 1

    def end(self, name):
        local = name.rpartition(":")[2]
        if local == "c":
            if self.in_cell:
                self._place(self._value())
                self.in_cell = False
        elif local in ("v", "t"):
            if self.collect:
                self.collect = False
                text = "".join(self.pieces)
                self.value = text if self.value is None else self.value + text
        elif local == "row":
            while self.values and self.values[-1] is None:
                self.values.pop()
            if self.values:
                self.rows.append((self.number, self.values))
        elif local == "rPh":
            self.phonetic -= 1

    def text(self, data):
        if self.collect:
            self.length += len(data)
            self.budget.text(self.length, len(data))
            self.pieces.append(data)

    def _place(self, value) -> None:
        if value is None:
            return
        if self.col > MAX_COLUMN:
            raise TabularError(_l("The sheet has a value beyond column %(n)s: an import takes at most %(n)s "
                                  "columns.", n=MAX_COLUMN))
        gap = self.col - 1 - len(self.values)
        if gap > 0:
            self.budget.cell(gap)
            self.values.extend([None] * gap)
        if self.col <= len(self.values):
            self.values[self.col - 1] = value
        else:
            self.values.append(value)

    def _value(self):
        kind, text = self.kind, self.value
        if text is None or (text == "" and kind not in ("inlineStr", "str")):
            return self.uncached if self.formula and self.uncached is not None else None
        if kind == "s":
            index = int(text)
            if not 0 <= index < len(self.shared):
                raise _unreadable()
            return self.shared[index]
        if kind in ("str", "inlineStr", "e"):
            return text
        if kind == "b":
            return text.strip() in ("1", "true")
        if kind == "d":
            return from_ISO8601(text)
        number = float(text) if ("." in text or "e" in text or "E" in text) else int(text)
        style = int(self.style) if self.style and self.style.isdigit() else 0
        if style in self.dates:
            return from_excel(number, self.epoch, timedelta=style in self.durations)
        return number


def sheet_rows(archive: zipfile.ZipFile, *, max_rows: int, sheet: str | None, uncached) -> list[tuple[int, list]]:
    """(row number on the sheet, values) of every row holding a value, trailing empty cells dropped."""
    budget = Budget(max_rows)
    workbook = _Workbook(archive, budget)
    if not workbook.sheets:
        raise _unreadable()
    parts = dict(workbook.sheets)
    if sheet is not None and sheet not in parts:
        raise TabularError(_l("The workbook has no sheet called %(name)s.", name=sheet))
    part = parts[sheet] if sheet is not None else workbook.sheets[0][1]
    dates, durations = _styles(archive, workbook.styles_part, budget)
    shared = _shared_strings(archive, workbook.shared_part, budget)
    reader = _Sheet(budget, shared, dates, durations, workbook.epoch, uncached)
    _parse(archive, part, budget, reader.start, reader.end, reader.text)
    return reader.rows
