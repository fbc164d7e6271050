"""Cancellation terms on courses: EN/JA text and a rule (free until N days before, then X %)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 12:30:00

Plain nullable columns: no table rebuild on SQLite (a batch rebuild of `course` would drop it while
sessions still point at it). The form keeps N within 0-365 and X within 0-100.
"""
import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('course', sa.Column('cancellation_terms_en', sa.Text(), nullable=True))
    op.add_column('course', sa.Column('cancellation_terms_ja', sa.Text(), nullable=True))
    op.add_column('course', sa.Column('cancel_free_days', sa.SmallInteger(), nullable=True))
    op.add_column('course', sa.Column('cancel_fee_percent', sa.SmallInteger(), nullable=True))


def downgrade():
    for name in ('cancel_fee_percent', 'cancel_free_days', 'cancellation_terms_ja', 'cancellation_terms_en'):
        op.drop_column('course', name)
