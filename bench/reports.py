"""`python -m bench.reports`: the staff reports with 50,000 exchanges, 200,000 enrolments and 50,000 certificates
seeded (bulk inserts) on top of the benchmark catalogue, measured through gunicorn as a signed-in staff member.

    python -m bench.reports                                   # SQLite /tmp/btb_bench_reports.sqlite
    python -m bench.reports --database-url postgresql://postgres@127.0.0.1/btb_bench_reports
    python -m bench.reports --skip-seed --requests 100         # reuse the seeded database

Each page variant is requested one after another (latency, not throughput): once with the report cache off
(every request runs every aggregation) and once with the app's own setting (REPORTS_CACHE_SECONDS; the first
request computes, later ones within the lifetime read the cache). Prints the first request, median and p99.
"""
from __future__ import annotations

import argparse
import http.client
import random
import secrets
import statistics
import time
from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa

from bench import reports_data, seed
from bench.server import Server

DEFAULT_SQLITE = Path("/tmp/btb_bench_reports.sqlite")
TARGET_MEDIAN_MS = 300.0


def variants() -> list[tuple[str, str]]:
    year = date.today().year
    return [
        ("page", "/en/staff/reports"),
        ("page-quarter-ja", "/ja/staff/reports?period=quarter"),
        ("page-filtered", f"/ja/staff/reports?direction=jp_to_eu&area=recycling&from={year}-01-01&to={year}-12-31"),
        ("annual", f"/en/staff/reports/annual?year={year - 1}"),
        ("csv-pairs", "/en/staff/reports/countries.csv"),
        ("xlsx-courses", "/ja/staff/reports/enrolments-courses.xlsx"),
    ]


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.reports", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--database-url", help=f"default sqlite:///{DEFAULT_SQLITE}; a PostgreSQL database is recreated")
    p.add_argument("--exchanges", type=int, default=50_000)
    p.add_argument("--enrolments", type=int, default=200_000)
    p.add_argument("--certifications", type=int, default=50_000)
    p.add_argument("--learners", type=int, default=40_000)
    p.add_argument("--partners", type=int, default=200, help="organisations that are not providers")
    p.add_argument("--courses", type=int, default=20_000, help="the catalogue under it (as `python -m bench`)")
    p.add_argument("--sessions", type=int, default=64_000)
    p.add_argument("--providers", type=int, default=300)
    p.add_argument("--requests", type=int, default=40, help="measured requests per variant with the cache on")
    p.add_argument("--uncached-requests", type=int, default=10,
                   help="measured requests per variant with the cache off (each runs every aggregation)")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--skip-seed", action="store_true")
    return p.parse_args(argv)


def _setval(db, tables) -> None:
    if db.engine.dialect.name == "postgresql":
        for table in tables:
            db.session.execute(sa.text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))


