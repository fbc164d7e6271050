"""TOTP secrets encrypted at rest (sealed with a key derived from SECRET_KEY, see app/sealing.py)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 06:00:00

The column widens to hold a sealed value, and every plain secret is sealed with the SECRET_KEY of the
app running the migration (so the demo's secret, and everyone's authenticator, keep working).
"""
import base64

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

PREFIX = "enc1:"
INFO = b"battery-talent-bridge secrets-at-rest v1"
users = sa.table("user_account", sa.column("id", sa.Integer), sa.column("totp_secret", sa.String))


def _fernet(secret_key):
    # Frozen here (not imported from app/sealing.py), so this migration keeps meaning what it meant.
    from cryptography.fernet import Fernet
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    raw = secret_key.encode("utf-8") if isinstance(secret_key, str) else bytes(secret_key)
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=INFO).derive(raw)
    return Fernet(base64.urlsafe_b64encode(derived))


def _secret_key():
    from flask import current_app

    return current_app.config["SECRET_KEY"]


def seal_rows(conn, secret_key) -> int:
    """Seal every plain secret; returns how many (already sealed ones are left alone)."""
    box = _fernet(secret_key)
    rows = conn.execute(sa.select(users.c.id, users.c.totp_secret).where(users.c.totp_secret.is_not(None))).all()
    changed = 0
    for user_id, secret in rows:
        if secret.startswith(PREFIX):
            continue
        sealed = PREFIX + box.encrypt(secret.encode("utf-8")).decode("ascii")
        conn.execute(sa.update(users).where(users.c.id == user_id).values(totp_secret=sealed))
        changed += 1
    return changed


def unseal_rows(conn, secret_key) -> int:
    box = _fernet(secret_key)
    rows = conn.execute(sa.select(users.c.id, users.c.totp_secret).where(users.c.totp_secret.like(PREFIX + "%"))).all()
    for user_id, sealed in rows:
        plain = box.decrypt(sealed[len(PREFIX):].encode("ascii")).decode("utf-8")
        conn.execute(sa.update(users).where(users.c.id == user_id).values(totp_secret=plain))
    return len(rows)


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.alter_column('totp_secret', existing_type=sa.String(length=64), type_=sa.String(length=255),
                              existing_nullable=True)
    seal_rows(op.get_bind(), _secret_key())


def downgrade():
    unseal_rows(op.get_bind(), _secret_key())
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.alter_column('totp_secret', existing_type=sa.String(length=255), type_=sa.String(length=64),
                              existing_nullable=True)
