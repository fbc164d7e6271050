"""Open data: iCalendar feeds of upcoming sessions (the site's, one provider's) and the catalogue export.

All public, cached for five minutes by anyone (Cache-Control public), answered 304 when the ETag (a hash
of the body) has not changed, and readable from other sites (CORS *).
"""
from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, Response, abort, jsonify, request
from flask_babel import gettext as _

from app.catalog.venues import venue_place
from app.i18n import LANGUAGES, use_language
from app.i18n.fields import pick
from app.i18n.filters import current_lang
from app.opendata import catalogue, queries
from app.opendata.feeds import Event, feed_calendar, latest
from app.platform.mail import external_url
from app.platform.siteurl import site_host
from app.platform.tabular import CSV_MIMETYPE, content_disposition, csv_bytes

bp = Blueprint("opendata", __name__)
ICS_MIMETYPE = "text/calendar; charset=utf-8"


@bp.get("/sessions.ics")
def site_feed():
    lang = request.args.get("lang")
    use_language(lang if lang in LANGUAGES else "en")
    sessions = queries.feed_sessions(_now())
    return _ics(sessions, _("Battery Talent Bridge: upcoming sessions"))


@bp.get("/<lang:lang_code>/providers/<int(max=2147483647):provider_id>/sessions.ics")
def provider_feed(provider_id: int):
    provider = queries.get_training_provider(provider_id)
    if provider is None:
        abort(404)
    sessions = queries.feed_sessions(_now(), provider_id=provider.id)
    name = pick(provider, "name", current_lang())[0] or ""
    return _ics(sessions, _("%(provider)s: upcoming sessions", provider=name))


@bp.get("/api/v1/exports/catalogue.json")
def catalogue_json():
    response = jsonify(catalogue.json_document(_now()))
    return _public(response)


@bp.get("/api/v1/exports/catalogue.csv")
def catalogue_csv():
    body = csv_bytes(catalogue.csv_rows(_now()), catalogue.CSV_HEADERS)
    response = Response(body, content_type=CSV_MIMETYPE)
    response.headers["Content-Disposition"] = content_disposition("catalogue.csv")
    return _public(response)


def _now() -> datetime:
    return datetime.now(UTC)


def _ics(sessions, name: str) -> Response:
    lang, host = current_lang(), site_host()
    events = [
        Event(uid=f"session-{s.id}@{host}", starts_at=s.starts_at, ends_at=s.ends_at, tzid=s.timezone,
              summary=pick(s.course, "title", lang)[0] or "", location=_place(s, lang),
              url=external_url("catalog.detail", lang, course_id=s.course_id),
              stamp=latest(s.course.updated_at, s.created_at),
              description=_("Offered by %(provider)s", provider=pick(s.course.provider, "name", lang)[0] or ""),
              days=s.spans)
        for s in sessions
    ]
    return _public(Response(feed_calendar(events, name=name), content_type=ICS_MIMETYPE))


def _place(session, lang: str) -> str:
    return venue_place(session, lang)


def _public(response: Response) -> Response:
    response.headers["Cache-Control"] = "public, max-age=300"
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.add_etag()
    return response.make_conditional(request)
