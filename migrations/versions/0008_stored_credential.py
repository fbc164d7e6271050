"""Certificates keep their signed Open Badges credential (signed once per issue or status change)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 06:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('certification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signed_jwt', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('certification', schema=None) as batch_op:
        batch_op.drop_column('signed_jwt')
