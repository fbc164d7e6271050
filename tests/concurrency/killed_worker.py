"""A process that is killed in the middle of a write: run by test_killed_worker.py, never on its own.

`python -m tests.concurrency.killed_worker import|issue <id> <user id> <marker>` starts the write (confirming an
import preview, or issuing a session's certificates), and at its last step, with most of the rows written
but nothing committed, creates `marker` and waits to be killed with SIGKILL.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path


def _halt(marker: str):
    def halt(*_args, **_kwargs):
        Path(marker).touch()
        time.sleep(120)  # the test kills us here
        raise SystemExit("not killed")
    return halt


def main(what: str, object_id: int, user_id: int, marker: str) -> None:
    from app import create_app
    from app.accounts.models import User
    from app.platform.extensions import db
    from tests.concurrency.config import ConcurrencyConfig

    app = create_app(ConcurrencyConfig())
    with app.app_context(), app.test_request_context("/", method="POST"):
        user = db.session.get(User, user_id)
        if what == "import":
            from app.exchanges import importing
            from app.exchanges.models import ExchangeImport

            imported = db.session.get(ExchangeImport, object_id)
            from app.audit import services as audit_services

            audit_services.record = _halt(marker)  # the audit entry comes after every row is inserted
            importing.confirm(imported, user)
        else:
            import sqlalchemy as sa

            from app.certifications import services
            from app.enrolment.models import Enrolment, EnrolmentStatus

            enrolments = db.session.scalars(sa.select(Enrolment).where(
                Enrolment.session_id == object_id, Enrolment.status == EnrolmentStatus.COMPLETED)).all()
            original, calls = services.facts_of, []

            def facts_then_halt(course, session):
                calls.append(1)
                if len(calls) == len(enrolments):  # the others are added already
                    db.session.flush()
                    _halt(marker)()
                return original(course, session)

            services.facts_of = facts_then_halt
            services.issue(enrolments, user)
        db.session.commit()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
