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
from app.platform.tabular.cells import (  # noqa: F401
                                        BOM,
                                        CSV_MIMETYPE,
                                        FORMULA_STARTS,
                                        MAX_BYTES,
                                        MAX_CELL,
                                        MAX_ROWS,
                                        SHEET_TITLE_MAX,
                                        XLSX_MIMETYPE,
                                        TabularError,
                                        looks_like_formula,
                                        neutralise,
)
from app.platform.tabular.readers import ENCODINGS, _has_formulas, detect_encoding, read_csv, read_xlsx  # noqa: F401
from app.platform.tabular.writers import (  # noqa: F401
                                        content_disposition,
                                        csv_bytes,
                                        csv_response,
                                        safe_filename,
                                        xlsx_bytes,
                                        xlsx_response,
                                        xlsx_workbook_bytes,
                                        xlsx_workbook_response,
)
