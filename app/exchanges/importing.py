"""Bulk import of exchange records: read a CSV or XLSX file, check every row, keep the result as an
ExchangeImport (a preview any server process can confirm), and on confirmation insert every row in one
transaction, or none.

Row errors are stored as codes with parameters and worded when shown, so the preview reads in the language
of whoever looks at it. Organisations match on their exact English or Japanese name (only width and spaces
are normalised) and their country. Dates: 2026-04-01, 2026/04/01 or 2026年4月1日 (and date cells in XLSX);
01/04/2026 and the like are refused as ambiguous. A cell starting with = + - @ is text, never evaluated; an
XLSX formula gives its saved value, and one without a saved value is a row error.
"""
from __future__ import annotations

import secrets
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.exchanges import import_template as tpl
from app.exchanges.import_rows import UNCACHED, _in_chunks, _key, _Lookups, _Row, check_row
from app.exchanges.models import Exchange, ExchangeImport
from app.platform.domain import DomainError
from app.platform.extensions import db
from app.platform.tabular import ENCODINGS, TabularError, detect_encoding, read_csv, read_xlsx

MAX_ROWS = 10_000

MESSAGES = {
    "required": _l("%(column)s is empty."),
    "choice": _l("“%(value)s” is not an allowed value for %(column)s (see the allowed values)."),
    "country": _l("“%(value)s” in %(column)s is not a country: use a two-letter code such as JP or DE."),
    "org": _l("No organisation named “%(value)s” in %(country)s (%(column)s): check the exact name, or create "
              "the organisation first."),
    "org_ambiguous": _l("Several organisations in %(country)s are named “%(value)s” (%(column)s)."),
    "date": _l("“%(value)s” in %(column)s is not a date: write 2026-04-01, 2026/04/01 or 2026年4月1日."),
    "date_ambiguous": _l("“%(value)s” in %(column)s could be day/month or month/day: write it as 2026-04-01."),
    "end_before_start": _l("The end date is before the start date."),
    "amount": _l("“%(value)s” is not an amount: write digits, with a decimal point for cents (4500.00)."),
    "amount_jpy": _l("A yen amount has no decimals: “%(value)s”."),
    "currency_needed": _l("Give the currency of the funding amount."),
    "green": _l("“%(value)s” in %(column)s: write yes or no."),
    "email": _l("No account has the address “%(value)s”."),
    "participant": _l("Name the participant: a name in native script or Latin letters, or an account's address."),
    "skill": _l("“%(value)s” is not a skill area code."),
    "course": _l("There is no course with id “%(value)s”."),
    "formula": _l("%(column)s holds a formula with no saved value: let Excel calculate it and save, or type the "
                  "value."),
    "too_long": _l("%(column)s is longer than %(max)s characters."),
    "text": _l("%(column)s contains a character that cannot be used."),
    "duplicate_file": _l("Same participant, organisations, dates and activity as line %(line)s."),
    "duplicate_saved": _l("This exchange is already recorded (same participant, organisations, dates and "
                          "activity)."),
}


class ImportFileError(DomainError):
    """The file as a whole cannot be imported."""


def describe(reason: list, lang: str) -> str:
    """A stored [code, params] reason worded in the current language (column names too)."""
    code, params = reason
    params = dict(params)
    if "column" in params:
        column = tpl.BY_KEY.get(params["column"])
        params["column"] = (column.ja if lang == "ja" else column.key) if column else params["column"]
    return str(MESSAGES[code]) % params


def _headings(cells: list) -> list[str | None]:
    """The column key of each heading cell: English part, Japanese part or the whole heading."""
    names: dict[str, str] = {}
    for column in tpl.COLUMNS:
        for alias in (column.heading, column.key, column.key.replace("_", " "), column.ja):
            names[_key(alias)] = column.key
    keys: list[str | None] = []
    for cell in cells:
        text = _key(str(cell)) if cell is not None else ""
        parts = [text] + [p.strip() for p in text.split("/")]
        key = next((names[p] for p in parts if p in names), None)
        if key is None and text:
            raise ImportFileError(_l("The column “%(name)s” is not one the import knows: start from the template.",
                                     name=str(cell)[:80]))
        if key is not None and key in keys:
            raise ImportFileError(_l("The column %(name)s appears twice.", name=key))
        keys.append(key)
    missing = [c.key for c in tpl.COLUMNS if c.required and c.key not in keys]
    if missing:
        raise ImportFileError(_l("The file has no column for: %(names)s. Start from the template.",
                                 names=", ".join(missing)))
    return keys


