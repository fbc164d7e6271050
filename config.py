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


def private_dir(path: Path) -> None:
    """A folder only the site's user can open (whatever the umask), made if missing."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)


def private_file(path: Path, create: bool = True) -> None:
    """A file only the site's user can read (made empty if missing, so it never exists with looser rights)."""
    if create and not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    if path.exists():
        path.chmod(0o600)


def secure_instance(database_uri: str, outbox: str | None) -> None:
    """instance/ 0700; the SQLite database under it (and its -wal/-shm) and the mail outbox private too."""
    private_dir(INSTANCE)
    if database_uri.startswith("sqlite:///") and ":memory:" not in database_uri:
        db_file = Path(database_uri[len("sqlite:///"):].partition("?")[0])
        if db_file.resolve().parent == INSTANCE.resolve():
            private_file(db_file)
            for suffix in ("-wal", "-shm", "-journal"):
                private_file(db_file.with_name(db_file.name + suffix), create=False)
    if outbox and Path(outbox).resolve().parent == INSTANCE.resolve():
        private_dir(Path(outbox))


def _wordlike_share(key: str) -> float:
    """How much of `key` reads like words (pronounceable runs of 4+ letters, CamelCase split)."""
    covered = 0
    for word in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])", key):
        low = word.lower()
        vowels = sum(ch in "aeiouy" for ch in low) / len(low)
        if len(low) >= 4 and 0.25 <= vowels <= 0.65 and not re.search(r"[^aeiouy]{4,}", low):
            covered += len(word)
    return covered / len(key)


def secret_key_problem(key) -> str | None:
    """Why `key` is not a fit SECRET_KEY for production (None when it is): default, short, few distinct
    characters, a low estimated strength (zxcvbn: dictionaries, repeats, sequences), or words."""
    if not key or key == DEFAULT_SECRET_KEY:
        return "is not set (or is the default)"
    if len(key) < 32:
        return "is shorter than 32 characters"
    if len(set(key)) < 10:
        return "uses fewer than 10 different characters"
    from zxcvbn import zxcvbn

    sample = key[:128]
    guesses_log10 = zxcvbn(sample)["guesses_log10"]
    if guesses_log10 < 24:  # ~80 bits: repeated patterns, sequences, keyboard walks, leetspeak words
        return "is easy to guess (repeats, sequences or common words)"
    if _wordlike_share(sample) >= 0.5 and guesses_log10 / len(sample) < 0.93:
        return "reads like words or a phrase"
    return None


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
    # The public address for absolute links. Unset (outside production): each request's own host and port,
    # and for `flask` commands the address `make run` writes to SITE_URL_FILE (app/siteurl.py).
    SITE_URL = os.environ.get("SITE_URL", "").strip().rstrip("/")
    SITE_URL_FROM_REQUEST = True
    SITE_URL_FILE = str(INSTANCE / "site-url")
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
    # Failed sign-ins allowed, across all processes: per account and per account from one client address
    # in SIGNIN_WINDOW_SECONDS; per client address (many people behind one NAT) in the longer window.
    SIGNIN_LIMIT_PER_ACCOUNT = 5
    SIGNIN_WINDOW_SECONDS = 15 * 60
    SIGNIN_LIMIT_PER_ADDRESS = 100
    SIGNIN_ADDRESS_WINDOW_SECONDS = 3600
    # How many reverse proxies in front of the app set X-Forwarded-For (and -Proto). 0 (the default): the
    # header is ignored and the client address is the connection's; behind one proxy (nginx), set 1. The
    # rate limits count per client address, so without it everyone shares the proxy's address.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES") or 0)
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
        secure_instance(self.SQLALCHEMY_DATABASE_URI, None if self.MAIL_SERVER else self.MAIL_OUTBOX)
        if self.SECRET_KEY == DEFAULT_SECRET_KEY:
            key_file = INSTANCE / "secret_key"
            if not key_file.exists():
                fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "w") as f:
                    f.write(secrets.token_urlsafe(48))
            private_file(key_file)
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
    SITE_URL_FILE = None
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
    # Links always start with SITE_URL (required below): a forged Host header must not reach a reset mail.
    SITE_URL_FROM_REQUEST = False
    # Strict-Transport-Security: browsers use HTTPS only for this long (app/security.py).
    HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS") or 365 * 24 * 3600)

    def __init__(self) -> None:
        problem = secret_key_problem(self.SECRET_KEY)
        if problem:
            raise RuntimeError(
                f"ProductionConfig needs SECRET_KEY set to a random value of at least 32 characters; this one "
                f"{problem}. Make one with: python -c 'import secrets; print(secrets.token_urlsafe(48))'"
            )
        if not os.environ.get("SITE_URL"):
            raise RuntimeError("ProductionConfig needs SITE_URL (the site's public address).")
        secure_instance(self.SQLALCHEMY_DATABASE_URI, None if self.MAIL_SERVER else self.MAIL_OUTBOX)