def seed_reports(url: str, args) -> dict:
    """The reports' data, on a database that already holds the catalogue."""
    from app.accounts.models import User
    from app.catalog.models import SkillArea
    from app.certifications.models import Certification
    from app.enrolment.models import Enrolment
    from app.exchanges.models import Exchange, exchange_skill
    from app.platform.extensions import db
    from app.providers.models import Organisation

    rng = random.Random(reports_data.SEED)
    now = datetime.now(UTC)
    app = seed.make_app(url)
    timings = {}
    with app.app_context():
        t = time.perf_counter()
        first_org = (db.session.scalar(sa.select(sa.func.max(Organisation.id))) or 0) + 1
        first_user = (db.session.scalar(sa.select(sa.func.max(User.id))) or 0) + 1
        partners = reports_data.organisations(rng, first_org, args.partners, now)
        providers = [{"id": i, "country": c}
                     for i, c in db.session.execute(sa.select(Organisation.id, Organisation.country))]
        people = reports_data.learners(rng, first_user, args.learners, now)
        sessions = [tuple(r) for r in db.session.execute(sa.text(
            "SELECT s.id, s.status, s.starts_at FROM course_session s ORDER BY s.id"))]
        sessions = [(sid, status, _aware(starts)) for sid, status, starts in sessions]
        info = {sid: (cid, pid, _aware(starts)) for sid, cid, pid, starts in db.session.execute(sa.text(
            "SELECT s.id, s.course_id, c.provider_id, s.starts_at FROM course_session s "
            "JOIN course c ON c.id = s.course_id"))}
        learner_ids = [p["id"] for p in people]
        enrolments = reports_data.enrolments(rng, args.enrolments, sessions, learner_ids, now)
        completed = [e for e in enrolments if e["status"] == "completed"]
        certs = reports_data.certifications(rng, args.certifications, completed, info, now)
        course_ids = list(db.session.scalars(sa.select(sa.text("id")).select_from(sa.text("course"))))
        skill_ids = list(db.session.scalars(sa.select(SkillArea.id)))
        exchanges, skills = reports_data.exchanges(rng, args.exchanges, providers + partners, learner_ids,
                                                   course_ids, skill_ids, date.today(), now)
        timings["generate"] = time.perf_counter() - t
        t = time.perf_counter()
        seed._bulk(db, Organisation, partners)
        seed._bulk(db, User, people)
        seed._bulk(db, Enrolment, enrolments)
        seed._bulk(db, Certification, certs)
        seed._bulk(db, Exchange, exchanges)
        seed._bulk(db, exchange_skill, skills)
        _setval(db, ("organisation", "user_account", "enrolment", "certification", "exchange"))
        db.session.commit()
        timings["insert"] = time.perf_counter() - t
        t = time.perf_counter()
        seed._analyze(db)
        timings["analyze"] = time.perf_counter() - t
        db.engine.dispose()
    counts = {"organisation (partners)": len(partners), "learners": len(people), "enrolment": len(enrolments),
              "certification": len(certs), "exchange": len(exchanges), "exchange_skill": len(skills)}
    return {"counts": counts, "timings": timings}


def _aware(value):
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def staff_token(url: str) -> str:
    """A staff account (made once) and a fresh server-side session for it; returns the session token."""
    from app.accounts.models import User, UserSession
    from app.accounts.sessions import token_hash
    from app.platform.extensions import db

    app = seed.make_app(url)
    token = secrets.token_urlsafe(32)
    with app.app_context():
        staff = db.session.scalar(sa.select(User).where(User.email_key == "staff@bench.example"))
        if staff is None:
            staff = User(email="staff@bench.example", email_key="staff@bench.example", status="active",
                         family_name="Staff", given_name="Bench", is_staff=True, country="DE")
            db.session.add(staff)
            db.session.flush()
        db.session.add(UserSession(token_hash=token_hash(token), user_id=staff.id))
        db.session.commit()
        db.engine.dispose()
    return token


