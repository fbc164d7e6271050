"""Bulk import of exchanges: reading every kind of file, checking every row, all-or-nothing confirmation."""
from __future__ import annotations

import csv
import io
import time
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.exchanges import import_template as tpl
from app.exchanges import importing, services
from app.exchanges.models import Exchange, ExchangeImport, exchange_skill
from app.platform import tabular
from app.platform.extensions import db
from tests.factories import make_course, make_provider, make_user

FIXTURES = Path(__file__).parent / "fixtures"
CAP = 8 * 1024 * 1024
KEYS = [c.key for c in tpl.COLUMNS]


@pytest.fixture
def orgs(db_session):
    kobe = make_provider(country="JP", city="Kobe", name_en="Kobe Battery KK", name_ja="神戸電池株式会社")
    berlin = make_provider(kind="company", country="DE", name_en="Berlin Cell GmbH", name_ja=None)
    return kobe, berlin


@pytest.fixture
def staff(db_session):
    return make_user("staff")


def row(**kw) -> dict:
    base = dict(participant_name_native="山田 太郎", participant_name_latin="YAMADA Taro", participant_type="learner",
                sending_organisation="Kobe Battery KK", sending_country="JP",
                receiving_organisation="Berlin Cell GmbH", receiving_country="DE", activity_type="placement",
                cooperation_area="recycling", start="2026-04-01", end="2026-04-30")
    base.update(kw)
    return base


def csv_file(rows: list[dict], headings: list[str] | None = None) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headings or KEYS)
    for values in rows:
        writer.writerow([values.get(k, "") for k in KEYS])
    return out.getvalue().encode("utf-8")


def xlsx_file(rows: list[dict]) -> bytes:
    return tabular.xlsx_bytes(([values.get(k) for k in KEYS] for values in rows), [c.heading for c in tpl.COLUMNS])


def check(data: bytes, staff, filename="x.csv") -> ExchangeImport:
    return importing.preview(filename, data, user=staff, max_bytes=CAP)


def reasons(imported: ExchangeImport) -> dict[int, list[str]]:
    return {e["line"]: [r[0] for r in e["reasons"]] for e in imported.errors}


def count_exchanges() -> int:
    return db.session.execute(sa.select(sa.func.count()).select_from(Exchange)).scalar_one()


# Reading ---------------------------------------------------------------------------------------------

def test_tabular_reads_utf16_with_a_byte_order_mark():
    text = "氏名\t国\r\n山田\tJP\r\n"
    assert tabular.read_csv(text.encode("utf-16")) == [["氏名", "国"], ["山田", "JP"]]
    assert tabular.read_csv(text.encode("utf-16-be").join([b"\xfe\xff", b""])) == [["氏名", "国"], ["山田", "JP"]]
    assert tabular.read_csv(b"a,b\n\nc,d\n", numbered=True) == [(1, ["a", "b"]), (3, ["c", "d"])]
    with pytest.raises(tabular.TabularError):
        tabular.read_csv(b"\xff\xfe\xfa\x80\x81" * 10)  # a byte-order mark, then no text


@pytest.mark.parametrize("name", ["sample_utf8_bom.csv", "sample_shift_jis.csv", "sample_utf16.csv", "sample.xlsx"])
def test_sample_files_in_every_encoding_and_heading_language(orgs, staff, name):
    imported = check((FIXTURES / name).read_bytes(), staff, name)
    assert (imported.row_count, imported.errors) == (3, [])
    first, second, third = imported.rows
    assert (first["sending_org_id"], first["receiving_org_id"]) == (orgs[0].id, orgs[1].id)
    assert (first["participant_name_native"], first["funding_amount"], first["green_travel"]) == ("山田 太郎", 450000, True)
    assert (first["direction"], first["duration_days"], len(first["skill_area_ids"])) == ("jp_to_eu", 91, 2)
    # Japanese names of choices and countries, the three date formats, yen without decimals.
    assert (second["participant_type"], second["activity_type"], second["cooperation_area"]) == (
        "trainer", "teaching", "human-resources")
    assert (second["sending_country"], second["receiving_country"], second["status"]) == ("JP", "DE", "completed")
    assert (second["starts_on"], second["funding_amount"], second["funding_currency"]) == ("2026-05-10", 300000, "JPY")
    assert (third["starts_on"], third["ends_on"], third["direction"], third["status"]) == (
        "2026-07-01", "2026-07-05", "eu_to_jp", "planned")


