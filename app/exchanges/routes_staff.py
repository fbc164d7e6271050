"""Association staff: every exchange record, recording, approving and rejecting, and the organisations
that are not providers. Staff records are approved at once."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.access import staff_required
from app.audit.services import record
from app.exchanges import queries, services
from app.exchanges.forms import DecisionForm, OrganisationForm
from app.exchanges.routes import ID, bp, edit_view, render_list
from app.i18n.countries import country_choices
from app.i18n.filters import current_lang, field_text
from app.platform import decisions
from app.platform.confirmation import confirm_page
from app.platform.extensions import db
from app.platform.lookup import found
from app.platform.pagination import page_number, paginate_rows
from app.providers import organisations
from app.providers.services import ProviderError

PER_PAGE = 25


def _load(exchange_id: int):
    return found(queries.get_exchange(exchange_id))


@bp.get("/staff/exchanges")
@staff_required
def staff_index():
    return render_list("exchanges/staff_list.html", "exchanges.staff_index")


@bp.route("/staff/exchanges/new", methods=["GET", "POST"])
@staff_required
def staff_new():
    return edit_view("staff")


@bp.get(f"/staff/exchanges/{ID}")
@staff_required
def staff_detail(exchange_id: int):
    exchange = _load(exchange_id)
    if exchange.participant_user_id is not None:  # a staff view of a person's data
        record("person.view", "user", exchange.participant_user_id, detail={"via": "exchange", "id": exchange.id})
        db.session.commit()
    return render_template("exchanges/detail.html", exchange=exchange, side="staff", decision=DecisionForm())


@bp.route(f"/staff/exchanges/{ID}/edit", methods=["GET", "POST"])
@staff_required
def staff_edit(exchange_id: int):
    return edit_view("staff", _load(exchange_id))


def _reject_page(exchange, form: DecisionForm, status: int = 200):
    lines = [_("The exchange from %(sending)s to %(receiving)s is marked as rejected and left out of the "
               "approved figures; whoever recorded it sees your reason.",
               sending=field_text(exchange.sending_org, "name"), receiving=field_text(exchange.receiving_org, "name")),
             _("It stays on record: it can be corrected and approved later.")]
    return confirm_page(title=_("Reject this exchange record?"), lines=lines, button=_("Reject the record"),
                        back=url_for("exchanges.staff_detail", exchange_id=exchange.id), fields=[form.reason],
                        hidden={"seen": exchange.approval.value}, status=status, undoable=True,
                        action=url_for("exchanges.decide", exchange_id=exchange.id, decision="reject"))


@bp.get(f"/staff/exchanges/{ID}/reject")
@staff_required
def confirm_reject(exchange_id: int):
    exchange = _load(exchange_id)
    return decisions.ask_reason(exchange.approval != "rejected", decided=_("This record is already rejected."),
                                back=url_for("exchanges.staff_detail", exchange_id=exchange_id),
                                page=lambda: _reject_page(exchange, DecisionForm(formdata=None)))


@bp.post(f"/staff/exchanges/{ID}/<any(approve, reject):decision>")
@staff_required
def decide(exchange_id: int, decision: str):
    exchange = _load(exchange_id)
    form, approve = DecisionForm(), decision == "approve"

    def act():
        if approve:
            services.approve(exchange, current_user, expected=form.seen.data)
        else:
            services.reject(exchange, current_user, form.reason.data or "", expected=form.seen.data)

    def reason_missing(error: services.ExchangeError):  # the service requires a reason to reject
        if error.code == "reason":
            form.reason.errors = [str(error)]
            return _reject_page(exchange, form, 400)
        return None  # decided by someone else meanwhile: show the record as it is now

    return decisions.decide(
        form, turn_down=not approve, act=act, failure=services.ExchangeError, on_failure=reason_missing,
        back=url_for("exchanges.staff_detail", exchange_id=exchange_id),
        ask=lambda status: _reject_page(exchange, form, status),
        show=lambda: render_template("exchanges/detail.html", exchange=exchange, side="staff", decision=form),
        done=_("The record was approved.") if approve else _("The record was rejected; the provider sees your reason."),
        then=url_for("exchanges.staff_detail", exchange_id=exchange_id))


@bp.get("/staff/organisations")
@staff_required
def organisations_index():
    kind = request.args.get("kind", "")
    page = paginate_rows(organisations.list_organisations(kind), page_number(request.args.get("page")), PER_PAGE)
    return render_template("exchanges/organisations.html", page=page, kind=kind)


@bp.route("/staff/organisations/new", methods=["GET", "POST"])
@staff_required
def new_organisation():
    form = OrganisationForm(country_choices=country_choices(current_lang()))
    if form.validate_on_submit():
        try:
            org = organisations.create_organisation(**{name: form[name].data for name in organisations.FIELDS})
        except ProviderError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            flash(_("The organisation “%(name)s” was created.", name=org.name_en or org.name_ja), "success")
            return redirect(url_for("exchanges.organisations_index"))
    status = 400 if form.is_submitted() else 200
    return render_template("exchanges/organisation_form.html", form=form), status
