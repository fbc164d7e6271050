"""Tax rates kept by association staff; a course says whether its price includes tax and at which rate

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 12:30:00

Seeded only with standard rates that were checked (consumption tax in Japan, VAT in the EU countries of
the demo providers that have been looked up); staff add the others, and later changes, on their pages.
Existing priced courses take the rate of their provider's country in force today and are read as
tax-inclusive, which is how their prices were shown until now.
"""
from datetime import date, datetime, timezone
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

# (country, standard rate %, in force from). Frozen here: later changes are rows staff add.
CHECKED_RATES = [
    ("JP", "10", date(2019, 10, 1)),
    ("DE", "19", date(2021, 1, 1)),
    ("FR", "20", date(2014, 1, 1)),
    ("BE", "21", date(1996, 1, 1)),
    ("NL", "21", date(2012, 10, 1)),
    ("SE", "25", date(1990, 7, 1)),
    ("PL", "23", date(2011, 1, 1)),
    ("IT", "22", date(2013, 10, 1)),
    ("ES", "21", date(2012, 9, 1)),
    ("FI", "25.5", date(2024, 9, 1)),
    ("CZ", "21", date(2013, 1, 1)),
    ("HU", "27", date(2012, 1, 1)),
    ("PT", "23", date(2011, 1, 1)),
]


def upgrade():
    tax_rate = op.create_table(
        'tax_rate',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('country', sa.String(length=2), nullable=False),
        sa.Column('rate_percent', sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column('valid_from', sa.Date(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint('rate_percent >= 0 AND rate_percent <= 100', name=op.f('ck_tax_rate_rate_range')),
        sa.CheckConstraint('length(country) = 2', name=op.f('ck_tax_rate_country_code')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_tax_rate')),
        sa.UniqueConstraint('country', 'valid_from', name=op.f('uq_tax_rate_country')),
    )
    created = datetime.now(timezone.utc).replace(tzinfo=None)
    op.bulk_insert(tax_rate, [
        {"country": country, "rate_percent": Decimal(rate), "valid_from": since, "created_at": created}
        for country, rate, since in CHECKED_RATES
    ])
    with op.batch_alter_table('course', schema=None) as batch_op:
        batch_op.add_column(sa.Column('price_includes_tax', sa.Boolean(), server_default=sa.true(),
                                      nullable=False))
        batch_op.add_column(sa.Column('tax_rate_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_course_tax_rate_id_tax_rate'), 'tax_rate', ['tax_rate_id'],
                                    ['id'])
    op.get_bind().execute(sa.text(
        "UPDATE course SET tax_rate_id = ("
        " SELECT t.id FROM tax_rate t JOIN organisation o ON o.country = t.country"
        " WHERE o.id = course.provider_id AND t.valid_from <= :today"
        " ORDER BY t.valid_from DESC LIMIT 1)"
        " WHERE price_amount IS NOT NULL"
    ), {"today": date.today()})


def downgrade():
    with op.batch_alter_table('course', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_course_tax_rate_id_tax_rate'), type_='foreignkey')
        batch_op.drop_column('tax_rate_id')
        batch_op.drop_column('price_includes_tax')
    op.drop_table('tax_rate')
