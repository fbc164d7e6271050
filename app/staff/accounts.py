"""Accounts and roles, for admins: find a person, read their account, grant or withdraw association
staff and admin, disable or re-enable the account. Every action and every view of a person is audited."""
from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.orm import selectinload
from wtforms import StringField
from wtforms.validators import AnyOf, InputRequired

from app.accounts import menu
from app.accounts.models import AccountStatus, User, UserSession
from app.accounts.permissions import is_admin
from app.accounts.services import AccountError
from app.accounts.sessions import end_other_sessions, sign_in_again_for_new_role
from app.audit.services import record
from app.platform.extensions import db, login_manager
from app.platform.pagination import page_number, paginate_rows
from app.providers.models import Membership

bp = Blueprint("admin", __name__, url_prefix="/<lang:lang_code>/staff/accounts")
PAGE_SIZE = 25
ROLE_FILTERS = ("staff", "admin", "provider", "disabled")
MAX_TERMS = 5

menu.register("admin.index", _l("Accounts and roles"), is_admin)


# Reads --------------------------------------------------------------------------------------------

def _with_memberships(stmt: sa.Select) -> sa.Select:
    return stmt.options(selectinload(User.memberships).joinedload(Membership.organisation))


def search_people(q: str, role: str | None) -> sa.Select:
    """Accounts whose address or name (native, kana or Latin) contains every term of `q`."""
    stmt = _with_memberships(sa.select(User)).order_by(User.email_key.is_(None), User.email_key, User.id)
    columns = (User.email_key, User.family_name, User.given_name, User.family_name_kana, User.given_name_kana,
               User.family_name_latin, User.given_name_latin)
    for term in unicodedata.normalize("NFKC", q).casefold().split()[:MAX_TERMS]:
        stmt = stmt.where(sa.or_(*(sa.func.lower(col).contains(term, autoescape=True) for col in columns)))
    if role == "staff":
        stmt = stmt.where(User.is_staff.is_(True))
    elif role == "admin":
        stmt = stmt.where(User.is_admin.is_(True))
    elif role == "provider":
        stmt = stmt.where(sa.exists().where(Membership.user_id == User.id))
    elif role == "disabled":
        stmt = stmt.where(User.status == AccountStatus.DISABLED)
    return stmt


def get_person(user_id: int) -> User | None:
    return db.session.execute(_with_memberships(sa.select(User).where(User.id == user_id))).scalar_one_or_none()


def live_sessions(user: User) -> int:
    return db.session.execute(
        sa.select(sa.func.count()).select_from(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    ).scalar_one()


# Writes (flush, never commit) ---------------------------------------------------------------------

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


# Forms --------------------------------------------------------------------------------------------

class RoleForm(FlaskForm):  # hidden fields of the buttons on a person's page
    role = StringField(validators=[InputRequired(), AnyOf(("staff", "admin"))])
    grant = StringField(validators=[InputRequired(), AnyOf(("1", "0"))])


class StatusForm(FlaskForm):
    action = StringField(validators=[InputRequired(), AnyOf(("disable", "enable"))])


# Views --------------------------------------------------------------------------------------------

@bp.before_request
def admins_only():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()  # to the sign-in page, and back here after it
    if not is_admin(current_user):
        abort(403)
    return None


@bp.get("")
def index():
    q = request.args.get("q", "").strip()[:100]
    role = request.args.get("role") if request.args.get("role") in ROLE_FILTERS else None
    page = paginate_rows(search_people(q, role), page_number(request.args.get("page")), PAGE_SIZE)
    args = {key: value for key, value in (("q", q), ("role", role)) if value}
    return render_template("admin/index.html", page=page, people=[row[0] for row in page.items], q=q,
                           role=role, args=args)


def _load(user_id: int) -> User:
    person = get_person(user_id)
    if person is None:
        abort(404)
    return person


@bp.get("/<int(max=2147483647):user_id>")
def person(user_id: int):
    person = _load(user_id)
    record("person.view", "user", person.id)
    db.session.commit()
    return render_template("admin/person.html", person=person, sessions=live_sessions(person),
                           is_self=person.id == current_user.id)


def _apply(change, *args) -> None:
    try:
        changed = change(current_user._get_current_object(), *args)
    except AccountError as error:  # raised before anything is written
        flash(str(error), "error")
        return
    db.session.commit()
    if changed:
        flash(_("The account is updated."), "success")
    else:
        flash(_("Nothing to change: the account was already so."), "success")


@bp.post("/<int(max=2147483647):user_id>/role")
def change_role(user_id: int):
    person = _load(user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        flash(_("The form could not be read. Please try again."), "error")
        return redirect(url_for("admin.person", user_id=person.id))
    _apply(set_role, person, form.role.data, form.grant.data == "1")
    return redirect(url_for("admin.person", user_id=person.id))


@bp.post("/<int(max=2147483647):user_id>/status")
def change_status(user_id: int):
    person = _load(user_id)
    form = StatusForm()
    if not form.validate_on_submit():
        flash(_("The form could not be read. Please try again."), "error")
        return redirect(url_for("admin.person", user_id=person.id))
    _apply(set_disabled, person, form.action.data == "disable")
    return redirect(url_for("admin.person", user_id=person.id))
