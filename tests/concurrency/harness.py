"""A committed database of its own, the app under gunicorn with several workers, and learners firing at once.

The database is never the suite's: on SQLite a temporary file, on PostgreSQL (TEST_DATABASE_URL) a database
`<name>_conc` created from template0 and dropped at the end. Both are built by the real migrations.
"""
from __future__ import annotations

import email
import email.policy
import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import flask_migrate
import sqlalchemy as sa
from itsdangerous import URLSafeTimedSerializer

from config import ROOT, database_url

CONFIG = "tests.concurrency.config.ConcurrencyConfig"
MIGRATIONS = str(ROOT / "migrations")
CROWD = 100  # learners enrolling at once in a session of 10 seats


# -- the database ---------------------------------------------------------------------------------------

def create_database(tmp: Path) -> str:
    """A fresh, empty database; returns its SQLAlchemy URL."""
    suite = os.environ.get("TEST_DATABASE_URL")
    if not suite:
        return f"sqlite:///{tmp / 'concurrency.sqlite'}"
    url = sa.engine.make_url(database_url(suite, ""))
    name = f"{url.database}_conc"
    with _admin(url) as conn:
        quoted = conn.dialect.identifier_preparer.quote(name)
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")  # a crashed run's leftover
        conn.exec_driver_sql(f"CREATE DATABASE {quoted} TEMPLATE template0 ENCODING 'UTF8' "
                             "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'")
    return url.set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return
    suite = sa.engine.make_url(database_url(os.environ["TEST_DATABASE_URL"], ""))
    with _admin(suite) as conn:
        quoted = conn.dialect.identifier_preparer.quote(parsed.database)
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")


class _admin:
    """An autocommit connection to the suite's database (CREATE/DROP DATABASE refuse a transaction)."""

    def __init__(self, url) -> None:
        self.engine = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)

    def __enter__(self):
        self.conn = self.engine.connect()
        return self.conn

    def __exit__(self, *exc) -> None:
        self.conn.close()
        self.engine.dispose()


@dataclass
class Learner:
    id: int
    email: str
    token: str  # the server-side session token the cookie carries
    csrf: str = ""  # the raw CSRF token kept in the cookie


@dataclass
class Seed:
    course_id: int
    session_id: int  # capacity 10, for the crowd
    solo_session_id: int  # capacity 10, for one learner pressing many times
    learners: list[Learner]
    solo: Learner


def migrate_and_seed(app, crowd: int) -> Seed:
    """The real migrations, then one published course with two 10-seat sessions and crowd + 1 learners,
    each active, with a live consent to share their details with providers and a signed-in session."""
    from app.accounts.models import Consent, ConsentKind, UserSession
    from app.accounts.sessions import token_hash
    from app.legal import CONSENT_VERSION
    from app.platform.extensions import db
    from tests.factories import make_course, make_provider, make_session, make_user

    with app.app_context():
        flask_migrate.upgrade(directory=MIGRATIONS)
        course = make_course(make_provider(), sessions=[make_session(capacity=10, days_ahead=30),
                                                        make_session(capacity=10, days_ahead=40)])
        learners = []
        for _ in range(crowd + 1):
            user = make_user()
            token = secrets.token_urlsafe(32)
            db.session.add_all([
                Consent(user_id=user.id, kind=ConsentKind.SHARE_WITH_PROVIDERS, version=CONSENT_VERSION),
                UserSession(token_hash=token_hash(token), user_id=user.id),
            ])
            learners.append(Learner(user.id, user.email, token))
        first, second = sorted(course.sessions, key=lambda s: s.starts_at)
        seed = Seed(course.id, first.id, second.id, learners[:-1], learners[-1])
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return seed


# -- cookies and tokens, made as the app makes them -----------------------------------------------------

class Browser:
    """Session cookies and CSRF form tokens signed with the app's own serializers."""

    def __init__(self, app) -> None:
        self.cookies = app.session_interface.get_signing_serializer(app)
        self.cookie_name = app.config["SESSION_COOKIE_NAME"]
        self.forms = URLSafeTimedSerializer(app.config.get("WTF_CSRF_SECRET_KEY") or app.secret_key,
                                            salt="wtf-csrf-token")

    def cookie(self, learner: Learner) -> str:
        if not learner.csrf:
            learner.csrf = secrets.token_hex(20)
        value = self.cookies.dumps({"_user_id": learner.token, "_fresh": True, "csrf_token": learner.csrf})
        return f"{self.cookie_name}={value}"

    def form(self, learner: Learner, **fields) -> dict:
        self.cookie(learner)  # makes the raw token when there is none yet
        return {"csrf_token": self.forms.dumps(learner.csrf), **fields}

    def flashes(self, reply: Reply) -> list[tuple[str, str]]:
        """The messages a reply flashed (they travel in its session cookie)."""
        if not reply.cookie:
            return []
        data = self.cookies.loads(reply.cookie)
        return [tuple(item) for item in data.get("_flashes", [])]


