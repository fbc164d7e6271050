"""Browser fixtures: the real app with the demo data on a live port, and one Chromium per run.

The live server always uses its own SQLite file (never TEST_DATABASE_URL): the browser tests are about
pages and behaviour, and a committed file database is what a separate server thread can read.

No Chromium (or no Playwright package) means the browser tests skip with the reason, unless
REQUIRE_BROWSER=1 (set by `.ci/run`), which turns that skip into a failure.
"""
from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import flask_migrate
import pytest

from app import create_app
from app.platform.extensions import db
from config import TestConfig

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MIGRATIONS = str(Path(__file__).resolve().parents[2] / "migrations")
SHOTS = Path(os.environ.get("E2E_SHOTS", "/tmp/e2e-shots"))


def _skip_or_fail(reason: str):
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (REQUIRE_BROWSER=1, so this is a failure, not a skip)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def live_server(live):
    """Base URL (no trailing slash) of the app with migrations and demo data, served from a thread."""
    return live[0]


@pytest.fixture(scope="session")
def live_app(live):
    """The application behind live_server (its in-memory outbox holds the mail it sent)."""
    return live[1]


@pytest.fixture(scope="session")
def live(tmp_path_factory):
    from werkzeug.serving import WSGIRequestHandler, make_server

    from app.demo.seed import seed

    class QuietHandler(WSGIRequestHandler):
        def log_request(self, *args, **kwargs):  # one line per request would drown pytest's output
            pass

    config = TestConfig()
    config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'live.sqlite'}"
    config.REDIS_URL = None  # a cache of its own too: nothing shared with another run's data
    config.WTF_CSRF_ENABLED = True  # as in production: the browser sends the forms' tokens
    application = create_app(config)
    with application.app_context():
        flask_migrate.upgrade(directory=MIGRATIONS)
        seed()
        db.session.remove()
        db.engine.dispose()

    # Port 0: the kernel picks a free port at bind time, so two runs never race for one.
    server = make_server("127.0.0.1", 0, application, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="e2e-live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", application
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        with application.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole run."""
    if not os.path.exists(CHROMIUM) or shutil.which(CHROMIUM) is None:
        _skip_or_fail(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _skip_or_fail("the playwright Python package is not installed (pip install -r requirements-dev.txt)")
    with sync_playwright() as pw:
        try:
            chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        except Exception as exc:  # a broken install: same rule as a missing one
            _skip_or_fail(f"Chromium at {CHROMIUM} could not be started: {exc}")
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser):
    """A fresh browser context per test: no cookies (so no remembered language) carried over."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    ctx.set_default_timeout(10_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context, live_server):
    p = context.new_page()
    yield p
    p.close()


@pytest.fixture(scope="session")
def axe(browser):
    """axe-core, as bundled by axe-playwright-python: Axe().run(page)."""
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        _skip_or_fail("the axe-playwright-python package is not installed (pip install -r requirements-dev.txt)")
    return Axe()


@pytest.fixture(scope="session")
def shots_dir() -> Path:
    """Screenshots go outside the repository, for a person to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


_TOTP_STEPS_USED: dict[str, int] = {}


def demo_totp_code(email: str, secret: str | None = None) -> str:
    """A second-factor code for a demo account that this run has not used yet.

    The site accepts each 30-second code once per account (and one step either side of now), so two tests
    signing in the same account within a step would see the second refused: take the next step instead,
    waiting for it when both acceptable steps are spent."""
    import time

    import pyotp

    from app.demo.accounts import DEMO_TOTP_SECRET

    totp = pyotp.TOTP(secret or DEMO_TOTP_SECRET)
    now_step = int(time.time() // 30)
    step = max(now_step, _TOTP_STEPS_USED.get(email, -1) + 1)
    if step > now_step + 1:  # both acceptable steps used: wait until the next one is current
        time.sleep((step - 1) * 30 - time.time() + 0.5)
    _TOTP_STEPS_USED[email] = step
    return totp.at(step * 30)