def test_headings_take_the_english_part_the_japanese_part_or_the_whole():
    keys = importing._headings(["participant_type / 参加者区分", "派遣元機関", " SENDING_COUNTRY ",
                                "receiving organisation", "受入先の国", "activity_type", "協力分野", "start", "終了日"])
    assert keys[:5] == ["participant_type", "sending_organisation", "sending_country", "receiving_organisation",
                        "receiving_country"]
    with pytest.raises(importing.ImportFileError):
        importing._headings(["participant_type", "colour"])
    with pytest.raises(importing.ImportFileError):
        importing._headings(["participant_type"])  # required columns missing


def test_unreadable_and_empty_files_are_refused_as_a_whole(staff):
    for data, name in ((b"PK\x03\x04" + b"\x00" * 50, "x.xlsx"), (b"\x00\x01binary", "x.csv"), (b"", "x.csv"),
                       (csv_file([]), "x.csv")):
        with pytest.raises(importing.ImportFileError):
            check(data, staff, name)
    too_many = csv_file([row(participant_name_latin=f"P{n}") for n in range(importing.MAX_ROWS + 1)])
    with pytest.raises(importing.ImportFileError):
        check(too_many, staff)


# Checking rows ---------------------------------------------------------------------------------------

def test_bad_sample_lists_every_bad_row_with_its_line(orgs, staff):
    imported = check((FIXTURES / "sample_bad.csv").read_bytes(), staff)
    assert reasons(imported) == {2: ["country"], 3: ["org"], 4: ["end_before_start"], 5: ["date_ambiguous"],
                                 6: ["choice"], 8: ["duplicate_file"]}
    assert imported.error_count == 6 and imported.row_count == 7
    assert imported.errors[-1]["reasons"][0][1] == {"line": "7"}
    text = importing.describe(imported.errors[3]["reasons"][0], "en")
    assert "01/04/2026" in text and "2026-04-01" in text and "start" in text
    assert "開始日" in importing.describe(imported.errors[3]["reasons"][0], "ja")


@pytest.mark.parametrize(("value", "expected"), [
    ("2026-04-01", "2026-04-01"), ("2026/4/1", "2026-04-01"), ("2026年4月1日", "2026-04-01"),
    ("２０２６－０４－０１", "2026-04-01"), (date(2026, 4, 1), "2026-04-01")])
def test_three_date_formats_and_date_cells(orgs, staff, value, expected):
    data = xlsx_file([row(start=value)]) if isinstance(value, date) else csv_file([row(start=value)])
    imported = check(data, staff, "x.xlsx" if isinstance(value, date) else "x.csv")
    assert imported.errors == [] and imported.rows[0]["starts_on"] == expected


@pytest.mark.parametrize(("value", "code"), [("01/04/2026", "date_ambiguous"), ("1.4.2026", "date_ambiguous"),
                                             ("2026-02-30", "date"), ("April 1st", "date"), ("46000", "date")])
def test_ambiguous_and_impossible_dates_are_row_errors(orgs, staff, value, code):
    assert reasons(check(csv_file([row(start=value)]), staff)) == {2: [code]}


def test_organisations_match_exact_name_and_country(orgs, staff):
    imported = check(csv_file([
        row(sending_organisation="Ｋｏｂｅ  Battery ＫＫ"),  # width and spaces normalised: matches
        row(sending_organisation="神戸電池株式会社", participant_name_latin="B"),  # the Japanese name
        row(sending_organisation="kobe battery kk", participant_name_latin="C"),  # case is not normalised
        row(sending_country="DE", participant_name_latin="D"),  # right name, wrong country
        row(receiving_organisation="Nowhere", participant_name_latin="E"),
    ]), staff)
    assert reasons(imported) == {4: ["org"], 5: ["org"], 6: ["org"]}
    make_provider(kind="company", country="DE", name_en="Berlin Cell GmbH")  # now two of that name in DE
    assert reasons(check(csv_file([row()]), staff)) == {2: ["org_ambiguous"]}


