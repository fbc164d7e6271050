"""Whole public pages, cached across processes and validated by ETag.

A page is stored under its language, path and query string together with the catalogue version, so any
catalogue write makes every stored page stale at once; entries also expire after PAGE_CACHE_SECONDS.
Only anonymous GETs are served from here: pages for a signed-in user carry their name and CSRF tokens.
Cached templates must not use csp_nonce() (the nonce would be frozen into the stored page).
"""
from __future__ import annotations

import hashlib
from functools import wraps

from flask import current_app, request

from app.catalog.queries import catalogue_version
from app.platform import cache
from app.platform.siteurl import follows_request

SESSION_COOKIE_NAMES = ("session", "remember_token")


def _cacheable() -> bool:
    return (
        request.method == "GET"
        and current_app.config.get("PAGE_CACHE_SECONDS", 0) > 0
        and not any(name in request.cookies for name in SESSION_COOKIE_NAMES)
    )


def cached_page(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not _cacheable():
            return view(*args, **kwargs)
        # Without SITE_URL the page's absolute links name the request's host: one copy per host then.
        place = (request.host_url if follows_request() else "") + request.full_path
        digest = hashlib.sha256(place.encode("utf-8", "surrogateescape")).hexdigest()[:40]
        key = f"page:{catalogue_version()}:{digest}"
        body = cache.get_text(key)
        if body is None:
            response = current_app.make_response(view(*args, **kwargs))
            if response.status_code != 200:
                return response
            body = response.get_data(as_text=True)
            cache.set_text(key, body, current_app.config["PAGE_CACHE_SECONDS"])
        response = current_app.response_class(body, mimetype="text/html")
        response.set_etag(hashlib.sha256(body.encode("utf-8")).hexdigest()[:32])
        # Browsers keep the page but ask again each time; an unchanged page costs a 304.
        response.headers["Cache-Control"] = "no-cache"
        return response.make_conditional(request)

    return wrapper
