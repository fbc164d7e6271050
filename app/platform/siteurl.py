"""The site's public address, the start of every absolute link: mail, .ics files and feeds, share links,
QR codes, hreflang alternates, credential ids.

- SITE_URL set (production requires it): always that; the Host header is never read.
- Not set, outside production (SITE_URL_FROM_REQUEST): during a request, the address the request came to,
  so `make run PORT=5099` or gunicorn started by hand links to itself; outside a request (a `flask`
  command sending mail), the address `make run` recorded in SITE_URL_FILE, else DEFAULT_SITE_URL.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request

DEFAULT_SITE_URL = "http://127.0.0.1:5000"


def site_url() -> str:
    """The address without a trailing slash, e.g. "http://127.0.0.1:5099" or "https://example.org/sub"."""
    config = current_app.config
    configured = (config.get("SITE_URL") or "").strip()
    if configured:
        return configured.rstrip("/")
    if not config.get("SITE_URL_FROM_REQUEST"):
        raise RuntimeError("SITE_URL is not set, and this configuration does not take it from requests.")
    if has_request_context():
        return request.url_root.rstrip("/")
    return recorded_site_url(config.get("SITE_URL_FILE")) or DEFAULT_SITE_URL


def recorded_site_url(path: str | None) -> str | None:
    """The address `make run` wrote (one line, http(s)://host:port), or None when missing or unusable."""
    if not path:
        return None
    try:
        text = Path(path).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(text) > 300:
        return None
    return text.rstrip("/")


def site_host() -> str:
    """The host name alone (no port), for iCalendar UIDs."""
    return urlsplit(site_url()).hostname or "localhost"


def follows_request() -> bool:
    """Whether links on a page depend on the request's host (so a page cache must key on it)."""
    config = current_app.config
    return not (config.get("SITE_URL") or "").strip() and bool(config.get("SITE_URL_FROM_REQUEST"))