class Reading:
    """A file's numbered rows, and for a CSV file the encoding they were read in and whether it was a guess."""

    def __init__(self, rows: list[tuple[int, list]], encoding: str | None = None, guessed: bool = False) -> None:
        self.rows, self.encoding, self.guessed = rows, encoding, guessed


def read_file(filename: str, data: bytes, max_bytes: int, encoding: str | None = None) -> Reading:
    """The file read as XLSX, or as CSV in `encoding` (one of tabular ENCODINGS) or the one detected."""
    is_xlsx = filename.lower().endswith(".xlsx") or data[:4] == b"PK\x03\x04"
    try:
        if is_xlsx:
            return Reading(read_xlsx(data, max_rows=MAX_ROWS + 1, max_bytes=max_bytes, numbered=True,
                                     uncached=UNCACHED))
        guessed = False
        if encoding is None:
            encoding, certain = detect_encoding(data)
            guessed = not certain
        rows = read_csv(data, max_rows=MAX_ROWS + 1, max_bytes=max_bytes, numbered=True, encoding=encoding)
        return Reading(rows, encoding, guessed)
    except TabularError as error:
        raise ImportFileError(error.message) from error


def _identity(values: dict) -> tuple:
    """What makes two records the same exchange: participant, organisations, dates, activity."""
    who = (("user", values["participant_user_id"]) if values["participant_user_id"] else
           ("name", _key(values["participant_name_native"] or ""), _key(values["participant_name_latin"] or "")))
    return (who, values["sending_org_id"], values["receiving_org_id"], str(values["starts_on"]),
            str(values["ends_on"]), str(values["activity_type"]))


def saved_identities(rows: list[dict]) -> set[tuple]:
    """Identities of records already saved that could match these rows (one query)."""
    if not rows:
        return set()
    starts = [r["starts_on"] for r in rows]
    orgs = {r["sending_org_id"] for r in rows}
    columns = (Exchange.participant_user_id, Exchange.participant_name_native, Exchange.participant_name_latin,
               Exchange.sending_org_id, Exchange.receiving_org_id, Exchange.starts_on, Exchange.ends_on,
               Exchange.activity_type)
    found = set()
    stmt = sa.select(*columns).where(Exchange.starts_on.between(date.fromisoformat(min(starts)),
                                                                date.fromisoformat(max(starts))))
    for record in _in_chunks(stmt, Exchange.sending_org_id, orgs):
        values = dict(zip([c.key for c in columns], record, strict=True))
        values["activity_type"] = getattr(values["activity_type"], "value", values["activity_type"])
        values["starts_on"], values["ends_on"] = values["starts_on"].isoformat(), values["ends_on"].isoformat()
        found.add(_identity(values))
    return found


def check_file(numbered_rows: list[tuple[int, list]]) -> tuple[list[dict], list[dict], int]:
    """(valid rows, errors [{"line", "reasons"}], number of data rows)."""
    if not numbered_rows:
        raise ImportFileError(_l("The file is empty."))
    keys = _headings(numbered_rows[0][1])
    data = numbered_rows[1:]
    if not data:
        raise ImportFileError(_l("The file has headings but no rows to import."))
    if len(data) > MAX_ROWS:
        raise ImportFileError(_l("The file has too many rows (at most %(n)s).", n=MAX_ROWS))
    cells = [(line, {k: v for k, v in zip(keys, raw) if k is not None}) for line, raw in data]
    lookups = _Lookups([c for _, c in cells])
    valid, errors, seen = [], [], {}
    for line, row_cells in cells:
        row = _Row(line, row_cells)
        values = check_row(row, lookups)
        if values is not None:
            identity = _identity(values)
            if identity in seen:
                row.fail("duplicate_file", line=seen[identity])
            else:
                seen[identity] = line
                valid.append(values)
        if row.reasons:
            errors.append({"line": line, "reasons": row.reasons})
    saved = saved_identities(valid)
    if saved:
        errors += [{"line": v["line"], "reasons": [["duplicate_saved", {}]]} for v in valid if _identity(v) in saved]
        valid = [v for v in valid if _identity(v) not in saved]
    errors.sort(key=lambda e: e["line"])
    return valid, errors, len(data)