class StaffServer(Server):
    """gunicorn with a secret key we know, so we can sign the staff member's session cookie."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.secret = secrets.token_urlsafe(48)

    def env(self) -> dict[str, str]:
        env = super().env()
        env["SECRET_KEY"] = self.secret
        return env

    def cookie(self, token: str) -> str:
        from flask import Flask
        from flask.sessions import SecureCookieSessionInterface

        app = Flask("bench")
        app.secret_key = self.secret
        signer = SecureCookieSessionInterface().get_signing_serializer(app)
        return f"session={signer.dumps({'_user_id': token, '_fresh': True})}"

    def timed_get(self, path: str, cookie: str) -> tuple[int, float, int]:
        t = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            conn.request("GET", path, headers={"Cookie": cookie, "Accept": "text/html"})
            response = conn.getresponse()
            body = response.read()
            return response.status, time.perf_counter() - t, len(body)
        finally:
            conn.close()


def measure(url: str, token: str, cache_seconds: int | None, n: int, workers: int) -> dict[str, dict]:
    seed.reset_cache(url)
    server = StaffServer(url, workers, cache_seconds)
    server.start()
    cookie = server.cookie(token)
    out = {}
    try:
        for name, path in variants():
            status, first, size = server.timed_get(path, cookie)
            times, statuses = [], {status}
            for _ in range(n):
                status, seconds, _size = server.timed_get(path, cookie)
                statuses.add(status)
                times.append(seconds)
            times.sort()
            out[name] = {"path": path, "statuses": sorted(statuses), "bytes": size, "first_ms": first * 1000,
                         "p50_ms": statistics.median(times) * 1000,
                         "p99_ms": times[min(len(times) - 1, round(0.99 * (len(times) - 1)))] * 1000}
    finally:
        server.stop()
    return out


def profile_figures(url: str, runs: int = 3) -> list[tuple[str, float, int]]:
    """(figure, median ms, rows) of each figure's one statement, in-process (no HTTP, no rendering)."""
    from app.exchanges.filters import ExchangeFilters
    from app.reports import figures

    app = seed.make_app(url)
    out = []
    with app.test_request_context("/en/"):
        for slug in figures.FIGURES:
            times, rows = [], []
            for _ in range(runs):
                t = time.perf_counter()
                rows = figures._raw(slug, ExchangeFilters(), "year", figures.TOP if slug in figures.LONG else None)
                times.append(time.perf_counter() - t)
            out.append((slug, statistics.median(times) * 1000, len(rows)))
    return out


def main(argv=None) -> int:
    args = parse_args(argv)
    url = seed.normalise_url(args.database_url or f"sqlite:///{DEFAULT_SQLITE}")
    dialect = sa.engine.make_url(url).get_backend_name()
    print(f"database  {sa.engine.make_url(url).render_as_string(hide_password=True)} ({dialect})")
    if args.skip_seed:
        print("seed      skipped")
    else:
        t = time.perf_counter()
        seed.seed(url, args.providers, args.courses, args.sessions)
        print(f"seed      catalogue ({args.providers} providers, {args.courses} courses, {args.sessions} sessions) "
              f"in {time.perf_counter() - t:.1f} s")
        info = seed_reports(url, args)
        print(f"seed      reports data {info['counts']}; "
              + ", ".join(f"{k} {v:.1f} s" for k, v in info["timings"].items()))
    print("sql       each figure's statement in-process, no filters (median of 3):")
    for slug, ms, n in profile_figures(url):
        print(f"            {ms:8.1f} ms  {slug} ({n} rows)")
    token = staff_token(url)
    print(f"measure   {args.uncached_requests} (cache off) / {args.requests} (cache on) sequential requests per "
          f"variant after a first one, {args.workers} gunicorn workers")
    results = {"off": measure(url, token, 0, args.uncached_requests, args.workers),
               "on": measure(url, token, None, args.requests, args.workers)}
    print(f"\n{'variant':<17}{'cache':<7}{'status':<8}{'first ms':>10}{'p50 ms':>10}{'p99 ms':>10}{'KiB':>8}")
    for name, _path in variants():
        for mode, label in (("off", "off"), ("on", "60 s")):
            r = results[mode][name]
            print(f"{name:<17}{label:<7}{','.join(map(str, r['statuses'])):<8}{r['first_ms']:>10.1f}"
                  f"{r['p50_ms']:>10.1f}{r['p99_ms']:>10.1f}{r['bytes'] / 1024:>8.0f}")
    page = results["off"]["page"]["p50_ms"], results["on"]["page"]["p50_ms"]
    print(f"\ntarget    reports page median < {TARGET_MEDIAN_MS:.0f} ms: uncached {page[0]:.0f} ms "
          f"({'met' if page[0] < TARGET_MEDIAN_MS else 'missed'}), with the cache {page[1]:.0f} ms "
          f"({'met' if page[1] < TARGET_MEDIAN_MS else 'missed'})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
