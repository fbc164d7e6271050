"""Provider members: the exchanges their organisation recorded, submitted to association staff for approval.
A record names their organisation as the sending or the receiving one."""
from __future__ import annotations

from flask import abort, render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.accounts import menu
from app.exchanges import queries
from app.exchanges.permissions import can_edit_as_provider, can_see_as_provider, member_org_ids
from app.exchanges.routes import ID, bp, edit_view, render_list
from app.platform.lookup import found
from app.providers.permissions import is_provider_member

menu.register("exchanges.provider_index", _l("Talent exchanges"), is_provider_member)


def _member_required():
    if not is_provider_member(current_user):
        abort(403)


def _load(exchange_id: int, edit: bool = False):
    exchange = found(queries.get_exchange(exchange_id))
    if not can_see_as_provider(current_user, exchange):
        abort(404)
    if edit and not can_edit_as_provider(current_user, exchange):
        abort(403)
    return exchange


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
    return edit_view("provider")


@bp.get(f"/provider/exchanges/{ID}")
@login_required
def provider_detail(exchange_id: int):
    exchange = _load(exchange_id)
    return render_template("exchanges/detail.html", exchange=exchange, side="provider", decision=None,
                           can_edit=can_edit_as_provider(current_user, exchange))


@bp.route(f"/provider/exchanges/{ID}/edit", methods=["GET", "POST"])
@login_required
def provider_edit(exchange_id: int):
    return edit_view("provider", _load(exchange_id, edit=True))
