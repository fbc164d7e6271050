"""Hostile upload files, built in code: small on the wire, huge or endless once read."""
from __future__ import annotations

import io
import zipfile

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
SHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
BOOK_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
SST_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def _parts(with_shared: bool) -> dict[str, str]:
    shared_rel = (f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
                  if with_shared else "")
    shared_ct = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SST_CT}"/>' if with_shared else ""
    return {
        "[Content_Types].xml": f'<?xml version="1.0"?><Types xmlns="{CT}">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{BOOK_CT}"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SHEET_CT}"/>{shared_ct}</Types>',
        "_rels/.rels": f'<?xml version="1.0"?><Relationships xmlns="{PKG}"><Relationship Id="rId1" '
        f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0"?><workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
        '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<?xml version="1.0"?><Relationships xmlns="{PKG}"><Relationship '
        f'Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>{shared_rel}</Relationships>',
    }


def workbook(sheet_head: str, sheet_body=(), sheet_tail: str = "</sheetData></worksheet>",
             shared=None) -> bytes:
    """An .xlsx whose sheet is head + every piece of body (an iterable, so it may be huge) + tail, and whose
    shared-strings part, when given, is the pieces of `shared`; parts written in streaming, deflated."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in _parts(shared is not None).items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(f'<?xml version="1.0"?><worksheet xmlns="{MAIN}">'.encode() + sheet_head.encode())
            for piece in sheet_body:
                part.write(piece)
            part.write(sheet_tail.encode())
        if shared is not None:
            with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
                for piece in shared:
                    part.write(piece)
    return out.getvalue()


def dimension_lie() -> bytes:
    """About 1.5 KB: one cell, and a sheet that claims every cell Excel has."""
    return workbook('<dimension ref="A1:XFD1048576"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x'
                    '</t></is></c></row>')


def huge_shared_string(megabytes: int = 400) -> bytes:
    """A few hundred KB: a sheet pointing at one shared string of `megabytes` million characters."""
    chunk = b"a" * 1_000_000
    shared = [f'<?xml version="1.0"?><sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t>'.encode(),
              *(chunk for _ in range(megabytes)), b"</t></si></sst>"]
    return workbook('<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>', shared=shared)


def padded_sheet(megabytes: int = 256) -> bytes:
    """A zip-bomb-like sheet: 256 MB of nothing (spaces) between two elements, about 250 KB zipped."""
    return workbook("<sheetData>", (b" " * 1_000_000 for _ in range(megabytes)))


def empty_cells(count: int = 20_000_000) -> bytes:
    """One row of twenty million empty (styled) cells."""
    return workbook('<sheetData><row r="1">', (b'<c s="1"/>' * 1_000_000 for _ in range(count // 1_000_000)),
                    "</row></sheetData></worksheet>")


def empty_rows(count: int = 2_000_000) -> bytes:
    """Two million empty rows: none holds a value, every one is read."""
    return workbook("<sheetData>", (b"<row/>" * 100_000 for _ in range(count // 100_000)))


def many_shared_strings(count: int = 1_000_000) -> bytes:
    """A million tiny entries in the shared-strings table."""
    head = f'<?xml version="1.0"?><sst xmlns="{MAIN}">'.encode()
    return workbook('<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>',
                    shared=[head, *(b"<si><t>x</t></si>" * 100_000 for _ in range(count // 100_000)), b"</sst>"])


def far_right_value() -> bytes:
    """A value in column XFD, the last Excel has: a row padded to 16,384 cells if believed."""
    return workbook('<sheetData><row r="1"><c r="XFD1" t="inlineStr"><is><t>x</t></is></c></row>')


def unknown_elements(count: int = 10_000_000) -> bytes:
    """Ten million elements a sheet does not use, inside its data."""
    return workbook("<sheetData>", (b"<x/>" * 1_000_000 for _ in range(count // 1_000_000)))


def _measure(name: str) -> str:
    """Read one hostile file as the import does: seconds, and how much the process's peak memory grew."""
    import resource
    import time

    from flask import Flask
    from flask_babel import Babel

    from app.exchanges import importing

    data = globals()[name]()
    app = Flask(__name__)
    Babel(app)
    with app.test_request_context():
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        try:
            importing.read_file(f"{name}.xlsx", data, 8 * 1024 * 1024)
            outcome = "read"
        except importing.ImportFileError as error:
            outcome = str(error.message)
        seconds = time.perf_counter() - started
        grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) / 1024
    return f"{name} ({len(data) // 1024:,} KB): {seconds:.2f} s, peak memory +{grown:.0f} MiB. {outcome}"


if __name__ == "__main__":  # python -m tests.exchanges.hostile: each file in a fresh process
    import subprocess
    import sys

    if len(sys.argv) > 1:
        print(_measure(sys.argv[1]))
    else:
        for each in ("dimension_lie", "huge_shared_string", "padded_sheet", "empty_cells", "empty_rows",
                     "many_shared_strings", "unknown_elements", "far_right_value"):
            subprocess.run([sys.executable, "-m", "tests.exchanges.hostile", each], check=False)
