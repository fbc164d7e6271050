"""Rate limits of the API: per token when a live one is sent, else per client address.

Counted in Redis when REDIS_URL is set (else the rate_counter table), so every server process shares
them. Every answer says the limit and what is left; a refusal is a 429 problem with Retry-After."""
from __future__ import annotations

from flask import current_app, g, request

from app.api.auth import bearer, find_token
from app.api.problems import problem
from app.platform.ratelimit import hit

LIMITED_PREFIXES = ("/api/", "/.well-known/")


def init_app(app) -> None:
    """One limiter for every machine-readable endpoint: the API blueprint's and the Open Badges ones
    (credentials, their status, the issuer, the JWKS), registered on the app, not inside a blueprint."""
    app.before_request(check_rate)
    app.after_request(rate_headers)


def check_rate():
    """before_request of the app: counts requests under LIMITED_PREFIXES."""
    if not request.path.startswith(LIMITED_PREFIXES) or request.method == "OPTIONS":
        return None
    plain = bearer()
    token = find_token(plain) if plain else None
    if token is not None:
        g.api_token = token
        key, limit = f"api:token:{token.id}", current_app.config["API_TOKEN_RATE_LIMIT"]
    else:
        key, limit = f"api:addr:{(request.remote_addr or 'unknown')[:60]}", current_app.config["API_ADDRESS_RATE_LIMIT"]
    seconds = current_app.config["API_RATE_WINDOW_SECONDS"]
    verdict = hit(key, limit, seconds)  # counted in a short transaction of its own
    g.api_rate = (limit, max(0, limit - verdict.count))
    if not verdict.allowed:
        response = problem(429, "rate_limited")
        response.headers["Retry-After"] = str(verdict.retry_after)
        return response
    return None


def rate_headers(response):
    """after_request: the limit and what is left of it in this window."""
    if hasattr(g, "api_rate"):
        limit, left = g.api_rate
        response.headers["RateLimit-Limit"] = str(limit)
        response.headers["RateLimit-Remaining"] = str(left)
    return response
