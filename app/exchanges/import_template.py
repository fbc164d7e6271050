"""The import file's columns and allowed values, and the downloadable templates (CSV and XLSX).

Every heading is bilingual, "participant_type / 参加者区分"; the reader takes the English part, the Japanese
part or the whole heading. Choice columns take the code or the English or Japanese name (glossary.md terms).
The templates are the same in both interface languages: a file is often filled in by someone in the other
country.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

import sqlalchemy as sa

from app.catalog.models import SkillArea
from app.platform.extensions import db


@dataclass(frozen=True)
class Column:
    key: str
    ja: str
    required: bool = False

    @property
    def heading(self) -> str:
        return f"{self.key} / {self.ja}"


COLUMNS = (
    Column("participant_name_native", "参加者氏名(母語表記)"),
    Column("participant_name_latin", "参加者氏名(ローマ字)"),
    Column("participant_email", "参加者メールアドレス"),
    Column("participant_type", "参加者区分", True),
    Column("sending_organisation", "派遣元機関", True),
    Column("sending_country", "派遣元の国", True),
    Column("receiving_organisation", "受入先機関", True),
    Column("receiving_country", "受入先の国", True),
    Column("activity_type", "活動の種類", True),
    Column("cooperation_area", "協力分野", True),
    Column("skill_areas", "スキル分野"),
    Column("start", "開始日", True),
    Column("end", "終了日", True),
    Column("funding_amount", "助成額"),
    Column("currency", "通貨"),
    Column("funding_source", "資金源"),
    Column("green_travel", "環境配慮型の移動(グリーントラベル)"),
    Column("status", "状況"),
    Column("outcome_notes", "成果メモ"),
    Column("course_id", "講座ID"),
)
BY_KEY = {c.key: c for c in COLUMNS}

# Allowed values: code -> (English, 日本語), the glossary's terms.
PARTICIPANT_TYPES = {"learner": ("Learner", "受講者"), "staff": ("Staff", "職員"), "trainer": ("Trainer", "講師")}
ACTIVITY_TYPES = {
    "training_course": ("Training course", "研修受講"),
    "job_shadowing": ("Job shadowing", "ジョブシャドウイング"),
    "placement": ("Placement / secondment", "実務研修(派遣)"),
    "teaching": ("Teaching assignment", "講師派遣"),
    "study_visit": ("Study visit", "視察"),
    "joint_event": ("Joint event", "共同イベント"),
    "research_visit": ("Research visit", "研究訪問"),
}
COOPERATION_AREAS = {
    "recycling": ("Recycling and circularity (black mass)", "リサイクル・循環(ブラックマス)"),
    "data-sharing": ("Battery data-sharing", "電池データ共有"),
    "human-resources": ("Human resources and skills", "人材育成"),
    "joint-events": ("Joint exhibitions, conferences and workshops", "共同展示会・学会・ワークショップ"),
}
STATUSES = {"planned": ("Planned", "予定"), "ongoing": ("Ongoing", "実施中"), "completed": ("Completed", "完了"),
            "cancelled": ("Cancelled", "中止")}
CURRENCIES = {"EUR": ("Euro", "ユーロ"), "JPY": ("Japanese yen", "円")}
YES, NO = ("yes", "y", "true", "1", "はい"), ("no", "n", "false", "0", "いいえ")

EXAMPLE = {
    "participant_name_native": "山田 太郎", "participant_name_latin": "YAMADA Taro", "participant_email": "",
    "participant_type": "learner", "sending_organisation": "Example Battery KK", "sending_country": "JP",
    "receiving_organisation": "Example Cell GmbH", "receiving_country": "DE", "activity_type": "placement",
    "cooperation_area": "recycling", "skill_areas": "recycling;safety", "start": "2026-04-01",
    "end": "2026-06-30", "funding_amount": "4500.00", "currency": "EUR", "funding_source": "Erasmus+",
    "green_travel": "yes", "status": "planned", "outcome_notes": "", "course_id": "",
}


def skill_areas() -> list[tuple[str, str, str]]:
    return list(db.session.execute(
        sa.select(SkillArea.code, SkillArea.name_en, SkillArea.name_ja).order_by(SkillArea.position, SkillArea.id)))


def allowed_values() -> list[tuple[str, str, str, str]]:
    """(column, code, English, 日本語) for the template's second sheet and the upload page."""
    out: list[tuple[str, str, str, str]] = []
    for column, table in (("participant_type", PARTICIPANT_TYPES), ("activity_type", ACTIVITY_TYPES),
                          ("cooperation_area", COOPERATION_AREAS), ("status", STATUSES), ("currency", CURRENCIES)):
        out += [(BY_KEY[column].heading, code, en, ja) for code, (en, ja) in table.items()]
    out += [(BY_KEY["skill_areas"].heading, code, en, ja) for code, en, ja in skill_areas()]
    out += [
        (BY_KEY["green_travel"].heading, "yes / no", "yes, no (empty: no)", "はい、いいえ(空欄は「いいえ」)"),
        ("start, end / 開始日、終了日", "2026-04-01", "YYYY-MM-DD, YYYY/MM/DD or 2026年4月1日",
         "YYYY-MM-DD、YYYY/MM/DD または 2026年4月1日"),
        ("sending_country, receiving_country", "JP, DE, FR …", "ISO 3166 two-letter code or country name",
         "ISO 3166の2文字コードまたは国名"),
        ("sending_organisation, receiving_organisation", "", "Exact name (English or Japanese) of an organisation "
         "on the site, in that country", "サイトに登録された機関の正式名称(英語または日本語)、その国のもの"),
        (BY_KEY["skill_areas"].heading, "recycling;safety", "codes separated by ;", "コードを ; で区切る"),
        (BY_KEY["funding_amount"].heading, "4500.00", "amount in the currency (EUR: cents allowed, JPY: whole yen)",
         "通貨単位の金額(EUR は小数2桁まで、JPY は整数)"),
        (BY_KEY["participant_email"].heading, "", "optional: links the record to an existing account",
         "任意:既存のアカウントに紐づけます"),
    ]
    return out


def template_rows() -> tuple[list[str], list[str]]:
    return [c.heading for c in COLUMNS], [EXAMPLE[c.key] for c in COLUMNS]


def template_csv() -> bytes:
    from app.platform.tabular import csv_bytes

    headings, example = template_rows()
    return csv_bytes([example], headings)


def template_xlsx() -> bytes:
    """Sheet 1: the headings and one example row, all text cells; sheet 2: the allowed values."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)

    def cells(sheet, values, header=False):
        out = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=value or None)
            if header:
                cell.font = bold
            out.append(cell)
        return out

    headings, example = template_rows()
    rows = workbook.create_sheet("Exchanges 人材交流")
    for index in range(len(headings)):
        rows.column_dimensions[_letter(index + 1)].width = 24
    rows.append(cells(rows, headings, header=True))
    rows.append(cells(rows, example))
    values = workbook.create_sheet("Allowed values 入力できる値")
    for letter, width in zip("ABCD", (40, 22, 50, 40), strict=True):
        values.column_dimensions[letter].width = width
    values.append(cells(values, ["column / 列", "code / コード", "English", "日本語"], header=True))
    for row in allowed_values():
        values.append(cells(values, row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _letter(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)
