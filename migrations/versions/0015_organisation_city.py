"""Organisations (and provider applications) name their city in English and Japanese

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 13:30:00

The one-language city moves to the field of the language it is written in ("神戸" to city_ja, "Kobe" to
city_en), as 0011 did for venues. Course search rows gain their provider's city, so a course is found by
the city its provider is in.
"""
import re
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

TABLES = ("organisation", "provider_application")

# Frozen copies of app/i18n/scripts.py and app/catalog/search.py, so this file keeps meaning what it meant.
_JAPANESE = re.compile(r"[\u3005\u3006\u3041-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]")
_TO_KATAKANA = {code: code + 0x60 for code in range(0x3041, 0x3097)} | {0x309D: 0x30FD, 0x309E: 0x30FE}
_LATIN_WORD = re.compile(r"[0-9a-z\u00c0-\u024f]+")

courses = sa.table("course", sa.column("id", sa.Integer), sa.column("provider_id", sa.Integer))
search = sa.table("course_search", sa.column("course_id", sa.Integer), sa.column("body", sa.Text))
grams = sa.table("course_gram", sa.column("gram", sa.String), sa.column("course_id", sa.Integer))


def _table(name, legacy=True):
    columns = [sa.column("id", sa.Integer), sa.column("city_en", sa.String), sa.column("city_ja", sa.String)]
    return sa.table(name, *columns, *([sa.column("city", sa.String)] if legacy else []))


def _normalise(text):
    return unicodedata.normalize("NFKC", text or "").casefold().translate(_TO_KATAKANA)


def _gram_keys(body):
    keys = set()
    for a, b in zip(body, body[1:]):
        if (a < "\u0250" and b < "\u0250") or a.isspace() or b.isspace():
            continue
        keys.add(a + b)
    for word in _LATIN_WORD.findall(body):
        keys.add("^" + word[:1])
        if len(word) > 1:
            keys.add("^" + word[:2])
    return keys


def upgrade():
    bind = op.get_bind()
    for name in TABLES:
        with op.batch_alter_table(name) as batch:
            batch.add_column(sa.Column("city_en", sa.String(120), nullable=True))
            batch.add_column(sa.Column("city_ja", sa.String(120), nullable=True))
        table = _table(name)
        for row in bind.execute(sa.select(table.c.id, table.c.city).where(table.c.city.is_not(None))).all():
            city = row.city.strip() or None
            column = "city_ja" if city and _JAPANESE.search(city) else "city_en"
            bind.execute(table.update().where(table.c.id == row.id).values({column: city}))
        # SQLite has had DROP COLUMN since 3.35; a batch copy would drop and refill a table others point at.
        op.execute(f"ALTER TABLE {name} DROP COLUMN city")
    _add_provider_cities_to_search(bind)


def _add_provider_cities_to_search(bind):
    orgs = _table("organisation", legacy=False)
    rows = bind.execute(
        sa.select(search.c.course_id, search.c.body, orgs.c.city_en, orgs.c.city_ja)
        .join(courses, courses.c.id == search.c.course_id).join(orgs, orgs.c.id == courses.c.provider_id)
        .where(sa.or_(orgs.c.city_en.is_not(None), orgs.c.city_ja.is_not(None)))).all()
    sqlite = bind.dialect.name == "sqlite"
    for row in rows:
        body = "\n".join(filter(None, (row.body, _normalise(row.city_en), _normalise(row.city_ja))))
        bind.execute(search.update().where(search.c.course_id == row.course_id).values(body=body))
        if sqlite:
            bind.execute(sa.text("DELETE FROM course_fts WHERE rowid = :id"), {"id": row.course_id})
            bind.execute(sa.text("INSERT INTO course_fts(rowid, body) VALUES (:id, :body)"),
                         {"id": row.course_id, "body": body})
        bind.execute(grams.delete().where(grams.c.course_id == row.course_id))
        keys = _gram_keys(body)
        if keys:
            bind.execute(grams.insert(), [{"gram": key, "course_id": row.course_id} for key in keys])


def downgrade():
    for name in TABLES:
        with op.batch_alter_table(name) as batch:
            batch.add_column(sa.Column("city", sa.String(120), nullable=True))
        table = _table(name)
        op.get_bind().execute(table.update().values(city=sa.func.coalesce(table.c.city_en, table.c.city_ja)))
        for column in ("city_ja", "city_en"):
            op.execute(f"ALTER TABLE {name} DROP COLUMN {column}")
