"""The configuration of the gunicorn workers the concurrency tests start (APP_CONFIG=tests.concurrency.config.ConcurrencyConfig).

The database and the mail folder come from the environment the test gives the server, so that every worker
process, and the test itself, agree on them. CSRF is on, as in production: the test sends real tokens.
"""
from __future__ import annotations

import os

from config import TestConfig, database_url


class ConcurrencyConfig(TestConfig):
    TESTING = False  # errors are handled and logged as in production, not raised into gunicorn
    MIGRATIONS = False  # the test migrates the database before starting the server
    WTF_CSRF_ENABLED = True
    MAIL_SERVER = None
    MAIL_SUPPRESS_SEND = False  # each worker saves its mail as .eml files in MAIL_OUTBOX, for the test to read
    # A read followed by a write in one deferred SQLite transaction fails only when another worker wrote
    # in between; strict, it fails every time (app.platform.database.ReadThenWrite), so no burst passes by luck.
    SQLITE_STRICT_WRITES = True

    def __init__(self, database: str | None = None, outbox: str | None = None) -> None:
        self.SQLALCHEMY_DATABASE_URI = database_url(database or os.environ["CONC_DATABASE_URL"], "")
        self.MAIL_OUTBOX = outbox or os.environ["CONC_MAIL_OUTBOX"]
        # SQLite runs without Redis (caches in the database); PostgreSQL runs use it when CI sets it.
        self.REDIS_URL = os.environ.get("REDIS_URL") or None
