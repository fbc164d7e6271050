"""Writes a person makes about themselves: their profile, consent to share, and their data as a whole
(export everything the site holds about them; delete the account). Flush, never commit.

Later features add what they hold about a person with `register_export("enrolments", fn)` (fn(user)
returns anything JSON can hold) and what deleting the account must also do with
`register_erasure(fn)` (fn(user), run inside the same transaction, before the fields are erased). An
erasure may return a callable to run once the deletion is committed (mail to other people, e.g. the
learner promoted to a freed seat); `delete_account` returns them, and its caller runs them after commit.
"""
from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from app.accounts import queries
from app.accounts.models import AccountStatus, Consent, ConsentKind, RecoveryCode, User
from app.accounts.services import AccountError
from app.accounts.sessions import end_other_sessions
from app.i18n.countries import default_timezone
from app.platform.database import utcnow
from app.platform.extensions import db

PROFILE_FIELDS = (
    "family_name", "given_name", "family_name_kana", "given_name_kana", "family_name_latin",
    "given_name_latin", "name_order", "preferred_language", "country", "timezone", "employer",
)


def update_profile(user: User, values: dict[str, Any]) -> list[str]:
    """Set the profile fields given (empty text becomes NULL); returns the names of those that changed."""
    values = {k: (v or None) if isinstance(v, str) else v for k, v in values.items() if k in PROFILE_FIELDS}
    if "timezone" in values and not values["timezone"]:
        country = values.get("country", user.country)
        values["timezone"] = default_timezone(country) if country else None
    changed = []
    for name, value in values.items():
        if getattr(user, name) != value:
            setattr(user, name, value)
            changed.append(name)
    return changed


def set_share_consent(user: User, share: bool, version: str) -> bool:
    """Give (a new record with its version and time) or withdraw (the live record ends) the consent to
    share data with providers. Returns whether anything changed."""
    live = queries.live_consent(user.id, ConsentKind.SHARE_WITH_PROVIDERS)
    if share and live is None:
        db.session.add(Consent(user_id=user.id, kind=ConsentKind.SHARE_WITH_PROVIDERS, version=version,
                               given_at=utcnow()))
        return True
    if not share and live is not None:
        _withdraw(user.id, ConsentKind.SHARE_WITH_PROVIDERS)
        return True
    return False


def _withdraw(user_id: int, kind: ConsentKind | None = None) -> None:
    stmt = sa.update(Consent).where(Consent.user_id == user_id, Consent.withdrawn_at.is_(None))
    if kind is not None:
        stmt = stmt.where(Consent.kind == kind)
    db.session.execute(stmt.values(withdrawn_at=utcnow()), execution_options={"synchronize_session": "fetch"})


# --- Export --------------------------------------------------------------------------------------

ExportFn = Callable[[User], Any]
_EXPORTS: dict[str, ExportFn] = {}


def register_export(name: str, fn: ExportFn) -> None:
    """Add a section to every export (a later registration under the same name replaces it)."""
    _EXPORTS[name] = fn


def plain(value: Any) -> Any:
    """A value JSON can hold: dates as ISO 8601, enums as their value."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def export_fields(obj, fields) -> dict:
    return {name: plain(getattr(obj, name)) for name in fields}


def export_data(user: User) -> dict:
    """Everything the site holds about `user`, section by section, ready for json.dumps."""
    data: dict[str, Any] = {"exported_at": plain(utcnow()), "format": "battery-talent-bridge/1"}
    for name, fn in _EXPORTS.items():
        data[name] = plain(fn(user))
    return data


def _account(user: User) -> dict:
    fields = ("id", "email", "status", *PROFILE_FIELDS, "is_staff", "is_admin", "association_id",
              "created_at", "activated_at", "password_changed_at", "totp_enabled_at")
    data = export_fields(user, fields)
    recovery_left = db.session.execute(
        sa.select(sa.func.count()).select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    ).scalar_one()
    # Secrets are never exported, only that they exist: a leaked export must not open the account.
    data["secrets_held_but_not_exported"] = {
        "password_hash": user.password_hash is not None,
        "totp_secret": user.totp_secret is not None,
        "unused_recovery_codes": recovery_left,
    }
    return data


def _consents(user: User) -> list:
    return [export_fields(c, ("kind", "version", "given_at", "withdrawn_at")) for c in queries.consents_of(user.id)]


def _sessions(user: User) -> list:
    fields = ("created_at", "last_seen_at", "ended_at", "user_agent")
    return [export_fields(s, fields) for s in queries.sessions_of(user.id)]


def _audit(user: User) -> list:
    fields = ("at", "action", "object_type", "object_id", "organisation_id", "detail", "ip")
    return [export_fields(e, fields) for e in queries.audit_entries_by(user.id)]


register_export("account", _account)
register_export("consents", _consents)
register_export("sign_in_sessions", _sessions)
register_export("audit_entries_as_actor", _audit)


# --- Deletion ------------------------------------------------------------------------------------

AfterCommit = Callable[[], None]
_ERASURES: list[Callable[[User], AfterCommit | None]] = []
_BLOCKERS: list[Callable[[User], list]] = []


def register_erasure(fn: Callable[[User], AfterCommit | None]) -> None:
    if fn not in _ERASURES:
        _ERASURES.append(fn)


def register_deletion_blocker(fn: Callable[[User], list]) -> None:
    """fn(user) lists what deleting the account would leave unmanaged (providers: organisations the
    person alone owns); while any is listed, the account cannot be deleted."""
    if fn not in _BLOCKERS:
        _BLOCKERS.append(fn)


def deletion_blockers(user: User) -> list:
    return [item for fn in _BLOCKERS for item in fn(user)]


ERASED_FIELDS = (
    "email", "email_key", "password_hash", "family_name", "given_name", "family_name_kana", "given_name_kana",
    "family_name_latin", "given_name_latin", "country", "timezone", "employer", "totp_secret",
    "totp_enabled_at", "totp_last_step", "association_id",
)


class LastOwnerError(AccountError):
    """The person is the only owner of these organisations; the caller words the message."""

    def __init__(self, organisations: list) -> None:
        super().__init__("last owner")
        self.organisations = organisations


def delete_account(user: User) -> list[AfterCommit]:
    """Erase the person's fields and end every way in; the row (and what refers to it: audit entries,
    applications, later enrolments) stays, so figures do not change. The address may register again.
    Returns what to run once this is committed (the features' mails to other people).

    Refuses with LastOwnerError while the person is the only owner of an organisation."""
    lonely = deletion_blockers(user)
    if lonely:
        raise LastOwnerError(lonely)
    after_commit = [then for fn in _ERASURES if (then := fn(user)) is not None]
    for name in ERASED_FIELDS:
        setattr(user, name, None)
    user.is_staff = user.is_admin = False
    user.status = AccountStatus.DELETED
    user.deleted_at = utcnow()
    end_other_sessions(user, keep_current=False)
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    _withdraw(user.id)
    db.session.flush()
    return after_commit
