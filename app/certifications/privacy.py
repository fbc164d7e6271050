"""Certificates in a person's data export, and what deleting the account does to them: the public page is
withdrawn (the name is erased with the profile); the anonymous record stays for aggregate figures."""
from __future__ import annotations

import sqlalchemy as sa

from app.accounts.privacy import register_erasure, register_export
from app.certifications.models import Certification
from app.platform.extensions import db

FIELDS = ("public_id", "type", "status", "issued_at", "expires_at", "revoked_at", "revoked_reason", "public",
          "public_since", "facts")


def certificates_of(user) -> list[dict]:
    rows = db.session.execute(
        sa.select(Certification).where(Certification.learner_id == user.id).order_by(Certification.issued_at)
    ).scalars()
    return [{name: getattr(c, name) for name in FIELDS} for c in rows]


def withdraw_public_pages(user) -> None:
    db.session.execute(
        sa.update(Certification).where(Certification.learner_id == user.id)
        .values(public=False, public_since=None, signed_jwt=None).execution_options(synchronize_session=False)
    )


register_export("certificates", certificates_of)
register_erasure(withdraw_public_pages)
