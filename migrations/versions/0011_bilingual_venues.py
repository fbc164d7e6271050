"""Venues in English and Japanese (city and street address); search folds hiragana into katakana

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 12:30:00

Each session's one-language city moves to the field of the language it is written in ("神戸" to
venue_city_ja, "Kobe" to venue_city_en). The search rows are folded as the app now folds queries
(りさいくる finds リサイクル) and gain the cities of scheduled sessions, so 神戸 and Kobe are searchable.
"""
import re
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

# Frozen copies of app/i18n/scripts.py and app/catalog/search.py, so this file keeps meaning what it meant.
_JAPANESE = re.compile(r"[\u3005\u3006\u3041-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]")
_TO_KATAKANA = {code: code + 0x60 for code in range(0x3041, 0x3097)} | {0x309D: 0x30FD, 0x309E: 0x30FE}
_LATIN_WORD = re.compile(r"[0-9a-z\u00c0-\u024f]+")

sessions = sa.table(
    "course_session", sa.column("id", sa.Integer), sa.column("course_id", sa.Integer),
    sa.column("status", sa.String), sa.column("venue_city", sa.String),
    sa.column("venue_city_en", sa.String), sa.column("venue_city_ja", sa.String),
)
search = sa.table("course_search", sa.column("course_id", sa.Integer), sa.column("title", sa.Text),
                  sa.column("body", sa.Text))
grams = sa.table("course_gram", sa.column("gram", sa.String), sa.column("course_id", sa.Integer))


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
    with op.batch_alter_table('course_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('venue_city_en', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('venue_city_ja', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('venue_address_en', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('venue_address_ja', sa.String(length=300), nullable=True))
    bind = op.get_bind()
    for row in bind.execute(sa.select(sessions.c.id, sessions.c.venue_city)
                            .where(sessions.c.venue_city.is_not(None))).all():
        city = row.venue_city.strip() or None
        lang = "venue_city_ja" if city and _JAPANESE.search(city) else "venue_city_en"
        bind.execute(sessions.update().where(sessions.c.id == row.id).values({lang: city}))
    # SQLite has had DROP COLUMN since 3.35; a batch copy would drop and refill a table others point at.
    op.execute("ALTER TABLE course_session DROP COLUMN venue_city")
    _refold_search(bind)


def _refold_search(bind):
    cities = {}
    for row in bind.execute(sa.select(sessions.c.course_id, sessions.c.venue_city_en, sessions.c.venue_city_ja)
                            .where(sessions.c.status == "scheduled")
                            .order_by(sessions.c.course_id, sessions.c.id)).all():
        cities.setdefault(row.course_id, []).extend(filter(None, (row.venue_city_en, row.venue_city_ja)))
    sqlite = bind.dialect.name == "sqlite"
    for row in bind.execute(sa.select(search.c.course_id, search.c.title, search.c.body)).all():
        body = _normalise("\n".join([row.body or "", *cities.get(row.course_id, [])]))
        bind.execute(search.update().where(search.c.course_id == row.course_id)
                     .values(title=_normalise(row.title), body=body))
        if sqlite:
            bind.execute(sa.text("DELETE FROM course_fts WHERE rowid = :id"), {"id": row.course_id})
            bind.execute(sa.text("INSERT INTO course_fts(rowid, body) VALUES (:id, :body)"),
                         {"id": row.course_id, "body": body})
        bind.execute(grams.delete().where(grams.c.course_id == row.course_id))
        keys = _gram_keys(body)
        if keys:
            bind.execute(grams.insert(), [{"gram": key, "course_id": row.course_id} for key in keys])


def downgrade():
    with op.batch_alter_table('course_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('venue_city', sa.String(length=120), nullable=True))
    bind = op.get_bind()
    bind.execute(sessions.update().values(
        venue_city=sa.func.coalesce(sessions.c.venue_city_en, sessions.c.venue_city_ja)))
    for column in ('venue_address_ja', 'venue_address_en', 'venue_city_ja', 'venue_city_en'):
        op.execute(f"ALTER TABLE course_session DROP COLUMN {column}")
