"""Public read endpoints of the API (blueprint "api" at /api/v1), JSON only, GET only.

Each reuses its feature's queries: the courses list is the HTML catalogue's search (same filters, same
order, same page size). Reads carry an ETag (a hash of the body) and answer If-None-Match with 304; CORS
is open. Errors are problem+json (app/errors.py). A malformed page number is a 400 "bad_page" (the HTML
catalogue answers 404); a page past the end is an empty list with the total."""
from __future__ import annotations

import json

from flask import Blueprint, Response, abort, current_app, request
from flask_babel import lazy_gettext as _l

from app.api import serializers
from app.api.inputs import Refused
from app.api.openapi import document
from app.api.problems import problem
from app.catalog import directory_queries as directory
from app.catalog import queries as catalogue
from app.catalog.params import LANGUAGE_CODES, MAX_PAGE, PageNotFound, now_minute, parse_filters
from app.catalog.search_queries import cached_search_catalogue
from app.certifications import queries as certificates
from app.certifications.permissions import is_public
from app.i18n.countries import is_country
from app.platform.database import utcnow
from app.platform.lookup import found
from app.platform.pagination import count_rows, page_items
from app.providers import queries as providers

bp = Blueprint("api", __name__, url_prefix="/api/v1")

PROVIDER_PAGE_SIZE = 20
CACHE = "public, max-age=60"
BAD_PAGE = _l("The page must be a whole number from 1 to %(max)s.", max=MAX_PAGE)
BAD_COUNTRY = _l("The country must be a two-letter ISO 3166 code.")


class BadParameter(Exception):
    def __init__(self, code: str, detail) -> None:
        super().__init__(code)
        self.code, self.detail = code, detail


@bp.errorhandler(Refused)
def refused(error: Refused):
    return error.response


@bp.errorhandler(BadParameter)
def bad_parameter(error: BadParameter):
    return problem(400, error.code, error.detail)


@bp.after_request
def open_to_all(response: Response) -> Response:
    """CORS: any site may read; a token travels in the Authorization header, never in a cookie."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = (
        "ETag, Retry-After, RateLimit-Limit, RateLimit-Remaining, WWW-Authenticate")
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Headers"] = (
            "Authorization, Content-Type, If-None-Match, Accept-Language")
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, PATCH, OPTIONS"
        response.headers["Access-Control-Max-Age"] = "600"
    if "Authorization" in request.headers:
        response.vary.add("Authorization")
    return response


def reply(document, cache: str = CACHE, status: int = 200) -> Response:
    body = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    response = Response(body, status=status, content_type="application/json; charset=utf-8")
    response.headers["Cache-Control"] = cache
    if status != 200:
        return response
    response.add_etag()
    return response.make_conditional(request)


def page_number() -> int:
    raw = request.args.get("page", "1").strip() or "1"
    if not (len(raw) <= 6 and raw.isascii() and raw.isdigit() and 1 <= int(raw) <= MAX_PAGE):
        raise BadParameter("bad_page", BAD_PAGE)
    return int(raw)


@bp.get("/skill-areas")
def skill_areas():
    counts = catalogue.skill_area_counts()
    items = [serializers.skill_area(a, counts.get(a.id, 0)) for a in catalogue.list_skill_areas()]
    return reply({"items": items})


@bp.get("/providers")
def provider_list():
    page = page_number()
    country = request.args.get("country", "").strip().upper() or None
    if country and not is_country(country):
        raise BadParameter("bad_country", BAD_COUNTRY)
    stmt = directory.list_providers(country)
    total, rows = count_rows(stmt), page_items(stmt, page, PROVIDER_PAGE_SIZE)
    items = [serializers.provider(org, courses) for org, courses in rows]
    return reply({"items": items, "page": page, "page_size": PROVIDER_PAGE_SIZE, "total": total})


@bp.get("/providers/<int(max=2147483647):provider_id>")
def provider_detail(provider_id: int):
    org = found(providers.get_provider(provider_id))
    course_ids = directory.published_course_ids(org.id)
    return reply({**serializers.provider(org, len(course_ids)), "course_ids": course_ids})


@bp.get("/courses")
def course_list():
    skill_codes = {a.code for a in catalogue.list_skill_areas()}
    try:
        filters = parse_filters(request.args, skill_codes, LANGUAGE_CODES)
    except PageNotFound:
        raise BadParameter("bad_page", BAD_PAGE) from None
    now = now_minute()
    page_size = current_app.config["CATALOGUE_PAGE_SIZE"]
    result = cached_search_catalogue(
        filters, now, page_size, current_app.config["CATALOGUE_CACHE_SECONDS"]
    )
    nexts = catalogue.next_sessions(result.ids, now)
    items = [serializers.course(c, nexts.get(c.id)) for c in catalogue.load_courses(result.ids)]
    return reply({"items": items, "page": filters.page, "page_size": page_size, "total": result.total,
                  "ignored": list(filters.ignored)})


@bp.get("/courses/<int(max=2147483647):course_id>")
def course_detail(course_id: int):
    course = found(catalogue.get_published_course(course_id))
    return reply(serializers.course_detail(course, catalogue.upcoming_of(course, now_minute())))


@bp.get("/certificates/<public_id>")
def certificate(public_id: str):
    """A public certificate's verification facts; unknown, malformed and private ids get one same 404."""
    found = certificates.get_certificate(public_id)
    if found is None or not is_public(found):
        abort(404)
    # no-cache: turning the page off must take effect at once (the ETag still saves the body).
    return reply(serializers.certificate(found, utcnow()), cache="no-cache")


@bp.get("/openapi.json")
def openapi():
    return reply(document())


# The authenticated endpoints add their routes to this blueprint.
from app.api import learner, provider, staff  # noqa: E402,F401
