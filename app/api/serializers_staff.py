"""Plain dicts for the association staff endpoints: exchange records and the report figures.

Codes go out as stored; every name goes out in both languages ({"en": ..., "ja": ...}, null where missing),
labels of codes (directions, cooperation areas, regions, countries) in the words of the HTML pages."""
from __future__ import annotations

from datetime import datetime

from flask_babel import force_locale

from app.accounts.names import display_name
from app.api.serializers import when
from app.i18n import LANGUAGES
from app.i18n.fields import both
from app.reports import figures, labels

# Each figure's measures, in the order of its raw rows (app/reports/queries.py) after the category.
EXCHANGE_MEASURES = ("exchanges", "participant_days")
CERTIFICATE_MEASURES = ("issued", "active", "expiring_soon", "revoked")
ENROLMENT_MEASURES = ("enrolments", "seats_taken", "capacity", "completed", "not_completed")


def _in_both(label) -> dict:
    """`label(lang)` read in each language (for labels that are gettext strings or locale data)."""
    names = {}
    for lang in LANGUAGES:
        with force_locale(lang):
            names[lang] = str(label(lang)) or None
    return names


def _plain(value):
    return getattr(value, "value", value)


# Exchanges ---------------------------------------------------------------------------------------------

def _organisation(org, country: str) -> dict:
    return {"organisation": {"id": org.id, "name": both(org, "name")}, "country": country}


def participant(x) -> dict:
    """The account (named as its holder chose, as the HTML list shows it) and/or the typed names."""
    user = x.participant
    account = None if user is None else {"id": user.id, "name": _in_both(lambda lang: display_name(user, lang))}
    return {"type": _plain(x.participant_type), "account": account,
            "name_native": x.participant_name_native or None, "name_latin": x.participant_name_latin or None}


def exchange(x) -> dict:
    """One record, with its organisations, course, skill areas and certificates loaded eagerly by the caller."""
    funded = x.funding_amount is not None and x.funding_currency is not None
    return {
        "id": x.id, "participant": participant(x),
        "sending": _organisation(x.sending_org, x.sending_country),
        "receiving": _organisation(x.receiving_org, x.receiving_country),
        "direction": _plain(x.direction), "activity_type": _plain(x.activity_type),
        "cooperation_area": _plain(x.cooperation_area),
        "course": None if x.course is None else {"id": x.course.id, "title": both(x.course, "title")},
        "skill_areas": [{"id": a.id, "code": a.code, "name": both(a, "name")} for a in x.skill_areas],
        "starts_on": x.starts_on.isoformat(), "ends_on": x.ends_on.isoformat(), "duration_days": x.duration_days,
        "funding": {"amount": x.funding_amount, "currency": _plain(x.funding_currency)} if funded else None,
        "funding_source": x.funding_source or None, "green_travel": bool(x.green_travel),
        "status": _plain(x.status), "approval": _plain(x.approval),
        "rejection_reason": x.rejection_reason or None, "reviewed_at": when(x.reviewed_at),
        "outcome_notes": x.outcome_notes or None,
        "certificates": [c.public_id for c in x.certifications],
        "recorded_for_organisation_id": x.recorded_for_org_id,
        "created_at": when(x.created_at), "updated_at": when(x.updated_at),
    }


# Report figures ----------------------------------------------------------------------------------------

def _names(name_en, name_ja) -> dict:
    return {"en": name_en or None, "ja": name_ja or None}


def _counts(names: tuple[str, ...], values) -> dict:
    return dict(zip(names, values))


def _rows(slug: str, raw: list[list]) -> list[dict]:
    kind = figures.FIGURES[slug][1]
    if slug == "period":
        return [{"year": y, "quarter": q, "direction": d,
                 "direction_name": _in_both(lambda _lang, d=d: labels.direction(d)),
                 **_counts(EXCHANGE_MEASURES, r)} for y, q, d, *r in raw]
    if slug == "skills":
        return [{"key": r[0], "name": _names(r[1], r[2]), **_counts(EXCHANGE_MEASURES, r[3:])} for r in raw]
    if slug == "areas":
        return [{"key": r[0], "name": _in_both(lambda _lang, a=r[0]: labels.area(a)),
                 **_counts(EXCHANGE_MEASURES, r[1:])} for r in raw]
    if slug == "countries":
        return [{"sending_country": s, "receiving_country": t,
                 "sending_name": _in_both(lambda lang, c=s: labels.country(c, lang)),
                 "receiving_name": _in_both(lambda lang, c=t: labels.country(c, lang)),
                 **_counts(EXCHANGE_MEASURES, r)} for s, t, *r in raw]
    if kind == "certificates":
        return [{"key": r[0], "name": _names(r[1], r[2]), **_counts(CERTIFICATE_MEASURES, r[3:])} for r in raw]
    if kind == "enrolments":
        # The rates as the page works them out (its table's fill and completion rate columns).
        table = figures.build(slug, raw, "en", page=False).rows
        return [{"key": r[0], "name": _names(r[1], r[2]), **_counts(ENROLMENT_MEASURES, r[3:]),
                 "fill_rate": t[4], "completion_rate": t[7]} for r, t in zip(raw, table)]
    if slug == "learners-regions":
        return [{"key": r[0], "name": _in_both(lambda _lang, k=r[0]: labels.region(k)), "learners": r[1]}
                for r in raw]
    return [{"key": r[0], "name": _in_both(lambda lang, k=r[0]: labels.country(k, lang)), "learners": r[1]}
            for r in raw]


def report(rows: dict[str, list], at: datetime, period: str, ignored: list[str]) -> dict:
    return {
        "computed_at": when(at), "period": period, "ignored": ignored,
        "figures": {slug: {"title": _in_both(lambda _lang, s=slug: figures.FIGURES[s][0]),
                           "rows": _rows(slug, rows[slug])} for slug in figures.FIGURES},
    }