# -- the server -----------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn with `workers` processes on a free loopback port, logging to `log_path`."""

    def __init__(self, database: str, outbox: Path, log_path: Path, workers: int = 4,
                 wsgi: str = "wsgi:app") -> None:
        self.database, self.outbox, self.log_path, self.workers = database, outbox, log_path, workers
        self.wsgi = wsgi
        self.port = 0
        self.proc: subprocess.Popen | None = None

    def env(self) -> dict[str, str]:
        env = dict(os.environ, APP_CONFIG=CONFIG, CONC_DATABASE_URL=self.database,
                   CONC_MAIL_OUTBOX=str(self.outbox), PYTHONDONTWRITEBYTECODE="1")
        if self.database.startswith("sqlite"):
            env.pop("REDIS_URL", None)  # Redis is passed through for PostgreSQL runs only
        return env

    def start(self, timeout: float = 30.0) -> None:
        self.port = free_port()
        command = [sys.executable, "-m", "gunicorn", "--workers", str(self.workers),
                   "--bind", f"127.0.0.1:{self.port}", "--no-control-socket", "--graceful-timeout", "5",
                   self.wsgi]
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(command, cwd=ROOT, env=self.env(), stdin=subprocess.DEVNULL,
                                         stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.proc.returncode}:\n{self.log()}")
            if self.get("/healthz")[0] == 200 and self.all_workers_up():
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer /healthz within {timeout:.0f} s:\n{self.log()}")

    def all_workers_up(self) -> bool:
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        try:
            return len(children.read_text().split()) >= self.workers
        except OSError:  # no /proc: /healthz answering is enough
            return True

    def get(self, path: str, cookie: str | None = None) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
            response = conn.getresponse()
            return response.status, response.read()
        except OSError:
            return 0, b""
        finally:
            conn.close()

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-20000:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)  # only the master we started; it stops its own workers
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


# -- many requests at once ------------------------------------------------------------------------------

@dataclass
class Reply:
    status: int = 0
    location: str | None = None
    cookie: str | None = None  # the new session cookie's value, when the reply set one
    error: str | None = None  # a connection error or timeout
    seconds: float = 0.0


def post(port: int, path: str, cookie: str, fields: dict, barrier: threading.Barrier | None = None) -> Reply:
    """One POST, connected before the barrier and sent the moment every thread has reached it."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    reply = Reply()
    try:
        conn.connect()
        if barrier is not None:
            barrier.wait(timeout=60)
        started = time.monotonic()
        conn.request("POST", path, body=urlencode(fields), headers={
            "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
        response = conn.getresponse()
        response.read()
        reply.seconds = time.monotonic() - started
        reply.status, reply.location = response.status, response.getheader("Location")
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            if name.strip() == cookie.partition("=")[0]:
                reply.cookie = rest.partition(";")[0]
    except (OSError, http.client.HTTPException, threading.BrokenBarrierError) as error:
        reply.error = f"{type(error).__name__}: {error}"
    finally:
        conn.close()
    return reply


def all_at_once(port: int, requests: list[tuple[str, str, dict]]) -> list[Reply]:
    """Send every (path, cookie, fields) together: one thread each, all released by one barrier."""
    barrier = threading.Barrier(len(requests))
    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        futures = [pool.submit(post, port, path, cookie, fields, barrier) for path, cookie, fields in requests]
        return [future.result() for future in futures]


# -- what the workers wrote -----------------------------------------------------------------------------

@dataclass
class Mail:
    template: str
    to: str
    subject: str
    body: str = field(repr=False)


def outbox(folder: Path) -> list[Mail]:
    """Every .eml the workers saved (named <stamp>-<template>-<hex>.eml by app/platform/mail.py), oldest first."""
    mails = []
    for path in sorted(folder.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        template = path.stem.split("-", 1)[1].rsplit("-", 1)[0]
        body = message.get_body(("plain",))
        mails.append(Mail(template, str(message["To"]), str(message["Subject"]),
                          body.get_content() if body is not None else ""))
    return mails