def test_each_value_is_checked(orgs, staff):
    learner = make_user(email="taro@example.jp")
    course = make_course(orgs[0])
    imported = check(csv_file([
        row(participant_email="ＴＡＲＯ@example.jp", participant_name_native="", participant_name_latin="",
            course_id=str(course.id), skill_areas="recycling; SAFETY;recycling"),
        row(participant_email="nobody@example.jp", participant_name_latin="B"),
        row(participant_name_native="", participant_name_latin=""),
        row(sending_country="XX", participant_name_latin="D"),
        row(participant_type="boss", participant_name_latin="E"),
        row(funding_amount="12.345", currency="EUR", participant_name_latin="F"),
        row(funding_amount="100.5", currency="JPY", participant_name_latin="G"),
        row(funding_amount="100", participant_name_latin="H"),
        row(funding_amount="-5", currency="EUR", participant_name_latin="I"),
        row(green_travel="maybe", participant_name_latin="J"),
        row(skill_areas="cooking", participant_name_latin="K"),
        row(course_id="999999", participant_name_latin="L"),
        row(activity_type="", cooperation_area="", participant_name_latin="M"),
        row(participant_name_latin="N\x07"),
        row(funding_amount="1,234,567.50", currency="€", green_travel="いいえ", participant_name_latin="O"),
    ]), staff)
    assert reasons(imported) == {
        3: ["email"], 4: ["participant"], 5: ["country"], 6: ["choice"], 7: ["amount"], 8: ["amount_jpy"],
        9: ["currency_needed"], 10: ["amount"], 11: ["green"], 12: ["skill"], 13: ["course"],
        14: ["required", "required"], 15: ["text"]}
    linked, last = imported.rows
    assert (linked["participant_user_id"], linked["course_id"], len(linked["skill_area_ids"])) == (
        learner.id, course.id, 2)
    assert (last["funding_amount"], last["funding_currency"], last["green_travel"]) == (123456750, "EUR", False)


def test_formula_cells_are_text_and_never_evaluated(orgs, staff):
    imported = check(csv_file([row(funding_source="=HYPERLINK(\"http://x\")", outcome_notes="+1 -2 @all"),
                               row(participant_type="=1+2", participant_name_latin="B")]), staff)
    assert reasons(imported) == {3: ["choice"]}
    assert imported.rows[0]["funding_source"] == '=HYPERLINK("http://x")'
    assert imported.rows[0]["outcome_notes"] == "+1 -2 @all"


def test_xlsx_formula_gives_its_saved_value_or_a_row_error(orgs, staff):
    imported = check((FIXTURES / "sample_formulas.xlsx").read_bytes(), staff, "f.xlsx")
    assert reasons(imported) == {2: ["formula"]}
    assert "participant_name_latin" in importing.describe(imported.errors[0]["reasons"][0], "en")
    assert [r["participant_name_latin"] for r in imported.rows] == ["SUZUKI HANAKO", None]


def test_duplicates_in_the_file_and_of_saved_records(orgs, staff):
    kobe, berlin = orgs
    services.create(dict(participant_name_native="山田 太郎", participant_name_latin="YAMADA Taro",
                         participant_type="learner", sending_org_id=kobe.id, sending_country="JP",
                         receiving_org_id=berlin.id, receiving_country="DE", activity_type="placement",
                         cooperation_area="recycling", starts_on=date(2026, 4, 1), ends_on=date(2026, 4, 30)))
    imported = check(csv_file([row(), row(participant_name_latin="Other"), row(participant_name_latin="other")]), staff)
    assert reasons(imported) == {2: ["duplicate_saved"], 4: ["duplicate_file"]}
    assert len(imported.rows) == 1


# Confirming --------------------------------------------------------------------------------------------

def test_confirm_saves_every_row_approved_with_one_audit_entry(orgs, staff):
    imported = check(csv_file([row(participant_name_latin=f"P{n}", skill_areas="recycling;safety")
                               for n in range(3)]), staff)
    assert importing.confirm(imported, staff) == 3
    saved = db.session.execute(sa.select(Exchange).order_by(Exchange.id)).scalars().all()
    assert [e.participant_name_latin for e in saved] == ["P0", "P1", "P2"]
    assert {(e.approval, e.reviewed_by_id, e.import_id, e.direction, e.duration_days) for e in saved} == {
        ("approved", staff.id, imported.id, "jp_to_eu", 30)}
    assert {a.code for a in saved[0].skill_areas} == {"recycling", "safety"}
    entries = db.session.execute(sa.select(AuditEntry).where(AuditEntry.action == "exchange.import")).scalars().all()
    assert len(entries) == 1 and entries[0].detail["count"] == 3
    with pytest.raises(importing.AlreadyConfirmed):
        importing.confirm(imported, staff)
    assert count_exchanges() == 3


