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

import re
import secrets
import unicodedata
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.catalog.models import Course, SkillArea
from app.exchanges import import_template as tpl
from app.exchanges.models import Exchange, ExchangeImport
from app.exchanges.services import direction_of, duration_of
from app.extensions import db
from app.geo import _locale, is_country
from app.providers.models import Organisation
from app.tabular import TabularError, read_csv, read_xlsx

MAX_ROWS = 10_000
NAME_MAX, NOTES_MAX = 200, 10_000
AMOUNT_MAX = 10**12
UNCACHED = object()  # an XLSX formula without a saved value

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


class ImportFileError(Exception):
    """The file as a whole cannot be imported; str() is the message in the reader's language."""

    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message


def describe(reason: list, lang: str) -> str:
    """A stored [code, params] reason worded in the current language (column names too)."""
    code, params = reason
    params = dict(params)
    if "column" in params:
        column = tpl.BY_KEY.get(params["column"])
        params["column"] = (column.ja if lang == "ja" else column.key) if column else params["column"]
    return str(MESSAGES[code]) % params


def _norm(value: str) -> str:
    """Width and spaces normalised (ＡＢＣ → ABC, runs of spaces → one); case kept."""
    return " ".join(unicodedata.normalize("NFKC", value).split())


def _key(value: str) -> str:
    return _norm(value).casefold()


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


def read_file(filename: str, data: bytes, max_bytes: int) -> list[tuple[int, list]]:
    is_xlsx = filename.lower().endswith(".xlsx") or data[:4] == b"PK\x03\x04"
    try:
        if is_xlsx:
            return read_xlsx(data, max_rows=MAX_ROWS + 1, max_bytes=max_bytes, numbered=True, uncached=UNCACHED)
        return read_csv(data, max_rows=MAX_ROWS + 1, max_bytes=max_bytes, numbered=True)
    except TabularError as error:
        raise ImportFileError(error.message) from error


class _Lookups:
    """Everything rows refer to, loaded with a handful of queries for the whole file."""

    def __init__(self, rows: list[dict]) -> None:
        self.orgs: dict[tuple[str, str], list[int]] = {}
        for org_id, name_en, name_ja, country in db.session.execute(
                sa.select(Organisation.id, Organisation.name_en, Organisation.name_ja, Organisation.country)):
            for name in {_norm(n) for n in (name_en, name_ja) if n}:
                self.orgs.setdefault((name, country), []).append(org_id)
        self.countries: dict[str, str] = {}
        for lang in ("en", "ja"):
            for code, name in _locale(lang).territories.items():
                if is_country(code):
                    self.countries[_key(name)] = code
                    self.countries[code.casefold()] = code
        self.choices = {name: _choice_map(table) for name, table in (
            ("participant_type", tpl.PARTICIPANT_TYPES), ("activity_type", tpl.ACTIVITY_TYPES),
            ("cooperation_area", tpl.COOPERATION_AREAS), ("status", tpl.STATUSES), ("currency", tpl.CURRENCIES))}
        self.choices["currency"].update({"€": "EUR", "¥": "JPY", "円": "JPY"})
        self.skills: dict[str, int] = {}
        for skill_id, code, en, ja in db.session.execute(
                sa.select(SkillArea.id, SkillArea.code, SkillArea.name_en, SkillArea.name_ja)):
            self.skills.update({_key(code): skill_id, _key(en): skill_id, _key(ja): skill_id})
        emails = {_key(str(r["participant_email"])) for r in rows if r.get("participant_email")}
        self.users = dict(_in_chunks(sa.select(User.email_key, User.id).where(User.status != "deleted"),
                                     User.email_key, emails))
        course_ids = {int(v) for r in rows if (v := _integer(r.get("course_id"))) is not None}
        self.courses = {c for (c,) in _in_chunks(sa.select(Course.id), Course.id, course_ids)}


