"""OpenAPI part: association staff (scopes exchanges:read, exchanges:write, reports:read)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.api.spec.common import DATETIME, PAGE_PARAM, nullable, obj, path_param, query, read, ref, write
from app.catalog.models import Currency
from app.exchanges.forms import NAME_MAX, NOTES_MAX, REASON_MAX, SOURCE_MAX
from app.exchanges.models import ActivityType, Approval, CooperationArea, Direction, ExchangeStatus, ParticipantType
from app.reports.figures import FIGURES
from app.reports.queries import PERIODS


def enum(values) -> dict:
    return {"type": "string", "enum": [v.value for v in values]}


INTEGER = {"type": "integer"}
COUNT = {"type": "integer", "minimum": 0}
DATE = {"type": "string", "format": "date"}
NAMED = obj(["id", "name"], {"id": INTEGER, "name": ref("Bilingual")})
END = obj(["organisation", "country"], {"organisation": NAMED, "country": {"type": "string"}})
EXCHANGE_FIELDS = [
    "id", "participant", "sending", "receiving", "direction", "activity_type", "cooperation_area", "course",
    "skill_areas", "starts_on", "ends_on", "duration_days", "funding", "funding_source", "green_travel", "status",
    "approval", "rejection_reason", "reviewed_at", "outcome_notes", "certificates", "recorded_for_organisation_id",
    "created_at", "updated_at"]
EXCHANGE = obj(EXCHANGE_FIELDS, {
    "id": INTEGER,
    "participant": obj(["type", "account", "name_native", "name_latin"], {
        "type": enum(ParticipantType),
        "account": {"oneOf": [{"type": "null"}, obj(["id", "name"], {
            "id": INTEGER, "name": ref("Bilingual")})], "description": _l("The participant's account, if any")},
        "name_native": nullable("string"), "name_latin": nullable("string")}),
    "sending": END, "receiving": END,
    "direction": {**enum(Direction), "description": _l("Derived from the two countries")},
    "activity_type": enum(ActivityType), "cooperation_area": enum(CooperationArea),
    "course": {"oneOf": [{"type": "null"}, obj(["id", "title"], {"id": INTEGER, "title": ref("Bilingual")})]},
    "skill_areas": {"type": "array", "items": obj(["id", "code", "name"], {
        "id": INTEGER, "code": {"type": "string"}, "name": ref("Bilingual")})},
    "starts_on": DATE, "ends_on": DATE, "duration_days": {"type": "integer", "minimum": 1},
    "funding": {"oneOf": [{"type": "null"}, obj(["amount", "currency"], {
        "amount": {"type": "integer", "minimum": 0, "description": _l("In the currency's minor unit (cents; yen)")},
        "currency": enum(Currency)})]},
    "funding_source": nullable("string"), "green_travel": {"type": "boolean"},
    "status": enum(ExchangeStatus), "approval": enum(Approval),
    "rejection_reason": nullable("string"), "reviewed_at": nullable("string", format="date-time"),
    "outcome_notes": nullable("string"),
    "certificates": {"type": "array", "items": {"type": "string"}, "description": _l("Linked certificate ids")},
    "recorded_for_organisation_id": nullable("integer", description=_l("The provider that submitted it, if any")),
    "created_at": DATETIME, "updated_at": DATETIME})
APPROVAL_COUNTS = obj([a.value for a in Approval], {a.value: COUNT for a in Approval})
EXCHANGE_PAGE = obj(["items", "page", "page_size", "total", "approval_counts", "ignored"], {
    "items": {"type": "array", "items": ref("Exchange")}, "page": {"type": "integer", "minimum": 1},
    "page_size": INTEGER, "total": COUNT,
    "approval_counts": {**APPROVAL_COUNTS, "description": _l("The matching records by approval (they sum to total)")},
    "ignored": {"type": "array", "items": {"type": "string"},
                "description": _l("Filters whose values were not understood and were left out")}})
TEXT = {"type": "string"}
ID_VALUE = {"type": ["integer", "string"]}
EXCHANGE_INPUT = obj(["participant_type", "sending_org_id", "receiving_org_id", "activity_type",
                     "cooperation_area", "starts_on", "ends_on", "status"], {
    "participant_email": {**TEXT, "maxLength": 254,
                          "description": _l("The participant's account; else give name_native and/or name_latin")},
    "participant_name_native": {**TEXT, "maxLength": NAME_MAX},
    "participant_name_latin": {**TEXT, "maxLength": NAME_MAX},
    "participant_type": enum(ParticipantType),
    "sending_org_id": {**ID_VALUE, "description": _l("An organisation id")},
    "sending_country": {**TEXT, "description": _l("ISO 3166 code; empty or left out: the organisation's country")},
    "receiving_org_id": ID_VALUE, "receiving_country": TEXT,
    "activity_type": enum(ActivityType), "cooperation_area": enum(CooperationArea),
    "course": {**ID_VALUE, "description": _l("The number or exact title of a published course")},
    "skill_areas": {"type": "array", "items": {"type": "integer"},
                    "description": _l("Skill area ids (GET /api/v1/skill-areas)")},
    "starts_on": DATE, "ends_on": DATE,
    "funding_amount": {"type": ["string", "number"],
                       "description": _l("In the currency's major unit: euros with cents (1200.50) or whole yen")},
    "funding_currency": {"type": "string", "enum": ["", *[c.value for c in Currency]]},
    "funding_source": {**TEXT, "maxLength": SOURCE_MAX}, "green_travel": {"type": "boolean"},
    "status": enum(ExchangeStatus), "outcome_notes": {**TEXT, "maxLength": NOTES_MAX},
    "certifications": {"oneOf": [TEXT, {"type": "array", "items": TEXT}],
                       "description": _l("The participant's certificate ids: a list, or separated by spaces or "
                                      "commas")},
}, description=_l("The fields of the staff page's form; any other key is refused. null counts as left out."))
DECISION_INPUT = obj(["decision"], {
    "decision": {"type": "string", "enum": ["approve", "reject"]},
    "reason": {**TEXT, "maxLength": REASON_MAX, "description": _l("Required to reject; the submitter sees it")}})

# Report figures: one row shape per kind of figure.
BY_EXCHANGES = {"exchanges": COUNT, "participant_days": COUNT}
KEY = {"type": ["integer", "string"], "description": _l("A skill area code, or a provider or course id")}
ROWS = {
    "PeriodRow": obj(["year", "quarter", "direction", "direction_name", "exchanges", "participant_days"], {
        "year": INTEGER, "quarter": nullable("integer", minimum=1, maximum=4, description=_l("null by year")),
        "direction": enum(Direction), "direction_name": ref("Bilingual"), **BY_EXCHANGES}),
    "CategoryRow": obj(["key", "name", "exchanges", "participant_days"], {
        "key": {"type": "string", "description": _l("A skill area code, or a cooperation area")},
        "name": ref("Bilingual"), **BY_EXCHANGES}),
    "CountryPairRow": obj(["sending_country", "receiving_country", "sending_name", "receiving_name", "exchanges",
                           "participant_days"], {
        "sending_country": TEXT, "receiving_country": TEXT, "sending_name": ref("Bilingual"),
        "receiving_name": ref("Bilingual"), **BY_EXCHANGES}),
    "CertificateRow": obj(["key", "name", "issued", "active", "expiring_soon", "revoked"], {
        "key": KEY, "name": ref("Bilingual"), "issued": COUNT, "active": COUNT,
        "expiring_soon": {**COUNT, "description": _l("Active, expiring within 90 days")}, "revoked": COUNT}),
    "EnrolmentRow": obj(["key", "name", "enrolments", "seats_taken", "capacity", "fill_rate", "completed",
                         "not_completed", "completion_rate"], {
        "key": KEY, "name": ref("Bilingual"), "enrolments": COUNT,
        "seats_taken": {**COUNT, "description": _l("In scheduled sessions")},
        "capacity": {**COUNT, "description": _l("Of scheduled sessions")},
        "fill_rate": nullable("number", description=_l("Per cent; null without capacity")), "completed": COUNT,
        "not_completed": COUNT,
        "completion_rate": nullable("number", description=_l("Per cent; null without outcomes"))}),
    "LearnerRow": obj(["key", "name", "learners"], {
        "key": nullable("string", description=_l("A region (eu_eea, japan, other) or country code; null: unknown")),
        "name": ref("Bilingual"), "learners": COUNT}),
}
ROW_OF = {"period": "PeriodRow", "skills": "CategoryRow", "areas": "CategoryRow", "countries": "CountryPairRow",
          "certificates-skills": "CertificateRow", "certificates-providers": "CertificateRow",
          "enrolments-courses": "EnrolmentRow", "enrolments-providers": "EnrolmentRow",
          "enrolments-skills": "EnrolmentRow", "learners-regions": "LearnerRow", "learners-countries": "LearnerRow"}
assert set(ROW_OF) == set(FIGURES), "every report figure needs a row shape"
REPORT = obj(["computed_at", "period", "ignored", "figures"], {
    "computed_at": {**DATETIME, "description": _l("When the figures were computed (they are cached briefly)")},
    "period": {"type": "string", "enum": list(PERIODS)},
    "ignored": {"type": "array", "items": {"type": "string"},
                "description": _l("Filters (and period) whose values were not understood and were left out")},
    "figures": obj(list(FIGURES), {slug: obj(["title", "rows"], {
        "title": ref("Bilingual"), "rows": {"type": "array", "items": ref(ROW_OF[slug])}}) for slug in FIGURES})})

SCHEMAS = {"Exchange": EXCHANGE, "ExchangePage": EXCHANGE_PAGE, "ExchangeInput": EXCHANGE_INPUT,
           "ExchangeDecision": DECISION_INPUT, "ReportFigures": REPORT, **ROWS}


def _filters() -> list[dict]:
    many = lambda schema: {"type": "array", "items": schema}  # noqa: E731
    return [
        query("from", DATE, _l("Exchanges starting on or after this day")),
        query("to", DATE, _l("Exchanges starting on or before this day")),
        query("direction", many(enum(Direction))), query("approval", many(enum(Approval))),
        query("status", many(enum(ExchangeStatus))), query("area", many(enum(CooperationArea))),
        query("skill", many(TEXT), _l("Skill area codes")),
        query("country", many(TEXT), _l("ISO 3166 codes, at either end")),
        query("org", many(INTEGER), _l("Organisation ids, at either end")),
        query("activity", many(enum(ActivityType))),
    ]


def paths() -> dict:
    one = [path_param("id")]
    return {
        "/api/v1/exchanges": {
            "get": read(_l("Every talent exchange record"), ref("ExchangePage"), [*_filters(), PAGE_PARAM],
                        bad=True, scope="exchanges:read", description=_l(
                            "The staff list's filters, order (latest start first) and page size. A filter value "
                            "that is not understood is left out and named in ignored, as the HTML list does.")),
            "post": write(_l("Record a talent exchange"), ref("ExchangeInput"), ref("Exchange"),
                          scope="exchanges:write", status="201", not_found=False, description=_l(
                              "The staff page's form and rules: the record is approved at once and audited. "
                              "Refused fields are named in errors (code invalid).")),
        },
        "/api/v1/exchanges/{id}": {"get": read(
            _l("One talent exchange record"), ref("Exchange"), one, not_found=True, scope="exchanges:read",
            description=_l("Reading a record of a participant with an account is audited."))},
        "/api/v1/exchanges/{id}/decision": {"post": write(
            _l("Approve or reject a talent exchange record"), ref("ExchangeDecision"), ref("Exchange"), one,
            scope="exchanges:write", conflict=True, description=_l(
                "As on the record's staff page: rejecting needs a reason; approving an approved record or "
                "rejecting a rejected one is a 409 (code conflict)."))},
        "/api/v1/reports/figures": {"get": read(
            _l("The report figures"), ref("ReportFigures"),
            [*_filters(), query("period", {"type": "string", "enum": list(PERIODS)},
                                _l("Exchanges by year (default) or by quarter"))],
            bad=True, scope="reports:read", description=_l(
                "The staff reports page's figures with its filters, every row of each (the page shows the "
                "largest 15 of the long ones). Exchange figures count approved exchanges only."))},
    }
