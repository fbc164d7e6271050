"""Certificates: what a learner was awarded, frozen at issue, and the keys that sign them."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.platform.database import UTCDateTime, enum_type, utcnow
from app.platform.extensions import db

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.catalog.models import Course, CourseSession
    from app.providers.models import Organisation


class CertificateType(enum.StrEnum):
    ATTENDANCE = "attendance"
    COMPLETION = "completion"
    ASSESSED = "assessed"


class CertificateStatus(enum.StrEnum):
    ACTIVE = "active"  # valid until expires_at, if any (then "expired", derived, never stored)
    REVOKED = "revoked"


class Certification(db.Model):
    __tablename__ = "certification"
    __table_args__ = (
        # One original certificate per enrolment; renewals point at what they replace.
        sa.Index("uq_certification_enrolment", "enrolment_id", unique=True,
                 sqlite_where=sa.text("replaces_id IS NULL"), postgresql_where=sa.text("replaces_id IS NULL")),
        sa.Index("ix_certification_expiry", "status", "expires_at"),
        sa.Index("ix_certification_org_issued", "organisation_id", "issued_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # In URLs and credentials: 192 random bits, so ids cannot be guessed or enumerated.
    public_id: Mapped[str] = mapped_column(sa.String(40), unique=True)
    # SET NULL keeps the anonymous record for aggregate figures when an account is deleted.
    learner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    enrolment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("enrolment.id", ondelete="SET NULL"))
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("course.id"), index=True)
    session_id: Mapped[int | None] = mapped_column(sa.ForeignKey("course_session.id", ondelete="SET NULL"))
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"))
    replaces_id: Mapped[int | None] = mapped_column(sa.ForeignKey("certification.id", ondelete="SET NULL"))
    type: Mapped[CertificateType] = mapped_column(enum_type(CertificateType))
    status: Mapped[CertificateStatus] = mapped_column(enum_type(CertificateStatus), default=CertificateStatus.ACTIVE)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    issued_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_reason: Mapped[str | None] = mapped_column(sa.String(500))
    revoked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    # The holder's choice: the public verification page is off until they turn it on.
    public: Mapped[bool] = mapped_column(default=False)
    public_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Everything printed on the certificate, frozen at issue (course titles EN/JA, provider names, hours,
    # EQF level, skill areas, session dates and zone), so later edits to the course change nothing.
    facts: Mapped[dict] = mapped_column(sa.JSON)
    # The signed Open Badges credential (compact JWT), made on first request and kept: signed once per
    # issue or status change, not on every GET. Cleared when it is revoked or its public page is withdrawn.
    signed_jwt: Mapped[str | None] = mapped_column(sa.Text)
    reminded_60_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_14_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    learner: Mapped[User | None] = relationship(foreign_keys=[learner_id])
    course: Mapped[Course] = relationship()
    session: Mapped[CourseSession | None] = relationship()
    organisation: Mapped[Organisation] = relationship()
    replaces: Mapped[Certification | None] = relationship(remote_side=[id], foreign_keys=[replaces_id])

    def state(self, now: datetime) -> str:
        """valid, expired or revoked: what the verification page says."""
        if self.status == CertificateStatus.REVOKED:
            return "revoked"
        if self.expires_at is not None and now >= self.expires_at:
            return "expired"
        return "valid"


class SigningKey(db.Model):
    """A key that signs credentials. Kept in the database so every process and host signs with the
    same one; retired keys stay published so credentials they signed still verify."""

    __tablename__ = "signing_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    kid: Mapped[str] = mapped_column(sa.String(64), unique=True)
    algorithm: Mapped[str] = mapped_column(sa.String(10))  # RS256 or EdDSA
    # PEM (PKCS#8), encrypted with a key derived from SECRET_KEY (see keys.py).
    private_key: Mapped[str] = mapped_column(sa.Text)
    public_jwk: Mapped[dict] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