def _choice_map(table: dict) -> dict[str, str]:
    out = {}
    for code, (en, ja) in table.items():
        out.update({_key(code): code, _key(en): code, _key(ja): code})
    return out


def _in_chunks(select, column, values, size: int = 500) -> list:
    values, out = sorted(values), []
    for start in range(0, len(values), size):
        out += list(db.session.execute(select.where(column.in_(values[start:start + size]))))
    return out


def _integer(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return int(value) if 0 < value < 2**31 else None
    text = _norm(str(value)) if value is not None else ""
    return int(text) if text.isdigit() and 0 < int(text) < 2**31 else None


_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_SLASH = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})")
_JAPANESE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_AMBIGUOUS = re.compile(r"\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}")
_AMOUNT = re.compile(r"\d+(\.\d+)?|\d{1,3}(,\d{3})+(\.\d+)?")


class _Row:
    """One row's cells by column key, the reasons it is refused, and the checked values."""

    def __init__(self, line: int, cells: dict) -> None:
        self.line, self.cells, self.reasons = line, cells, []

    def fail(self, code: str, **params) -> None:
        self.reasons.append([code, {k: str(v)[:200] for k, v in params.items()}])

    def cell(self, key: str):
        value = self.cells.get(key)
        if value is UNCACHED:
            self.fail("formula", column=key)
            return None
        if isinstance(value, str) and not value.strip():
            return None
        return value

    def text(self, key: str, max_len: int = NAME_MAX, multiline: bool = False) -> str | None:
        value = self.cell(key)
        if value is None:
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = value.isoformat() if isinstance(value, date) else str(value)
        text = text.strip() if multiline else " ".join(text.split())
        allowed = "\n\r\t" if multiline else ""
        if any(ch not in allowed and unicodedata.category(ch) in ("Cc", "Cs") for ch in text):
            self.fail("text", column=key)
            return None
        if len(text) > max_len:
            self.fail("too_long", column=key, max=max_len)
            return None
        return text or None

    def required(self, key: str, value):
        if value is None and self.cells.get(key) is not UNCACHED and not any(
                r[1].get("column") == key for r in self.reasons):
            self.fail("required", column=key)
        return value

    def choice(self, key: str, table: dict[str, str], default: str | None = None) -> str | None:
        text = self.text(key)
        if text is None:
            return default
        code = table.get(_key(text))
        if code is None:
            self.fail("choice", column=key, value=text)
        return code

    def country(self, key: str, countries: dict[str, str]) -> str | None:
        text = self.text(key)
        if text is None:
            return None
        code = countries.get(_key(text))
        if code is None:
            self.fail("country", column=key, value=text)
        return code

    def day(self, key: str) -> date | None:
        value = self.cell(key)
        if value is None:
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = _norm(str(value))
        for pattern in (_ISO, _SLASH, _JAPANESE):
            if match := pattern.fullmatch(text):
                try:
                    return date(*(int(part) for part in match.groups()))
                except ValueError:
                    break
        self.fail("date_ambiguous" if _AMBIGUOUS.fullmatch(text) else "date", column=key, value=text)
        return None


def _amount(row: _Row, currency: str | None) -> int | None:
    value = row.cell("funding_amount")
    if value is None:
        return None
    shown = _norm(str(value))
    if isinstance(value, bool):
        amount = None
    elif isinstance(value, int | float):
        amount = Decimal(repr(value)) if value >= 0 else None
    else:
        amount = Decimal(shown.replace(",", "")) if _AMOUNT.fullmatch(shown) else None
    if amount is None:
        row.fail("amount", value=shown)
        return None
    if currency is None:
        row.fail("currency_needed")
        return None
    minor = amount * (100 if currency == "EUR" else 1)
    if minor != minor.to_integral_value():
        row.fail("amount_jpy" if currency == "JPY" else "amount", value=shown)
        return None
    if minor >= AMOUNT_MAX:
        row.fail("amount", value=shown)
        return None
    return int(minor)


