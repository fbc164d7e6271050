"""Session days: each day of a session with its own start and end

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 12:30:00

A multi-day session was one start and one end ("21–22 Dec, 8:00–16:00" read as a 30-hour block).
Existing sessions become consecutive days with the same hours, read in the session's own zone; a
session whose end clock is not after its start clock (22:00–02:00) stays one block.
"""
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

sessions = sa.table("course_session", sa.column("id", sa.Integer), sa.column("starts_at", sa.DateTime),
                    sa.column("ends_at", sa.DateTime), sa.column("timezone", sa.String))


def _days(starts_at, ends_at, zone_name):
    # Frozen here (not imported from app/catalog/session_days.py), so this migration keeps its meaning.
    zone = ZoneInfo(zone_name)
    first = starts_at.replace(tzinfo=timezone.utc).astimezone(zone)
    last = ends_at.replace(tzinfo=timezone.utc).astimezone(zone)
    if first.date() == last.date() or last.time() <= first.time():
        return [(first.date(), starts_at, ends_at)]
    rows = []
    for i in range((last.date() - first.date()).days + 1):
        on = first.date() + timedelta(days=i)
        begins = datetime.combine(on, first.time(), tzinfo=zone).astimezone(timezone.utc)
        ends = datetime.combine(on, last.time(), tzinfo=zone).astimezone(timezone.utc)
        rows.append((on, begins.replace(tzinfo=None), ends.replace(tzinfo=None)))
    return rows


def upgrade():
    day = op.create_table(
        'session_day',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('session_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('starts_at', sa.DateTime(), nullable=False),
        sa.Column('ends_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_session_day_ends_after_start')),
        sa.ForeignKeyConstraint(['session_id'], ['course_session.id'],
                                name=op.f('fk_session_day_session_id_course_session'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_session_day')),
        sa.UniqueConstraint('session_id', 'day', name=op.f('uq_session_day_session_id')),
    )
    bind = op.get_bind()
    batch = []
    for row in bind.execute(sa.select(sessions).order_by(sessions.c.id)).all():
        batch += [{"session_id": row.id, "day": on, "starts_at": start, "ends_at": end}
                  for on, start, end in _days(row.starts_at, row.ends_at, row.timezone)]
        if len(batch) >= 5000:
            op.bulk_insert(day, batch)
            batch = []
    if batch:
        op.bulk_insert(day, batch)


def downgrade():
    op.drop_table('session_day')
