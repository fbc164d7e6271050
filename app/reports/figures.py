"""The report's figures: each one's rows (one SQL aggregation, cached for a short while), its table in the
reader's language and its chart.

A figure's raw rows hold codes, ids and both languages' names, so one cached copy serves both languages.
They are cached in app.platform.cache for REPORTS_CACHE_SECONDS (0: off), keyed by the figure, the filters, the
period and the reports version that committed writes to exchanges, certificates and courses change
(freshness.py); enrolment figures follow within that time. The page says when the figures were computed.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.exchanges.filters import ExchangeFilters, to_args
from app.platform import cache
from app.platform.database import utcnow
from app.reports import freshness, labels, queries
from app.reports.charts import Chart

TOP = 15  # rows on the page for the long tables (country pairs, courses, providers, countries); files have all


@dataclass
class Figure:
    slug: str
    title: str
    headers: list[str]
    rows: list[list]
    charts: list[Chart] = field(default_factory=list)
    percent_columns: tuple[int, ...] = ()
    text_columns: tuple[int, ...] = (0,)  # the others hold numbers
    top: int | None = None  # the page shows only the first `top` rows


# slug -> (title, what it is: "exchanges" | "certificates" | "enrolments" | "learners")
FIGURES = {
    "period": (_l("Exchanges and participant-days by direction and period"), "exchanges"),
    "skills": (_l("Exchanges by skill area"), "exchanges"),
    "countries": (_l("Exchanges by country pair (sending → receiving)"), "exchanges"),
    "areas": (_l("Exchanges by cooperation area"), "exchanges"),
    "certificates-skills": (_l("Certificates by skill area"), "certificates"),
    "certificates-providers": (_l("Certificates by provider"), "certificates"),
    "enrolments-courses": (_l("Enrolments by course"), "enrolments"),
    "enrolments-providers": (_l("Enrolments by provider"), "enrolments"),
    "enrolments-skills": (_l("Enrolments by skill area"), "enrolments"),
    "learners-regions": (_l("Learners by region"), "learners"),
    "learners-countries": (_l("Learners by country"), "learners"),
}
DIMENSIONS = {"certificates-skills": "skill", "certificates-providers": "provider", "enrolments-courses": "course",
              "enrolments-providers": "provider", "enrolments-skills": "skill", "learners-regions": "region",
              "learners-countries": "country"}
LONG = {"countries", "certificates-providers", "enrolments-courses", "enrolments-providers", "learners-countries"}


def _raw(slug: str, filters: ExchangeFilters, period: str, limit: int | None) -> list[list]:
    if slug == "period":
        return queries.exchanges_by_period(filters, period)
    if slug == "skills":
        return queries.exchanges_by_skill(filters)
    if slug == "countries":
        return queries.exchanges_by_country_pair(filters, limit)
    if slug == "areas":
        return queries.exchanges_by_area(filters)
    kind, dimension = FIGURES[slug][1], DIMENSIONS[slug]
    if kind == "certificates":
        return queries.certificates_by(dimension, filters, utcnow(), limit)
    if kind == "enrolments":
        return queries.enrolments_by(dimension, filters, limit)
    return queries.learners_by(dimension, filters, limit)


def _key(prefix: str, filters: ExchangeFilters, period: str, extra: str = "") -> str:
    payload = json.dumps([to_args(filters), period, extra], sort_keys=True, default=str)
    return f"reports:{prefix}:{hashlib.sha256(payload.encode()).hexdigest()[:40]}"


def raw_rows(slugs, filters: ExchangeFilters, period: str, *, page: bool) -> tuple[dict[str, list], datetime]:
    """Each figure's rows (the first TOP of the long ones on the page, all of them for a file) and when they
    were computed: one cache read for the lot, and on a miss one statement per table."""
    slugs = list(slugs)
    seconds = current_app.config.get("REPORTS_CACHE_SECONDS", 60)
    version = ",".join(slugs) + ":" + freshness.version()
    key = _key("page" if page else "file", filters, period, version) if seconds > 0 else ""
    if seconds > 0:
        hit = cache.get_json(key)
        if hit is not None:
            return hit["rows"], datetime.fromisoformat(hit["at"])
    at = utcnow()
    rows = {slug: _raw(slug, filters, period, TOP if page and slug in LONG else None) for slug in slugs}
    if seconds > 0:
        cache.set_json(key, {"rows": rows, "at": at.isoformat()}, seconds)
    return rows, at


def _rate(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _period_label(year: int, quarter: int | None) -> str:
    return _("%(year)s Q%(quarter)s", year=year, quarter=quarter) if quarter else str(year)


def build(slug: str, raw: list[list], lang: str, page: bool = True) -> Figure:
    title = str(FIGURES[slug][0])
    exchanges, days = _("Exchanges"), _("Participant-days")
    if slug == "period":
        return _period(raw, title, exchanges, days)
    if slug in ("skills", "areas", "countries"):
        if slug == "skills":
            head, names = _("Skill area"), [labels.named(r[1], r[2], lang) for r in raw]
            counts = [r[3:] for r in raw]
        elif slug == "areas":
            head, names, counts = _("Cooperation area"), [labels.area(r[0]) for r in raw], [r[1:] for r in raw]
        else:
            head = _("Country pair")
            names = [f"{labels.country(r[0], lang)} → {labels.country(r[1], lang)}" for r in raw]
            counts = [r[2:] for r in raw]
        rows = [[name, *c] for name, c in zip(names, counts)]
        chart = _chart(slug, title, head, names, [(exchanges, [c[0] for c in counts])], exchanges)
        return Figure(slug, title, [head, exchanges, days], rows, [chart], top=TOP if slug in LONG else None)
    kind = FIGURES[slug][1]
    if kind == "certificates":
        head = _("Skill area") if slug.endswith("skills") else _("Provider")
        names = [labels.named(r[1], r[2], lang) for r in raw]
        measures = [_("Issued"), _("Active"), _("Expiring within 90 days"), _("Revoked")]
        rows = [[name, *r[3:]] for name, r in zip(names, raw)]
        series = [(m, [r[3 + i] for r in raw]) for i, m in enumerate(measures)]
        chart = _chart(slug, title, head, names, series, _("Certificates"))
        return Figure(slug, title, [head, *measures], rows, [chart], top=TOP if slug in LONG else None)
    if kind == "enrolments":
        head = {"enrolments-courses": _("Course"), "enrolments-providers": _("Provider")}.get(slug, _("Skill area"))
        names = [labels.named(r[1], r[2], lang) for r in raw]
        rows = [[name, r[3], r[4], r[5], _rate(r[4], r[5]), r[6], r[7], _rate(r[6], r[6] + r[7])]
                for name, r in zip(names, raw)]
        headers = [head, _("Enrolments"), _("Seats taken (scheduled sessions)"), _("Capacity (scheduled sessions)"),
                   _("Fill rate (%)"), _("Completed"), _("Not completed"), _("Completion rate (%)")]
        series = [(_("Fill rate (%)"), [r[4] for r in rows]), (_("Completion rate (%)"), [r[7] for r in rows])]
        chart = _chart(slug, title, head, names, series, _("Per cent"), percent=True)
        return Figure(slug, title, headers, rows, [chart], percent_columns=(4, 7),
                      top=TOP if slug in LONG else None)
    head = _("Region") if slug == "learners-regions" else _("Country")
    names = [labels.region(r[0]) if slug == "learners-regions" else labels.country(r[0], lang) for r in raw]
    rows = [[name, r[1]] for name, r in zip(names, raw)]
    chart = _chart(slug, title, head, names, [(_("Learners"), [r[1] for r in raw])], _("Learners"))
    return Figure(slug, title, [head, _("Learners")], rows, [chart], top=TOP if slug in LONG else None)


def _period(raw: list[list], title: str, exchanges: str, days: str) -> Figure:
    periods = list(dict.fromkeys(_period_label(r[0], r[1]) for r in raw))
    present = [d for d in labels.DIRECTION_ORDER if any(r[2] == d for r in raw)]
    cells = {(_period_label(r[0], r[1]), r[2]): r for r in raw}

    def series(column: int):
        return [(labels.direction(d), [cells.get((p, d), [0] * 5)[column] for p in periods]) for d in present]

    head = _("Period")
    rows = [[_period_label(r[0], r[1]), labels.direction(r[2]), r[3], r[4]] for r in raw]
    charts = [_chart("period-exchanges", _("Exchanges by direction and period"), head, periods, series(3),
                     exchanges, stacked=True),
              _chart("period-days", _("Participant-days by direction and period"), head, periods, series(4),
                     days, stacked=True)]
    return Figure("period", title, [head, _("Direction"), exchanges, days], rows, charts, text_columns=(0, 1))


def _chart(chart_id: str, title: str, category_axis: str, names: list[str], series, value_axis: str,
           stacked: bool = False, percent: bool = False) -> Chart:
    if names:
        totals = [sum(vals[i] or 0 for _n, vals in series) for i in range(len(names))]
        best = max(range(len(names)), key=lambda i: totals[i])
        values = dict(measure=value_axis, dimension=category_axis, n=len(names), name=names[best])
        if stacked:
            desc = _("Stacked bar chart: %(measure)s by %(dimension)s, %(n)s bars; the longest is %(name)s. "
                     "The table below the chart gives every number.", **values)
        else:
            desc = _("Bar chart: %(measure)s by %(dimension)s, %(n)s rows; the largest is %(name)s. "
                     "The table below the chart gives every number.", **values)
    else:
        desc = _("No figures for these filters.")
    return Chart(id=f"chart-{chart_id}", title=title, desc=desc, categories=names, series=list(series),
                 value_axis=value_axis, category_axis=category_axis, stacked=stacked, percent=percent,
                 empty_text=_("No figures for these filters."))
