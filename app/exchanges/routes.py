"""Talent exchange records: the blueprint and what the staff and provider views share.

Staff views (/<lang>/staff/exchanges, /<lang>/staff/organisations) are in routes_staff.py, provider views
(/<lang>/provider/exchanges) in routes_provider.py; both are imported at the end.
"""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.exchanges import labels, queries, services
from app.exchanges.filters import parse_filters, to_args
from app.exchanges.forms import ExchangeForm, form_values
from app.exchanges.labels import org_label
from app.exchanges.models import Exchange
from app.exchanges.permissions import member_org_ids
from app.exchanges.queries import PER_PAGE, approval_counts
from app.i18n.countries import country_choices
from app.i18n.filters import current_lang, field_text
from app.platform.extensions import db
from app.platform.pagination import page_number, paginate_rows

bp = Blueprint("exchanges", __name__, url_prefix="/<lang:lang_code>")
ID = "<int(max=2147483647):exchange_id>"


@bp.app_template_global()
def exchange_label(group: str, value) -> str:
    return labels.label(group, value)


bp.add_app_template_global(labels.ALL, "exchange_labels")  # {group: {value: label}} for select boxes


def build_form(*, staff: bool, obj=None, known_to=()) -> ExchangeForm:
    """The record form with its choices; on GET for an existing record, filled from it. A provider's form
    links only people its organisations (`known_to`) know, or the participant already on the record."""
    orgs = queries.organisations()
    form = ExchangeForm(
        org_choices=[(o.id, org_label(o)) for o in orgs],
        skill_choices=[(a.id, field_text(a, "name")) for a in queries.skill_areas()],
        country_choices=country_choices(current_lang()), staff=staff, known_to=known_to,
        keep_participant_id=getattr(obj, "participant_user_id", None),
        data=_data_of(obj) if obj is not None and request.method == "GET" else None,
    )
    form.org_countries = {o.id: o.country for o in orgs}
    return form


def _data_of(exchange: Exchange) -> dict:
    amount = exchange.funding_amount
    if amount is not None and exchange.funding_currency == "EUR":
        amount = f"{amount / 100:.2f}"
    return {
        "participant_email": exchange.participant.email if exchange.participant else None,
        "participant_name_native": exchange.participant_name_native,
        "participant_name_latin": exchange.participant_name_latin,
        "participant_type": exchange.participant_type.value,
        "sending_org_id": exchange.sending_org_id, "receiving_org_id": exchange.receiving_org_id,
        "sending_country": exchange.sending_country, "receiving_country": exchange.receiving_country,
        "activity_type": exchange.activity_type.value, "course": str(exchange.course_id or "") or None,
        "skill_areas": [a.id for a in exchange.skill_areas], "cooperation_area": exchange.cooperation_area.value,
        "starts_on": exchange.starts_on, "ends_on": exchange.ends_on,
        "funding_amount": "" if amount is None else str(amount),
        "funding_currency": exchange.funding_currency.value if exchange.funding_currency else "",
        "funding_source": exchange.funding_source, "green_travel": exchange.green_travel,
        "status": exchange.status.value, "outcome_notes": exchange.outcome_notes,
        "certifications": " ".join(c.public_id for c in exchange.certifications),
    }


def render_list(template: str, endpoint: str, org_ids: list[int] | None = None, **context):
    """A filtered, paginated list of records (all, or those recorded for `org_ids`)."""
    filters, notices = parse_filters(request.args)
    stmt = queries.list_exchanges(filters, org_ids)
    page = paginate_rows(stmt, page_number(request.args.get("page")), PER_PAGE)
    counts = approval_counts(filters, org_ids)
    return render_template(template, page=page, filters=filters, notices=notices, args=to_args(filters),
                           counts=counts, endpoint=endpoint, organisations=queries.organisations(),
                           skill_areas=queries.skill_areas(), countries=country_choices(current_lang()),
                           **context)



def edit_view(side: str, exchange: Exchange | None = None):
    """Record an exchange (`exchange` None) or change one, as association staff (`side` "staff": their new
    records are approved at once) or as a provider member ("provider": the record must name one of their
    organisations, and waits for staff approval)."""
    staff = side == "staff"
    form = build_form(staff=staff, obj=exchange, known_to=() if staff else member_org_ids(current_user))
    org_id = None
    if form.validate_on_submit() and (staff or (org_id := _recorded_for(form)) is not None):
        values, areas, certs = form_values(form)
        try:
            if exchange is None:
                exchange = services.create(values, skill_areas=areas, certifications=certs, recorded_by=current_user,
                                           recorded_for_org_id=org_id, approved_by=current_user if staff else None)
                done = (_("The exchange was recorded and approved.") if staff
                        else _("The exchange was submitted; association staff will approve it."))
            else:
                changed = services.update(exchange, values, skill_areas=areas, certifications=certs)
                done = _("The changes were saved.") if changed else _("Nothing was changed.")
        except services.ExchangeError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            flash(done, "success")
            return redirect(url_for(f"exchanges.{side}_detail", exchange_id=exchange.id))
    status = 400 if form.is_submitted() else 200
    return render_template("exchanges/form.html", form=form, exchange=exchange, side=side), status


def _recorded_for(form) -> int | None:
    """The user's organisation that sends or receives (the sending one first), else a form error."""
    mine = member_org_ids(current_user)
    for org_id in (form.sending_org_id.data, form.receiving_org_id.data):
        if org_id in mine:
            return org_id
    form.sending_org_id.errors = list(form.sending_org_id.errors) + [
        _("Your organisation must be the sending or the receiving one.")]
    return None


from app.exchanges import routes_provider as _provider  # noqa: E402,F401
from app.exchanges import routes_staff as _staff  # noqa: E402,F401
