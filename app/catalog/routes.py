"""The public catalogue: search and filter courses, read one course."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for

from app.catalog import labels, queries, venues
from app.catalog.pagecache import cached_page
from app.catalog.params import LANGUAGE_CODES, PageNotFound, now_minute, parse_filters
from app.catalog.search_queries import cached_search_catalogue
from app.i18n.filters import current_lang, field_text
from app.i18n.reading import organisation_key
from app.platform.lookup import found
from app.platform.pagination import Page
from app.providers.queries import provider_names

bp = Blueprint("catalog", __name__, url_prefix="/<lang:lang_code>/courses")

PROVIDER_OPTIONS = 50


@bp.app_context_processor
def catalogue_labels():
    lang = current_lang()
    return {
        "label": labels.label,
        "label_options": labels.label_options,
        "level_options": labels.level_options,
        "language_options": lambda codes: labels.language_options(codes, lang),
        "country_options": lambda codes: labels.country_options(codes, lang),
        "venue": venue,
        "place": place,
        "org_place": lambda org: venues.organisation_place(org, current_lang()),
        "venue_address": lambda session: venues.venue_address(session, current_lang()),
        "venue_map_url": venues.map_url,
        "provider_options": lambda providers: [
            (p.id, field_text(p, "name")) for p in sorted(providers.values(), key=lambda p: organisation_key(p, lang))
        ],
    }


def venue(session) -> str:
    """Where a session takes place, in the reader's language: "Osaka, Japan" / "大阪(日本)"."""
    return venues.venue_place(session, current_lang())


def place(city: str | None, country: str | None) -> str:
    return venues.place(city, country, current_lang())


@bp.get("")
@cached_page
def index():
    skill_areas = queries.list_skill_areas()
    try:
        filters = parse_filters(request.args, {a.code for a in skill_areas}, LANGUAGE_CODES)
    except PageNotFound:
        abort(404)
    if any(not value for _name, value in request.args.items(multi=True)):
        # The filter form sends every field, empty or not: answer with the short, shareable address.
        return redirect(url_for("catalog.index", **filters.to_args()), code=302)
    now = now_minute()
    page_size = current_app.config["CATALOGUE_PAGE_SIZE"]
    result = cached_search_catalogue(
        filters, now, page_size, current_app.config["CATALOGUE_CACHE_SECONDS"]
    )
    page = Page(queries.load_courses(result.ids), filters.page, page_size, result.total)
    if filters.page > page.pages:
        abort(404)
    # The providers with most matches: a select of hundreds would outweigh the results themselves.
    provider_counts = result.facets.get("provider", {})
    top = sorted(provider_counts, key=lambda pid: (-provider_counts[pid], int(pid)))[:PROVIDER_OPTIONS]
    provider_ids = {int(pid) for pid in top}
    if filters.provider:
        provider_ids.add(filters.provider)
    return render_template(
        "catalog/index.html",
        filters=filters,
        result=result,
        page=page,
        next_by_course=queries.next_sessions(result.ids, now),
        skill_areas=skill_areas,
        providers=provider_names(provider_ids),
    )


@bp.get("/<int(max=2147483647):course_id>")  # ids are 32-bit: a larger one is a 404, not a 500
@cached_page
def detail(course_id: int):
    course = found(queries.get_published_course(course_id))
    upcoming = queries.upcoming_of(course, now_minute())
    past_or_cancelled = [s for s in course.sessions if s not in upcoming]
    return render_template(
        "catalog/detail.html", course=course, upcoming=upcoming, past=past_or_cancelled[::-1]
    )


@bp.app_template_global()
def cancellation_rule_text(course) -> str:
    """The course's cancellation rule in words, or "" when the provider stated none."""
    from app.catalog.cancellation import rule_of, rule_text

    rule = rule_of(course)
    return rule_text(rule) if rule is not None and not course.is_free else ""
