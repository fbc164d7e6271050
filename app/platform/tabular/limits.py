"""What reading one uploaded workbook may cost, counted as it is read (see app.platform.tabular.xlsx). Each limit is
far above what a real import file needs (10,000 rows of a few dozen columns) and far below what would stall
a worker: past one, the file is refused with a message in the reader's language."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.platform.tabular.cells import MAX_CELL, TabularError

MAX_XML_BYTES = 48 * 1024 * 1024  # decompressed bytes of every part read, together
MAX_CHARS = 16_000_000  # characters of text kept (shared strings and cells), together
MAX_SHARED = 200_000  # entries in the shared-strings table
MAX_CELLS = 500_000  # cell elements read plus empty cells a row is padded with, together
MAX_ELEMENTS = 1_500_000  # XML elements of every part read, together
MAX_COLUMN = 1_000  # a value further right than column ALL


class Budget:
    """What the whole file may cost; each count refuses the file once past its limit."""

    def __init__(self, max_rows: int) -> None:
        self.max_rows = max_rows
        self.xml_bytes = self.chars = self.cells = self.rows = self.elements = 0

    def read(self, n: int) -> None:
        self.xml_bytes += n
        if self.xml_bytes > MAX_XML_BYTES:
            raise TabularError(_l("The workbook holds more data than an import takes (at most %(mb)s MB "
                                  "unpacked). Save only the rows to import, as CSV or a new workbook.",
                                  mb=MAX_XML_BYTES // (1024 * 1024)))

    def text(self, length: int, total: int) -> None:
        """A text of `length` characters so far; `total` of them new to the file."""
        if length > MAX_CELL:
            raise TabularError(_l("A cell holds more than %(n)s characters, the most a cell can hold.", n=MAX_CELL))
        self.chars += total
        if self.chars > MAX_CHARS:
            raise TabularError(_l("The workbook holds more text than an import takes (at most %(n)s characters).",
                                  n=f"{MAX_CHARS:,}"))

    def element(self) -> None:
        self.elements += 1
        if self.elements > MAX_ELEMENTS:
            raise TabularError(_l("The workbook is more complex than an import takes. Save only the rows to "
                                  "import, as CSV or in a new workbook."))

    def cell(self, n: int = 1) -> None:
        self.cells += n
        if self.cells > MAX_CELLS:
            raise TabularError(_l("The sheet has more cells than an import takes (at most %(n)s).",
                                  n=f"{MAX_CELLS:,}"))

    def row(self) -> None:
        self.rows += 1
        if self.rows > self.max_rows:
            raise TabularError(_l("The file has too many rows (at most %(n)s).", n=self.max_rows))
