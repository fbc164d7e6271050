"""People: accounts, their server-side sign-in sessions, second factors and consents."""
from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.platform.database import UTCDateTime, enum_type, utcnow
from app.platform.extensions import db
from app.platform.sealing import Unreadable, seal, unseal


class AccountStatus(enum.StrEnum):
    PENDING = "pending"  # registered, email not yet confirmed
    ACTIVE = "active"
    DISABLED = "disabled"  # by an admin
    DELETED = "deleted"  # by the person: personal fields erased


class NameOrder(enum.StrEnum):
    FAMILY_FIRST = "family_first"
    GIVEN_FIRST = "given_first"


class User(db.Model):
    # "user" is a reserved word in PostgreSQL.
    __tablename__ = "user_account"

    # Flask-Login: a loaded user is signed in through one server-side session, whose random token
    # (not the user id) is what the session and remember-me cookies carry.
    session_token = None  # str | None; a plain class attribute, not a column
    is_authenticated = True
    is_anonymous = False

    id: Mapped[int] = mapped_column(primary_key=True)
    # As typed, for mail; `email_key` (NFKC, case-folded) is what must be unique, so that
    # Ａlice@example.com and alice@example.com are one account.
    email: Mapped[str | None] = mapped_column(sa.String(254))
    email_key: Mapped[str | None] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(sa.String(256))
    status: Mapped[AccountStatus] = mapped_column(enum_type(AccountStatus), default=AccountStatus.PENDING)

    family_name: Mapped[str | None] = mapped_column(sa.String(100))
    given_name: Mapped[str | None] = mapped_column(sa.String(100))
    family_name_kana: Mapped[str | None] = mapped_column(sa.String(100))
    given_name_kana: Mapped[str | None] = mapped_column(sa.String(100))
    family_name_latin: Mapped[str | None] = mapped_column(sa.String(100))
    given_name_latin: Mapped[str | None] = mapped_column(sa.String(100))
    name_order: Mapped[NameOrder] = mapped_column(enum_type(NameOrder), default=NameOrder.GIVEN_FIRST)
    preferred_language: Mapped[str] = mapped_column(sa.String(2), default="en")
    country: Mapped[str | None] = mapped_column(sa.String(2))
    timezone: Mapped[str | None] = mapped_column(sa.String(64))
    employer: Mapped[str | None] = mapped_column(sa.String(200))

    # Global roles; provider roles are memberships of an organisation.
    is_staff: Mapped[bool] = mapped_column(default=False)
    is_admin: Mapped[bool] = mapped_column(default=False)
    association_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisation.id", ondelete="SET NULL"))

    # Base32 TOTP secret, set once the person has confirmed a first code; stored sealed (app/sealing.py):
    # read and write it through `totp_secret`.
    totp_secret_sealed: Mapped[str | None] = mapped_column("totp_secret", sa.String(255))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The last TOTP time step accepted, so one code cannot be used twice.
    totp_last_step: Mapped[int | None] = mapped_column(sa.BigInteger)

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    activated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # `memberships` (the person's places in organisations) is added by app/providers/models.py: accounts
    # does not know the parts built on it.

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.status == AccountStatus.ACTIVE

    def get_id(self) -> str | None:  # Flask-Login: stored in the session and remember-me cookies
        return self.session_token

    @property
    def is_active_account(self) -> bool:
        return self.status == AccountStatus.ACTIVE

    @property
    def totp_secret(self) -> str | None:
        """The plain secret; None (logged) when SECRET_KEY cannot open it: run `flask keys rotate`."""
        try:
            return unseal(self.totp_secret_sealed)
        except Unreadable:
            from flask import current_app

            current_app.logger.error("the TOTP secret of account %s cannot be decrypted", self.id)
            return None

    @totp_secret.setter
    def totp_secret(self, plain: str | None) -> None:
        self.totp_secret_sealed = seal(plain) if plain is not None else None

    @property
    def has_second_factor(self) -> bool:
        return self.totp_enabled_at is not None

    def __repr__(self) -> str:
        return f"<User {self.id} {self.status}>"


class UserSession(db.Model):
    """One signed-in browser. The cookie carries a random token; only its SHA-256 is stored, and a
    request is signed in only while this row is live, so ending it ends that browser everywhere."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    user_agent: Mapped[str | None] = mapped_column(sa.String(200))

    user: Mapped[User] = relationship()


class RecoveryCode(db.Model):
    """One-time codes for signing in when the authenticator is lost; stored hashed."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ConsentKind(enum.StrEnum):
    TERMS = "terms"  # terms of use and privacy notice, at registration
    SHARE_WITH_PROVIDERS = "share_with_providers"


class Consent(db.Model):
    """What a person agreed to, which version of the text, and when; withdrawing keeps the record."""

    __tablename__ = "consent"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ConsentKind] = mapped_column(enum_type(ConsentKind))
    version: Mapped[str] = mapped_column(sa.String(20))
    given_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