def preview(filename: str, data: bytes, *, user, max_bytes: int, encoding: str | None = None) -> ExchangeImport:
    """Read and check the file and keep the result (a CSV file is kept too, so that it can be read again in
    another encoding); raises ImportFileError for an unreadable file."""
    if encoding is not None and encoding not in ENCODINGS:
        raise ImportFileError(_l("Choose one of the encodings offered."))
    reading = read_file(filename, data, max_bytes, encoding)
    valid, errors, count = check_file(reading.rows)
    imported = ExchangeImport(token=secrets.token_urlsafe(32), created_by_id=user.id, filename=filename[:255],
                              row_count=count, error_count=len(errors), rows=valid, errors=errors,
                              upload=data if reading.encoding else None, encoding=reading.encoding,
                              encoding_guessed=reading.guessed)
    db.session.add(imported)
    db.session.flush()
    return imported


def reread(imported: ExchangeImport, encoding: str, *, user, max_bytes: int) -> ExchangeImport:
    """A new preview of the same uploaded CSV file read in `encoding`; the first stays as it was."""
    if imported.confirmed_at is not None or imported.upload is None:
        raise ImportFileError(_l("This import can no longer be read again: upload the file again."))
    return preview(imported.filename, imported.upload, user=user, max_bytes=max_bytes, encoding=encoding)


class AlreadyConfirmed(Exception):
    pass


class StaleImport(Exception):
    """Since the preview, some rows were recorded by someone else; nothing was saved."""

    def __init__(self, lines: list[int]) -> None:
        super().__init__(lines)
        self.lines = lines


# Columns every inserted row gets, in one shape (the bulk insert needs the same keys in every row).
_INSERT_KEYS = (
    "participant_user_id", "participant_name_native", "participant_name_latin", "participant_type",
    "sending_org_id", "sending_country", "receiving_org_id", "receiving_country", "direction", "activity_type",
    "course_id", "cooperation_area", "duration_days", "funding_amount", "funding_currency", "funding_source",
    "green_travel", "status", "outcome_notes",
)


def confirm(imported: ExchangeImport, user) -> int:
    """Insert every row of a preview without errors, approved (association staff recorded them), with one
    audit entry. Claims the preview first with a conditional UPDATE, so that confirming twice, or from two
    processes at once, saves the rows once. Flushes; the caller commits (or rolls back on an exception)."""
    from app.audit.services import record
    from app.platform.database import utcnow

    now = utcnow()
    claimed = db.session.execute(
        sa.update(ExchangeImport)
        .where(ExchangeImport.id == imported.id, ExchangeImport.confirmed_at.is_(None),
               ExchangeImport.error_count == 0)
        .values(confirmed_at=now, upload=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise AlreadyConfirmed()
    rows = imported.rows
    saved = saved_identities(rows)
    stale = [r["line"] for r in rows if _identity(r) in saved]
    if stale:
        raise StaleImport(stale)
    base = dict(approval="approved", reviewed_by_id=user.id, reviewed_at=now, recorded_by_id=user.id,
                recorded_for_org_id=None, import_id=imported.id, created_at=now, updated_at=now,
                rejection_reason=None)
    inserts = [base | {k: r[k] for k in _INSERT_KEYS} | {"starts_on": date.fromisoformat(r["starts_on"]),
                                                          "ends_on": date.fromisoformat(r["ends_on"])}
               for r in rows]
    # A plain executemany: with RETURNING, SQLAlchemy batches 1,000 rows into one statement, which psycopg
    # re-parses each time (5 s for 10,000 rows on PostgreSQL); this way each statement is small and prepared
    # once. The rows go in in order within this transaction, so their ids ascend in the same order.
    db.session.execute(sa.insert(Exchange), inserts)
    ids = db.session.execute(sa.select(Exchange.id).where(Exchange.import_id == imported.id)
                             .order_by(Exchange.id)).scalars().all()
    links = [{"exchange_id": exchange_id, "skill_area_id": skill_id}
             for exchange_id, r in zip(ids, rows, strict=True) for skill_id in r["skill_area_ids"]]
    if links:
        from app.exchanges.models import exchange_skill

        db.session.execute(sa.insert(exchange_skill), links)
    record("exchange.import", "exchange_import", imported.id,
           detail={"count": len(ids), "filename": imported.filename, "uploaded_by": imported.created_by_id})
    db.session.flush()
    return len(ids)
