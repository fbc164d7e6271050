"""Admins change accounts: grant or withdraw association staff and admin, disable or enable an account.
Every change is audited. Flush, never commit."""
from __future__ import annotations

from flask_babel import gettext as _

from app.accounts.models import AccountStatus, User
from app.accounts.services import AccountError
from app.accounts.sessions import end_other_sessions, sign_in_again_for_new_role
from app.audit.services import record


def set_role(actor: User, person: User, role: str, grant: bool) -> bool:
    """Grant or withdraw association staff or admin; False when nothing changed."""
    if person.status == AccountStatus.DELETED:
        raise AccountError(_("This account has been deleted; its roles cannot change."))
    if role == "admin" and not grant and person.id == actor.id:
        raise AccountError(_("You cannot withdraw your own admin role. Ask another admin."))
    attribute = "is_staff" if role == "staff" else "is_admin"
    if bool(getattr(person, attribute)) == grant:
        return False
    setattr(person, attribute, grant)
    if grant:
        sign_in_again_for_new_role(person)
    record(f"account.{role}_{'granted' if grant else 'withdrawn'}", "user", person.id, detail={"role": role})
    return True


def set_disabled(actor: User, person: User, disabled: bool) -> bool:
    """Disable an account (and sign it out everywhere at once) or enable it again."""
    if person.id == actor.id:
        raise AccountError(_("You cannot disable your own account."))
    if person.status in (AccountStatus.DELETED, AccountStatus.PENDING):
        raise AccountError(_("Only an active or disabled account can be changed here."))
    wanted = AccountStatus.DISABLED if disabled else AccountStatus.ACTIVE
    if person.status == wanted:
        return False
    person.status = wanted
    ended = end_other_sessions(person, keep_current=False) if disabled else 0
    record("account.disabled" if disabled else "account.enabled", "user", person.id,
           detail={"sessions_ended": ended} if disabled else None)
    return True
