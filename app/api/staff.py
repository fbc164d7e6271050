"""Association staff endpoints: every exchange record (read, record, decide) and the report figures.

The scope's predicate is the staff pages' own (app.accounts.permissions.is_staff, checked on the token's
owner at every request, so a withdrawn role stops the token). The list takes the HTML list's filters
(app.exchanges.filters, unknown values named in "ignored" as the page names them in a notice) and order;
recording goes through the staff page's form and service (approved at once), deciding through the decide
route's form and services (a reason to reject; deciding what is already so is a 409); the figures are the
reports page's, from its cache."""
from __future__ import annotations

from flask import abort, g, request, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload
from wtforms import SelectField
from wtforms.validators import InputRequired

from app.api import serializers_staff as serialize
from app.api.auth import requires
from app.api.inputs import json_object, validated
from app.api.problems import problem
from app.api.routes import bp, page_number, reply
from app.audit.services import record
from app.exchanges import queries, services
from app.exchanges.filters import parse_filters
from app.exchanges.forms import DecisionForm, ExchangeForm, form_values
from app.exchanges.labels import org_label
from app.exchanges.models import Exchange
from app.exchanges.queries import PER_PAGE, approval_counts
from app.i18n.countries import country_choices
from app.i18n.filters import current_lang, field_text
from app.platform.extensions import db
from app.platform.pagination import page_items
from app.reports import figures
from app.reports.queries import PERIODS

ID = "<int(max=2147483647):exchange_id>"
PRIVATE = "private, no-cache"
# A service's refusal, named by the form field it concerns (the form checks the same first).
SERVICE_FIELDS = {"dates": "ends_on", "participant": "participant_email", "currency": "funding_currency",
                  "reason": "reason"}


class ApiDecisionForm(DecisionForm):
    """The decide route's form; the decision, which the HTML route takes from its URL, is a body field here."""

    decision = SelectField(_l("Decision"), choices=[("approve", _l("Approve")), ("reject", _l("Reject"))],
                           validators=[InputRequired()])
    seen = None  # the HTML form's record of what the page showed; the API decides on what it loads


def _load(exchange_id: int) -> Exchange:
    exchange = queries.get_exchange(exchange_id)
    if exchange is None:
        abort(404)
    return exchange


def _refused(error: services.ExchangeError):
    db.session.rollback()
    return problem(422, "invalid", errors={SERVICE_FIELDS.get(error.code, error.code): [error.message]})


@bp.get("/exchanges")
@requires("exchanges:read")
def exchange_list():
    page = page_number()
    filters, _notices = parse_filters(request.args)
    counts = approval_counts(filters, None)
    stmt = queries.list_exchanges(filters).options(joinedload(Exchange.course),
                                                   selectinload(Exchange.certifications))
    rows = page_items(stmt, page, PER_PAGE, scalars=True)
    return reply({"items": [serialize.exchange(x) for x in rows], "page": page, "page_size": PER_PAGE,
                  "total": sum(counts.values()), "approval_counts": counts, "ignored": list(filters.ignored)},
                 cache=PRIVATE)


@bp.get(f"/exchanges/{ID}")
@requires("exchanges:read")
def exchange_detail(exchange_id: int):
    exchange = _load(exchange_id)
    body = serialize.exchange(exchange)
    if exchange.participant_user_id is not None:  # a staff view of a person's data, as on the HTML page
        record("person.view", "user", exchange.participant_user_id, detail={"via": "exchange", "id": exchange.id})
        db.session.commit()
    return reply(body, cache=PRIVATE)


def _exchange_form(data: dict) -> ExchangeForm:
    """The staff page's form, with its choices, filled from the body; certificate ids may come as a list."""
    if isinstance(data.get("certifications"), list):
        data = {**data, "certifications": " ".join(str(item) for item in data["certifications"])}
    orgs = queries.organisations()
    form = validated(ExchangeForm, data, org_choices=[(o.id, org_label(o)) for o in orgs],
                     skill_choices=[(a.id, field_text(a, "name")) for a in queries.skill_areas()],
                     country_choices=country_choices(current_lang()), staff=True)
    form.org_countries = {o.id: o.country for o in orgs}
    return form


@bp.post("/exchanges")
@requires("exchanges:write")
def exchange_create():
    form = _exchange_form(json_object())
    values, areas, certs = form_values(form)
    try:
        exchange = services.create(values, skill_areas=areas, certifications=certs, recorded_by=g.api_user,
                                   approved_by=g.api_user)
    except services.ExchangeError as error:
        return _refused(error)
    db.session.commit()
    response = reply(serialize.exchange(_load(exchange.id)), cache="no-store", status=201)
    response.headers["Location"] = url_for("api.exchange_detail", exchange_id=exchange.id)
    return response


@bp.post(f"/exchanges/{ID}/decision")
@requires("exchanges:write")
def exchange_decide(exchange_id: int):
    exchange = _load(exchange_id)
    form = validated(ApiDecisionForm, json_object())
    try:
        if form.decision.data == "approve":
            services.approve(exchange, g.api_user)
        else:
            services.reject(exchange, g.api_user, form.reason.data or "")
    except services.ExchangeError as error:
        if error.code in SERVICE_FIELDS:
            return _refused(error)
        db.session.rollback()
        return problem(409, "conflict", error.message)
    db.session.commit()
    return reply(serialize.exchange(_load(exchange_id)), cache="no-store")


@bp.get("/reports/figures")
@requires("reports:read")
def report_figures():
    filters, _notices = parse_filters(request.args)
    ignored = list(filters.ignored)
    period = request.args.get("period", "year")
    if period not in PERIODS:  # as the reports page: by year, with a notice
        period = "year"
        ignored.append("period")
    rows, at = figures.raw_rows(figures.FIGURES, filters, period, page=False)
    return reply(serialize.report(rows, at, period, ignored), cache=PRIVATE)

