"""Exchange imports keep a CSV upload until confirmed, with the encoding it was read in

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('exchange_import', schema=None) as batch_op:
        batch_op.add_column(sa.Column('upload', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('encoding', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('encoding_guessed', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('exchange_import', schema=None) as batch_op:
        batch_op.drop_column('encoding_guessed')
        batch_op.drop_column('encoding')
        batch_op.drop_column('upload')