def test_one_bad_row_in_500_saves_nothing(orgs, staff):
    rows = [row(participant_name_latin=f"P{n}") for n in range(500)]
    rows[321]["end"] = "2026-03-01"
    imported = check(csv_file(rows), staff)
    assert (imported.row_count, imported.error_count, reasons(imported)) == (500, 1, {323: ["end_before_start"]})
    with pytest.raises(importing.AlreadyConfirmed):  # a preview with errors cannot be claimed
        importing.confirm(imported, staff)
    assert count_exchanges() == 0


def test_confirm_refuses_rows_recorded_since_the_preview(orgs, staff):
    imported = check(csv_file([row(), row(participant_name_latin="B")]), staff)
    other = check(csv_file([row(participant_name_latin="B")]), staff)
    importing.confirm(other, staff)
    db.session.commit()
    with pytest.raises(importing.StaleImport) as stale:
        importing.confirm(imported, staff)
    assert stale.value.lines == [3]


def test_confirm_needs_nothing_but_the_stored_preview(orgs, staff):
    """What another server process has: the token and the database (the route tests confirm with another
    client, each request in a fresh app context and session)."""
    token = check(csv_file([row(), row(participant_name_latin="B")]), staff).token
    colleague_id = make_user("staff").id
    db.session.commit()
    db.session.expunge_all()  # nothing left in memory from reading the file
    imported = db.session.execute(sa.select(ExchangeImport).where(ExchangeImport.token == token)).scalar_one()
    colleague = db.session.get(type(staff), colleague_id)
    assert importing.confirm(imported, colleague) == 2
    db.session.commit()
    db.session.expunge_all()
    with pytest.raises(importing.AlreadyConfirmed):
        importing.confirm(db.session.execute(sa.select(ExchangeImport)).scalar_one(), colleague)
    assert count_exchanges() == 2


# Templates ---------------------------------------------------------------------------------------------

def test_templates_have_bilingual_headings_an_example_and_the_allowed_values(staff):
    headings = tabular.read_csv(tpl.template_csv())[0]
    assert headings[0] == "participant_name_native / 参加者氏名(母語表記)" and len(headings) == len(tpl.COLUMNS)
    sheet = tabular.read_xlsx(tpl.template_xlsx())
    assert sheet[0] == headings and sheet[1][0] == "山田 太郎"
    values = tabular.read_xlsx(tpl.template_xlsx(), sheet="Allowed values 入力できる値")
    codes = {r[1] for r in values}
    assert {"job_shadowing", "recycling", "data-sharing", "trainer", "JPY", "cell-manufacturing"} <= codes
    assert any(r[3] == "ジョブシャドウイング" for r in values)


def test_the_template_imports_once_its_organisations_exist(staff):
    make_provider(country="JP", name_en="Example Battery KK")
    make_provider(kind="company", country="DE", name_en="Example Cell GmbH")
    for data, name in ((tpl.template_csv(), "t.csv"), (tpl.template_xlsx(), "t.xlsx")):
        imported = check(data, staff, name)
        assert imported.errors == [] and imported.rows[0]["skill_area_ids"]


# Performance -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_ten_thousand_rows_preview_and_confirm_in_seconds(orgs, staff, kind):
    rows = [row(participant_name_latin=f"Participant {n}", skill_areas="recycling;safety", funding_amount="1200.50",
                currency="EUR", start=f"2026-{1 + n % 12:02d}-01", end=f"2026-{1 + n % 12:02d}-20")
            for n in range(importing.MAX_ROWS)]
    data = csv_file(rows) if kind == "csv" else xlsx_file(rows)
    assert len(data) < CAP
    started = time.perf_counter()
    imported = check(data, staff, f"big.{kind}")
    checked = time.perf_counter()
    assert imported.errors == [] and len(imported.rows) == 10_000
    assert importing.confirm(imported, staff) == 10_000
    db.session.commit()
    done = time.perf_counter()
    print(f"\n10,000 rows {kind} ({len(data) / 1024 / 1024:.1f} MiB) on {db.engine.dialect.name}: "
          f"preview {checked - started:.2f} s, confirm {done - checked:.2f} s")
    assert done - started < 20
    assert count_exchanges() == 10_000
    links = db.session.execute(sa.select(sa.func.count()).select_from(exchange_skill)).scalar_one()
    assert links == 20_000
