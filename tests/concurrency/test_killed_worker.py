"""A worker killed in the middle of an import or a bulk issue leaves nothing half-saved.

A separate process starts the write and, at its last step (every row written, nothing committed), waits;
the test kills it with SIGKILL, as the operating system or gunicorn's timeout would, then looks at what
the database kept: nothing of that write, and the same write afterwards succeeds whole.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest

from config import ROOT
from tests.concurrency.harness import CONFIG


def kill_midway(stack, tmp_path, what: str, object_id: int, user_id: int) -> None:
    marker = tmp_path / f"{what}.halted"
    env = dict(os.environ, APP_CONFIG=CONFIG, CONC_DATABASE_URL=stack.server.database,
               CONC_MAIL_OUTBOX=str(stack.outbox))
    proc = subprocess.Popen([sys.executable, "-m", "tests.concurrency.killed_worker", what, str(object_id),
                             str(user_id), str(marker)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert proc.poll() is None, proc.stdout.read().decode(errors="replace")
        assert time.monotonic() < deadline, "the write never reached its last step"
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def seeded(stack):
    from app.enrolment import services as enrolment_services
    from app.exchanges import importing
    from app.platform.extensions import db
    from tests.exchanges.test_import import csv_file, row
    from tests.factories import make_course, make_provider, make_session, make_user, now

    with stack.app.app_context():
        make_provider(country="JP", city="Kobe", name_en="Kobe Battery KK", name_ja="神戸電池株式会社")
        make_provider(kind="company", country="DE", name_en="Berlin Cell GmbH", name_ja=None)
        staff = make_user("staff")
        data = csv_file([row(participant_name_latin=f"YAMADA Taro {n}", start=f"2026-04-{n:02d}")
                         for n in range(1, 29)])
        preview = importing.preview("killed.csv", data, user=staff, max_bytes=8 * 1024 * 1024)
        assert preview.error_count == 0, preview.errors
        member = make_user("member")
        course = make_course(member.memberships[0].organisation, certification="completion",
                             sessions=[make_session(days_ahead=-2, capacity=5)])
        session = course.sessions[0]
        for _ in range(4):
            enrolment = enrolment_services.enrol(make_user(), session, now=now() - timedelta(days=5)).enrolment
            enrolment_services.record_outcome(enrolment, True)
        ids = {"import": preview.id, "staff": staff.id, "session": session.id, "member": member.id}
        db.session.commit()
        db.session.remove()
    return ids


def test_a_killed_import_saves_nothing_and_can_be_confirmed_again(stack, seeded, tmp_path):
    kill_midway(stack, tmp_path, "import", seeded["import"], seeded["staff"])
    assert stack.scalar("SELECT count(*) FROM exchange WHERE import_id = :i", i=seeded["import"]) == 0
    assert stack.scalar("SELECT confirmed_at FROM exchange_import WHERE id = :i", i=seeded["import"]) is None
    # Nothing is left locked: the same import goes through whole.
    from app.exchanges import importing
    from app.exchanges.models import ExchangeImport
    from app.platform.extensions import db

    with stack.app.app_context(), stack.app.test_request_context("/", method="POST"):
        from app.accounts.models import User

        importing.confirm(db.session.get(ExchangeImport, seeded["import"]), db.session.get(User, seeded["staff"]))
        db.session.commit()
        db.session.remove()
    assert stack.scalar("SELECT count(*) FROM exchange WHERE import_id = :i", i=seeded["import"]) == 28


def test_a_killed_bulk_issue_saves_no_certificate(stack, seeded, tmp_path):
    kill_midway(stack, tmp_path, "issue", seeded["session"], seeded["member"])
    assert stack.scalar("SELECT count(*) FROM certification WHERE session_id = :s", s=seeded["session"]) == 0
    assert stack.server.get("/healthz")[0] == 200