def _green(row: _Row) -> bool:
    value = row.cell("green_travel")
    if value is None or isinstance(value, bool):
        return bool(value)
    text = _key(str(value))
    if text in tpl.YES or text in tpl.NO:
        return text in tpl.YES
    row.fail("green", column="green_travel", value=str(value))
    return False


def _organisation(row: _Row, key: str, country: str | None, lk: _Lookups) -> int | None:
    name = row.required(key, row.text(key))
    if name is None or country is None:
        return None
    found = lk.orgs.get((_norm(name), country), [])
    if len(found) != 1:
        row.fail("org" if not found else "org_ambiguous", column=key, value=name, country=country)
        return None
    return found[0]


def check_row(row: _Row, lk: _Lookups) -> dict | None:
    """The row's values ready to insert (JSON-able), or None with row.reasons saying why not."""
    native, latin = row.text("participant_name_native"), row.text("participant_name_latin")
    email, user_id = row.text("participant_email"), None
    if email is not None:
        user_id = lk.users.get(_key(email))
        if user_id is None:
            row.fail("email", value=email)
    elif native is None and latin is None:
        row.fail("participant")
    values = dict(participant_user_id=user_id, participant_name_native=native, participant_name_latin=latin)
    values["participant_type"] = row.required(
        "participant_type", row.choice("participant_type", lk.choices["participant_type"]))
    for side in ("sending", "receiving"):
        country = row.required(f"{side}_country", row.country(f"{side}_country", lk.countries))
        values[f"{side}_org_id"] = _organisation(row, f"{side}_organisation", country, lk)
        values[f"{side}_country"] = country
    for key in ("activity_type", "cooperation_area"):
        values[key] = row.required(key, row.choice(key, lk.choices[key]))
    starts, ends = row.required("start", row.day("start")), row.required("end", row.day("end"))
    if starts and ends and ends < starts:
        row.fail("end_before_start")
    currency = row.choice("currency", lk.choices["currency"])
    values.update(funding_amount=_amount(row, currency), funding_currency=currency,
                  funding_source=row.text("funding_source"), green_travel=_green(row),
                  status=row.choice("status", lk.choices["status"], default="planned"),
                  outcome_notes=row.text("outcome_notes", NOTES_MAX, multiline=True))
    skills: list[int] = []
    for code in re.split(r"[;,]", _norm(str(row.text("skill_areas", 2000) or ""))):
        if code.strip() and (skill_id := lk.skills.get(_key(code))) is None:
            row.fail("skill", value=code.strip())
        elif code.strip() and skill_id not in skills:
            skills.append(skill_id)
    course = row.cell("course_id")
    values["course_id"] = _integer(course) if course is not None else None
    if course is not None and values["course_id"] not in lk.courses:
        row.fail("course", value=_norm(str(course)))
    if row.reasons:
        return None
    values.update(starts_on=starts.isoformat(), ends_on=ends.isoformat(),
                  direction=direction_of(values["sending_country"], values["receiving_country"]).value,
                  duration_days=duration_of(starts, ends), skill_area_ids=skills, line=row.line)
    return values


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


def preview(filename: str, data: bytes, *, user, max_bytes: int) -> ExchangeImport:
    """Read and check the file and keep the result; raises ImportFileError for an unreadable file."""
    valid, errors, count = check_file(read_file(filename, data, max_bytes))
    imported = ExchangeImport(token=secrets.token_urlsafe(32), created_by_id=user.id, filename=filename[:255],
                              row_count=count, error_count=len(errors), rows=valid, errors=errors)
    db.session.add(imported)
    db.session.flush()
    return imported


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
    from app.database import utcnow

    now = utcnow()
    claimed = db.session.execute(
        sa.update(ExchangeImport)
        .where(ExchangeImport.id == imported.id, ExchangeImport.confirmed_at.is_(None),
               ExchangeImport.error_count == 0)
        .values(confirmed_at=now)
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
