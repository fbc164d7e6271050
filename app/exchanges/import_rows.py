"""One row of an exchange import: its cells read into the values a record needs, or the reasons (codes with
parameters, worded when shown: see importing.describe) why it cannot be one; and the lookups every row of a
file shares, loaded with a handful of queries."""
from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa

from app.accounts.models import User
from app.catalog.models import Course, SkillArea
from app.exchanges import import_template as tpl
from app.exchanges.services import direction_of, duration_of
from app.i18n import LANGUAGES
from app.i18n.countries import cldr_locale, is_country
from app.platform.extensions import db
from app.providers.models import Organisation

NAME_MAX, NOTES_MAX = 200, 10_000
AMOUNT_MAX = 10**12
UNCACHED = object()  # an XLSX formula without a saved value


def _norm(value: str) -> str:
    """Width and spaces normalised (ＡＢＣ → ABC, runs of spaces → one); case kept."""
    return " ".join(unicodedata.normalize("NFKC", value).split())


def _key(value: str) -> str:
    return _norm(value).casefold()


class _Lookups:
    """Everything rows refer to, loaded with a handful of queries for the whole file."""

    def __init__(self, rows: list[dict]) -> None:
        self.orgs: dict[tuple[str, str], list[int]] = {}
        for org_id, name_en, name_ja, country in db.session.execute(
                sa.select(Organisation.id, Organisation.name_en, Organisation.name_ja, Organisation.country)):
            for name in {_norm(n) for n in (name_en, name_ja) if n}:
                self.orgs.setdefault((name, country), []).append(org_id)
        self.countries: dict[str, str] = {}
        for lang in LANGUAGES:
            for code, name in cldr_locale(lang).territories.items():
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

    def choice(self, key: str, table: dict[str, str], default: str | None = None,
               reason: str = "choice") -> str | None:
        text = self.text(key)
        if text is None:
            return default
        code = table.get(_key(text))
        if code is None:
            self.fail(reason, column=key, value=text)
        return code

    def country(self, key: str, countries: dict[str, str]) -> str | None:
        return self.choice(key, countries, reason="country")

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
