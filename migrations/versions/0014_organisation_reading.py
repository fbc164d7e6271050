"""Organisations (and provider applications) keep the reading of their Japanese name in kana (フリガナ), so
Japanese lists sort by it.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 12:40:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

TABLES = ("organisation", "provider_application")


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("name_reading", sa.String(200), nullable=True))


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("name_reading")
