"""Provider members: the exchanges their organisation recorded, submitted to association staff for approval.
A record names their organisation as the sending or the receiving one."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.accounts import menu
from app.providers.permissions import is_provider_member
from app.exchanges import queries, services
from app.exchanges.permissions import can_edit_as_provider, can_see_as_provider, member_org_ids
from app.exchanges.routes import ID, bp, build_form, form_values, render_list
from app.platform.extensions import db

menu.register("exchanges.provider_index", _l("Talent exchanges"), is_provider_member)


def _member_required():
    if not is_provider_member(current_user):
        abort(403)


def _load(exchange_id: int, edit: bool = False):
    exchange = queries.get_exchange(exchange_id)
    if exchange is None or not can_see_as_provider(current_user, exchange):
        abort(404)
    if edit and not can_edit_as_provider(current_user, exchange):
        abort(403)
    return exchange


def _recorded_for(form) -> int | None:
    """The user's organisation that sends or receives (the sending one first), else a form error."""
    mine = member_org_ids(current_user)
    for org_id in (form.sending_org_id.data, form.receiving_org_id.data):
        if org_id in mine:
            return org_id
    form.sending_org_id.errors = list(form.sending_org_id.errors) + [
        _("Your organisation must be the sending or the receiving one.")]
    return None


@bp.get("/provider/exchanges")
@login_required
def provider_index():
    _member_required()
    return render_list("exchanges/provider_list.html", "exchanges.provider_index",
                       org_ids=member_org_ids(current_user))


@bp.route("/provider/exchanges/new", methods=["GET", "POST"])
@login_required
def provider_new():
    _member_required()
    form = build_form(staff=False, known_to=member_org_ids(current_user))
    if form.validate_on_submit() and (org_id := _recorded_for(form)) is not None:
        values, areas, certs = form_values(form)
        try:
            exchange = services.create(values, skill_areas=areas, certifications=certs, recorded_by=current_user,
                                       recorded_for_org_id=org_id)
        except services.ExchangeError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            flash(_("The exchange was submitted; association staff will approve it."), "success")
            return redirect(url_for("exchanges.provider_detail", exchange_id=exchange.id))
    status = 400 if form.is_submitted() else 200
    return render_template("exchanges/form.html", form=form, exchange=None, side="provider"), status


@bp.get(f"/provider/exchanges/{ID}")
@login_required
def provider_detail(exchange_id: int):
    exchange = _load(exchange_id)
    return render_template("exchanges/detail.html", exchange=exchange, side="provider", decision=None,
                           can_edit=can_edit_as_provider(current_user, exchange))


@bp.route(f"/provider/exchanges/{ID}/edit", methods=["GET", "POST"])
@login_required
def provider_edit(exchange_id: int):
    exchange = _load(exchange_id, edit=True)
    form = build_form(staff=False, obj=exchange, known_to=member_org_ids(current_user))
    if form.validate_on_submit() and _recorded_for(form) is not None:
        values, areas, certs = form_values(form)
        try:
            changed = services.update(exchange, values, skill_areas=areas, certifications=certs)
        except services.ExchangeError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            flash(_("The changes were saved.") if changed else _("Nothing was changed."), "success")
            return redirect(url_for("exchanges.provider_detail", exchange_id=exchange_id))
    status = 400 if form.is_submitted() else 200
    return render_template("exchanges/form.html", form=form, exchange=exchange, side="provider"), status
