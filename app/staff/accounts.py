"""Accounts and roles, for admins: find a person, read their account, grant or withdraw association
staff and admin, disable or re-enable the account. Every action and every view of a person is audited
(reads in account_queries.py, changes in account_services.py)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.accounts import menu
from app.accounts.permissions import is_admin
from app.accounts.services import AccountError
from app.audit.services import record
from app.platform.extensions import db, login_manager
from app.platform.lookup import found
from app.platform.pagination import page_number, paginate_rows
from app.staff import account_queries, account_services
from app.staff.forms import RoleForm, StatusForm

bp = Blueprint("admin", __name__, url_prefix="/<lang:lang_code>/staff/accounts")
PAGE_SIZE = 25
ROLE_FILTERS = ("staff", "admin", "provider", "disabled")

menu.register("admin.index", _l("Accounts and roles"), is_admin)


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
    page = paginate_rows(account_queries.search_people(q, role), page_number(request.args.get("page")), PAGE_SIZE)
    args = {key: value for key, value in (("q", q), ("role", role)) if value}
    return render_template("admin/index.html", page=page, people=[row[0] for row in page.items], q=q,
                           role=role, args=args)


@bp.get("/<int(max=2147483647):user_id>")
def person(user_id: int):
    person = found(account_queries.get_person(user_id))
    record("person.view", "user", person.id)
    db.session.commit()
    return render_template("admin/person.html", person=person, sessions=account_queries.live_sessions(person),
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
    person = found(account_queries.get_person(user_id))
    form = RoleForm()
    if not form.validate_on_submit():
        flash(_("The form could not be read. Please try again."), "error")
        return redirect(url_for("admin.person", user_id=person.id))
    _apply(account_services.set_role, person, form.role.data, form.grant.data == "1")
    return redirect(url_for("admin.person", user_id=person.id))


@bp.post("/<int(max=2147483647):user_id>/status")
def change_status(user_id: int):
    person = found(account_queries.get_person(user_id))
    form = StatusForm()
    if not form.validate_on_submit():
        flash(_("The form could not be read. Please try again."), "error")
        return redirect(url_for("admin.person", user_id=person.id))
    _apply(account_services.set_disabled, person, form.action.data == "disable")
    return redirect(url_for("admin.person", user_id=person.id))
