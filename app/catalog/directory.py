"""The provider directory and provider profiles: public pages of the catalogue, cached with it (the
blueprint keeps its name, providers, and its addresses)."""
from __future__ import annotations

from flask import Blueprint, render_template, request

from app.catalog import directory_queries
from app.catalog import queries as catalog_queries
from app.catalog.pagecache import cached_page
from app.catalog.params import now_minute
from app.i18n.countries import is_country
from app.platform.lookup import found
from app.platform.pagination import page_number, paginate_rows
from app.providers import queries

bp = Blueprint("providers", __name__, url_prefix="/<lang:lang_code>/providers")
PAGE_SIZE = 24


@bp.get("")
@cached_page
def index():
    country = request.args.get("country", "").strip().upper() or None
    if country and not is_country(country):
        country = None
    page = paginate_rows(directory_queries.list_providers(country), page_number(request.args.get("page")), PAGE_SIZE)
    return render_template(
        "providers/index.html", page=page, countries=queries.provider_countries(), country=country
    )


@bp.get("/<int(max=2147483647):provider_id>")  # ids are 32-bit: a larger one is a 404, not a 500
@cached_page
def detail(provider_id: int):
    provider = found(queries.get_provider(provider_id))
    ids = directory_queries.published_course_ids(provider_id)
    now = now_minute()
    return render_template(
        "providers/detail.html",
        provider=provider,
        courses=catalog_queries.load_courses(ids),
        next_by_course=catalog_queries.next_sessions(ids, now),
    )
