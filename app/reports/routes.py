"""Reports for association staff at /<lang>/staff/reports: figures with the exchange list's filters, each
table as CSV and XLSX, and the printable annual report."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.accounts.access import staff_required
from app.exchanges import queries as exchange_queries
from app.exchanges.filter_note import describe as describe_filters
from app.exchanges.filters import ExchangeFilters, parse_filters, to_args
from app.i18n.countries import country_choices
from app.i18n.filters import current_lang
from app.i18n.stamps import format_stamp
from app.i18n.zones import reader_zone
from app.platform.database import utcnow
from app.platform.tabular import csv_response, xlsx_response, xlsx_workbook_response
from app.reports import figures
from app.reports.queries import PERIODS

bp = Blueprint("reports", __name__, url_prefix="/<lang:lang_code>/staff/reports")
SLUGS = "any(" + ", ".join(f'"{slug}"' for slug in figures.FIGURES) + ")"
FIRST_YEAR, LAST_YEAR = 1990, 2100
# Sheet names for the annual workbook where a figure's title is longer than Excel's 31 characters.
SHEET_NAMES = {"period": _l("Exchanges by quarter"), "countries": _l("Exchanges by country pair")}


def _period() -> tuple[str, list[str]]:
    period = request.args.get("period", "year")
    if period in PERIODS:
        return period, []
    return "year", [_("The period “%(value)s” is not known; the figures are by year.", value=period[:20])]


def _build_all(filters: ExchangeFilters, period: str) -> tuple[list[figures.Figure], object]:
    rows, at = figures.raw_rows(figures.FIGURES, filters, period, page=True)
    lang = current_lang()
    return [figures.build(slug, rows[slug], lang) for slug in figures.FIGURES], at


@bp.get("")
@staff_required
def index():
    filters, notices = parse_filters(request.args)
    period, period_notices = _period()
    items, at = _build_all(filters, period)
    return render_template(
        "reports/index.html", figures=items, at=at, filters=filters, notices=[*notices, *period_notices],
        period=period, args=to_args(filters), organisations=exchange_queries.organisations(),
        skill_areas=exchange_queries.skill_areas(), countries=country_choices(current_lang()),
        this_year=utcnow().year)


@bp.get(f"/<{SLUGS}:figure>.<any(csv, xlsx):fmt>")
@staff_required
def export(figure: str, fmt: str):
    filters, _notices = parse_filters(request.args)
    period, _period_notices = _period()
    rows, at = figures.raw_rows([figure], filters, period, page=False)
    item = figures.build(figure, rows[figure], current_lang(), page=False)
    filename = f"{item.title}-{at.date().isoformat()}.{fmt}"
    if fmt == "csv":
        return csv_response(item.rows, item.headers, filename)
    counted = _("Only approved exchanges are counted, by their start date. Figures as of %(time)s.",
                time=format_stamp(at, current_lang(), reader_zone()))
    note = ("" if current_lang() == "ja" else " ").join([describe_filters(filters), counted])
    return xlsx_response(item.rows, item.headers, filename, sheet_title=item.title, note=note)


def _year() -> tuple[int, list[str]]:
    raw = (request.args.get("year") or "").strip()
    if raw.isascii() and raw.isdigit() and FIRST_YEAR <= int(raw) <= LAST_YEAR:
        return int(raw), []
    year = utcnow().year
    notices = [_("Choose a year between %(first)s and %(last)s; showing %(year)s.",
                 first=FIRST_YEAR, last=LAST_YEAR, year=year)] if raw else []
    return year, notices


def _annual_totals(items: list[figures.Figure]) -> dict[str, int]:
    by_slug = {item.slug: item for item in items}
    return {
        "exchanges": sum(row[2] for row in by_slug["period"].rows),
        "days": sum(row[3] for row in by_slug["period"].rows),
        "learners": sum(row[1] for row in by_slug["learners-regions"].rows),
    }


def _annual_filters(year: int) -> ExchangeFilters:
    return ExchangeFilters(date_from=date(year, 1, 1), date_to=date(year, 12, 31))


@bp.get("/annual")
@staff_required
def annual():
    year, notices = _year()
    filters = _annual_filters(year)
    items, at = _build_all(filters, "quarter")
    return render_template("reports/annual.html", figures=items, at=at, year=year, notices=notices,
                           totals=_annual_totals(items), args=to_args(filters))


@bp.get("/annual.xlsx")
@staff_required
def annual_xlsx():
    """The annual report as a workbook: a summary sheet, then one sheet per table with every row (the page
    shows the largest TOP of the long ones), from the same figure rows and builders as the page."""
    year, _notices = _year()
    rows, at = figures.raw_rows(figures.FIGURES, _annual_filters(year), "quarter", page=False)
    lang = current_lang()
    items = [figures.build(slug, rows[slug], lang, page=False) for slug in figures.FIGURES]
    totals = _annual_totals(items)
    summary = [[_("Year"), year], [_("Exchanges"), totals["exchanges"]], [_("Participant-days"), totals["days"]],
               [_("Learners"), totals["learners"]],
               [_("Only approved exchanges are counted, by their start date. Figures as of %(time)s.",
                  time=format_stamp(at, lang, reader_zone()))]]
    sheets = [(_("Summary"), [_("Annual report %(year)s", year=year)], summary)]
    sheets += [(_sheet_name(item), item.headers, item.rows) for item in items]
    note = describe_filters(_annual_filters(year))
    return xlsx_workbook_response(sheets, f"{_('Annual report %(year)s', year=year)}.xlsx",
                                  notes=[None] + [note] * len(items))


def _sheet_name(item: figures.Figure) -> str:
    short = SHEET_NAMES.get(item.slug)
    return str(short) if short is not None else item.title
