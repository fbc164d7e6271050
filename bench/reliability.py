"""`python -m bench.reliability --port 5099`: bursts against a site started with `make run`.

Start the site first (`make run PORT=5099`, two workers on the SQLite file in instance/), then run this
from the same checkout: it opens the same database and secret key to make API tokens and signed-in
cookies for the demo accounts and a few learners of its own (bench-reliability-N@example.invalid), and
prints, per burst, the requests sent, the 5xx answers and the seconds taken. Their enrolments are
cancelled again at the end; the demo data is otherwise left as it was.
"""
from __future__ import annotations

import argparse
import secrets
import time

from tests.concurrency.client import Call, burst, summary
from tests.concurrency.harness import Browser, Learner

DEMO_PASSWORD = "battery demo password"
SIGN_IN_ACCOUNTS = ("learner@example.com", "gakusei@example.com")


def _prepare(app, learners: int) -> dict:
    import sqlalchemy as sa

    from app.accounts.models import User, UserSession
    from app.accounts.passwords import hash_password
    from app.accounts.sessions import token_hash
    from app.api.auth import create_token
    from app.catalog.models import CourseSession
    from app.platform.database import utcnow
    from app.platform.extensions import db

    def session_for(user) -> Learner:
        token = secrets.token_urlsafe(32)
        db.session.add(UserSession(token_hash=token_hash(token), user_id=user.id))
        return Learner(user.id, user.email, token)

    with app.app_context():
        by_email = {u.email: u for u in db.session.scalars(sa.select(User).where(User.email.in_(
            ["learner@example.com", "provider-staff@example.com", "staff@example.com"])))}
        crowd = []
        for n in range(learners):
            email = f"bench-reliability-{n}@example.invalid"
            user = db.session.scalar(sa.select(User).where(User.email == email))
            if user is None:
                user = User(email=email, email_key=email, status="active", preferred_language="en",
                            password_hash=hash_password(secrets.token_urlsafe(16)), activated_at=utcnow())
                db.session.add(user)
                db.session.flush()
            crowd.append(session_for(user))
        _row, learner_token = create_token(by_email["learner@example.com"], "bench reliability",
                                           ["learning:read"], 1)
        _row, provider_token = create_token(by_email["provider-staff@example.com"], "bench reliability",
                                            ["provider:read", "provider:write"], 1)
        target = db.session.scalar(sa.select(CourseSession).where(
            CourseSession.starts_at > utcnow(), CourseSession.requires_approval.is_(False),
            CourseSession.status == "scheduled").order_by(CourseSession.capacity.desc()).limit(1))
        staff = session_for(by_email["staff@example.com"])
        db.session.commit()
        return {"crowd": crowd, "learner_token": learner_token, "provider_token": provider_token,
                "session_id": target.id, "staff": staff}


def _sign_in(browser: Browser, email: str) -> Call:
    csrf = secrets.token_hex(20)
    cookie = f"{browser.cookie_name}={browser.cookies.dumps({'csrf_token': csrf})}"
    return Call.form("/en/account/sign-in", cookie, {"csrf_token": browser.forms.dumps(csrf), "email": email,
                                                     "password": DEMO_PASSWORD}, label="sign-in")


def _report(name: str, answers, seconds: float) -> None:
    errors = sum(1 for a in answers if a.error or a.status >= 500)
    print(f"{name:<22} {len(answers):>4} requests  {errors:>3} x 5xx/failed  {seconds:6.2f} s  "
          f"slowest {max(a.seconds for a in answers):.2f} s  {summary(answers)}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.reliability", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=5000)
    args = parser.parse_args(argv)
    from app import create_app

    app = create_app()
    ready = _prepare(app, 20)
    browser, port = Browser(app), args.port
    runs = {
        "50 sign-ins": [_sign_in(browser, SIGN_IN_ACCOUNTS[n % 2]) for n in range(50)],
        "50 API calls, 1 token": [Call.api("GET", "/api/v1/me", ready["learner_token"]) for _ in range(50)],
    }
    crowd, session_id = ready["crowd"], ready["session_id"]
    mixed = [_sign_in(browser, SIGN_IN_ACCOUNTS[n % 2]) for n in range(10)]
    mixed += [Call.form(f"/en/sessions/{session_id}/enrol", browser.cookie(p), browser.form(p), label="enrol")
              for p in crowd[:10]]
    mixed += [Call.api("GET", "/api/v1/me/enrolments", ready["learner_token"], label="api-read") for _ in range(10)]
    mixed += [Call.api("GET", "/api/v1/provider/courses", ready["provider_token"], label="api-read")
              for _ in range(5)]
    mixed += [Call.page("/en/staff/reports", browser.cookie(ready["staff"]), label="reports") for _ in range(5)]
    mixed += [Call.page("/ja/courses?q=%E3%83%AA%E3%82%B5%E3%82%A4%E3%82%AF%E3%83%AB", label="catalogue") for _ in range(10)]
    runs["mixed burst"] = mixed
    for name, calls in runs.items():
        started = time.monotonic()
        answers = burst(port, calls)
        _report(name, answers, time.monotonic() - started)
    _cancel_all(app, browser, port, crowd)


def _cancel_all(app, browser: Browser, port: int, crowd: list[Learner]) -> None:
    import sqlalchemy as sa

    from app.enrolment.models import Enrolment
    from app.platform.extensions import db

    with app.app_context():
        live = db.session.execute(sa.select(Enrolment.id, Enrolment.learner_id).where(
            Enrolment.learner_id.in_([p.id for p in crowd]), Enrolment.status.in_(["confirmed", "waitlisted"]))).all()
    by_id = {p.id: p for p in crowd}
    calls = [Call.form(f"/en/me/enrolments/{e}/cancel", browser.cookie(by_id[lid]), browser.form(by_id[lid]),
                       label="cancel") for e, lid in live]
    if calls:
        started = time.monotonic()
        _report("cancel at once", burst(port, calls), time.monotonic() - started)


if __name__ == "__main__":
    main()
