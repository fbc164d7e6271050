"""Reads for the holder's pages and the public verification page."""
from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from app.certifications.models import Certification
from app.platform.extensions import db

# new_public_id() makes 32 URL-safe characters; anything else cannot name a certificate.
PUBLIC_ID = re.compile(r"[A-Za-z0-9_-]{16,40}")


def is_public_id(text: str | None) -> bool:
    return isinstance(text, str) and PUBLIC_ID.fullmatch(text) is not None


def get_certificate(public_id: str) -> Certification | None:
    """The certificate with this public id and its holder, or None (also for a malformed id, unasked)."""
    if not is_public_id(public_id):
        return None
    return db.session.execute(
        sa.select(Certification).options(joinedload(Certification.learner))
        .where(Certification.public_id == public_id)
    ).scalar_one_or_none()


def get_successor(certificate: Certification) -> Certification | None:
    """The certificate that renewed this one, if any."""
    return db.session.execute(
        sa.select(Certification).options(joinedload(Certification.learner))
        .where(Certification.replaces_id == certificate.id)
    ).scalars().first()


@dataclass
class Held:
    certificate: Certification
    renewed_by: Certification | None  # the certificate that replaced it


def list_holder_certificates(learner_id: int) -> list[Held]:
    """A learner's certificates, newest first, in one query (what they show is frozen in `facts`),
    each with the certificate that renewed it, found among the same rows."""
    rows = list(db.session.execute(
        sa.select(Certification).where(Certification.learner_id == learner_id)
        .order_by(Certification.issued_at.desc(), Certification.id.desc())
    ).scalars())
    by_replaced = {c.replaces_id: c for c in rows if c.replaces_id is not None}
    return [Held(c, by_replaced.get(c.id)) for c in rows]
