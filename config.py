"""Configuration classes. Pick one with APP_CONFIG (a dotted path); `make run` uses LocalConfig."""
from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent
INSTANCE = ROOT / "instance"
DEFAULT_SECRET_KEY = "dev-only-not-secret"


def database_url(url: str | None, fallback: str) -> str:
    """Accept the usual `postgres://` spellings and route them to psycopg 3."""
    if not url:
        return fallback
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
    # Earlier SECRET_KEYs (space or comma separated) still accepted while a change is rolled out: session
    # cookies (Flask) and sealed secrets read with them; `flask keys rotate` re-seals with SECRET_KEY.
    SECRET_KEY_FALLBACKS = [k for k in re.split(r"[\s,]+", os.environ.get("SECRET_KEY_FALLBACKS", "")) if k]
    SQLALCHEMY_DATABASE_URI = database_url(
        os.environ.get("DATABASE_URL"), f"sqlite:///{INSTANCE / 'btb.sqlite'}"
    )
    # Each filter combination compiles to its own statement (about 100 KiB cached): SQLAlchemy's default
    # cache of 500 grew a worker by ~40 MiB under the benchmark, 50 by ~8 MiB. 20 holds every statement a
    # page runs (the same hits on the benchmark's pages, 10 lost them), and rare combinations recompile.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "query_cache_size": 20}
    REDIS_URL = os.environ.get("REDIS_URL") or None
    SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:5000").rstrip("/")
    LANGUAGES = ("en", "ja")
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "translations")
    CATALOGUE_PAGE_SIZE = 20
    # Seconds a computed catalogue result (ids and filter counts) may be reused for the same
    # filters; any write to the catalogue bumps a version and so invalidates it at once.
    CATALOGUE_CACHE_SECONDS = 300
    # Seconds a rendered public page may be served again to anonymous readers (same invalidation).
    PAGE_CACHE_SECONDS = 120
    # Seconds the staff reports' figures may be reused for the same filters. Writes to what they count
    # make them current at once (app/reports/freshness.py) -- enrolments and profiles only with Redis;
    # without it those figures follow within this time. The page says when the figures were computed.
    REPORTS_CACHE_SECONDS = 60
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    # The exchange import's file cap (10,000 rows take ~3 MiB as CSV, less as XLSX); that one upload
    # route raises the request limit to this (plus the form's few bytes), every other route keeps 2 MiB.
    EXCHANGE_IMPORT_MAX_BYTES = 8 * 1024 * 1024
    # `flask db ...` needs Flask-Migrate; app servers do not, and skip loading Alembic.
    MIGRATIONS = os.environ.get("FLASK_RUN_FROM_CLI") == "true"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = 30 * 24 * 3600
    # Failed sign-ins allowed per account and per client address in each window, across all processes.
    SIGNIN_LIMIT_PER_ACCOUNT = 5
    SIGNIN_LIMIT_PER_ADDRESS = 30
    SIGNIN_WINDOW_SECONDS = 15 * 60
    # Registration attempts allowed per client address in an hour (a shared office counts as one address).
    REGISTER_LIMIT_PER_ADDRESS = 20
    # API requests allowed in each window, per personal token and per client address (without a token).
    API_TOKEN_RATE_LIMIT = 600
    API_ADDRESS_RATE_LIMIT = 120
    API_RATE_WINDOW_SECONDS = 60
    # Activation and reset links: how long they work.
    ACTIVATION_LINK_SECONDS = 7 * 24 * 3600
    # Invitations to join an organisation (app/providers/invitations.py).
    INVITATION_LINK_SECONDS = 7 * 24 * 3600
    RESET_LINK_SECONDS = 3600
    WTF_CSRF_TIME_LIMIT = None
    # werkzeug.security method for new password hashes (scrypt costs ~0.2 s by design).
    PASSWORD_HASH_METHOD = os.environ.get("PASSWORD_HASH_METHOD", "scrypt")
    # Mail: through SMTP when MAIL_SERVER is set, else saved as .eml files in MAIL_OUTBOX (see app/mail.py).
    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = int(os.environ.get("MAIL_PORT") or 587)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "true").lower() in ("1", "true", "yes")  # STARTTLS
    MAIL_USE_SSL = os.environ.get("MAIL_USE_SSL", "false").lower() in ("1", "true", "yes")  # port 465
    MAIL_TIMEOUT = 20
    MAIL_FROM = os.environ.get("MAIL_FROM", "no-reply@localhost")
    MAIL_OUTBOX = os.environ.get("MAIL_OUTBOX") or str(INSTANCE / "outbox")
    # Tests: keep messages in app.extensions["mail_outbox"] (a list) instead of sending or saving them.
    MAIL_SUPPRESS_SEND = False


class LocalConfig(Config):
    """`make run` and `flask ...` on a developer machine: a secret generated once into instance/."""

    def __init__(self) -> None:
        if self.SECRET_KEY == DEFAULT_SECRET_KEY:
            INSTANCE.mkdir(exist_ok=True)
            key_file = INSTANCE / "secret_key"
            if not key_file.exists():
                key_file.write_text(secrets.token_urlsafe(48))
                key_file.chmod(0o600)
            self.SECRET_KEY = key_file.read_text().strip()


class DevelopmentConfig(LocalConfig):
    DEBUG = True


class TestConfig(Config):
    TESTING = True
    MIGRATIONS = True
    SECRET_KEY = "test-secret-key"
    SQLALCHEMY_DATABASE_URI = database_url(
        os.environ.get("TEST_DATABASE_URL"), "sqlite:///:memory:"
    )
    REDIS_URL = os.environ.get("REDIS_URL") or None
    SITE_URL = "http://localhost"
    CATALOGUE_CACHE_SECONDS = 0
    PAGE_CACHE_SECONDS = 0
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1"
    MAIL_SERVER = None
    MAIL_SUPPRESS_SEND = True
    # Property tests send hundreds of API requests from one address; tests/api/test_rate_limits.py lowers it.
    API_ADDRESS_RATE_LIMIT = 100_000
    API_TOKEN_RATE_LIMIT = 100_000
    # Tests post forms without a token; tests/core/test_csrf.py turns it back on to prove every form has one.
    WTF_CSRF_ENABLED = False


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"

    def __init__(self) -> None:
        if not self.SECRET_KEY or self.SECRET_KEY == DEFAULT_SECRET_KEY or len(self.SECRET_KEY) < 32:
            raise RuntimeError(
                "ProductionConfig needs SECRET_KEY set to a random value of at least 32 characters."
            )
        if not os.environ.get("SITE_URL"):
            raise RuntimeError("ProductionConfig needs SITE_URL (the site's public address).")
