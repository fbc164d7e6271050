"""Where a page's time goes, in-process on the benchmark database: SQL time per statement, then cProfile.

    .venv/bin/python -m bench.profile [--database-url URL] [--kinds catalogue,course] [--requests 150]

Run `python -m bench` first (or with --skip-seed) so the database exists. The catalogue cache is off unless
--cache-seconds is given, so the figures are those of a cache miss.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import re
import time
from collections import defaultdict

import sqlalchemy as sa

from bench import seed, urls
from config import ROOT

_SPACE = re.compile(r"\s+")


def _shape(statement: str) -> str:
    """A statement's first words, enough to tell the queries of a page apart."""
    text = _SPACE.sub(" ", statement).strip()
    if re.match(r"SELECT \S+ AS facet", text):
        return "facet counts (UNION ALL of one GROUP BY per filter)"
    if "ORDER BY" in text and text.startswith("SELECT course.id FROM course"):
        return "result page ids (ORDER BY ... LIMIT)"
    return text[:90]


def pools(url: str, n: int) -> dict[str, list[str]]:
    ids = seed.published_ids(url)
    return {"catalogue": urls.catalogue(n), "search": urls.searches(n), "ja2": urls.ja_bigrams(),
            "course": urls.courses(ids, n)}


def _replay(engine, captured: list[tuple[str, object]]) -> tuple[dict[str, float], dict[str, int]]:
    """Run each captured statement again, execute plus fetchall: SQLite computes most of a result while it
    is fetched, so timing cursor.execute alone would hide it."""
    seconds: dict[str, float] = defaultdict(float)
    calls: dict[str, int] = defaultdict(int)
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        for statement, params in captured:
            if statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "INSERT", "DELETE")):
                continue
            t = time.perf_counter()
            cursor.execute(statement, params)
            cursor.fetchall()
            seconds[_shape(statement)] += time.perf_counter() - t
            calls[_shape(statement)] += 1
        cursor.close()
        raw.rollback()
    finally:
        raw.close()
    return seconds, calls


def profile_kind(app, engine, paths: list[str], top: int, sort: str) -> None:
    client = app.test_client()
    captured: list[tuple[str, object]] = []

    def before(_conn, _cursor, statement, parameters, _context, executemany):
        if not executemany:
            captured.append((statement, parameters))

    for path in paths[:5]:  # warm the templates and SQLAlchemy's statement cache
        client.get(path)
    statuses: dict[int, int] = defaultdict(int)
    sa.event.listen(engine, "before_cursor_execute", before)
    t0 = time.perf_counter()
    for path in paths:
        statuses[client.get(path).status_code] += 1
    wall = time.perf_counter() - t0
    sa.event.remove(engine, "before_cursor_execute", before)
    sql_time, sql_count = _replay(engine, captured)

    n = len(paths)
    total_sql = sum(sql_time.values())
    print(f"  {n} requests {dict(statuses)}: {wall / n * 1000:.2f} ms each; SQL replayed (execute + fetch) "
          f"{total_sql / n * 1000:.2f} ms ({total_sql / wall:.0%}); the rest (Python, ORM, templates) "
          f"~{(wall - total_sql) / n * 1000:.2f} ms")
    print("  SQL per request:   ms   calls  statement")
    for shape, seconds in sorted(sql_time.items(), key=lambda kv: -kv[1])[:12]:
        print(f"                 {seconds / n * 1000:6.2f} {sql_count[shape] / n:6.2f}  {shape}")

    profiler = cProfile.Profile()
    profiler.enable()
    for path in paths:
        client.get(path)
    profiler.disable()
    for title, order, restrict in (("own time", "tottime", ()), (f"{sort} time, app code", sort, ("/app/",))):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(*restrict, top)
        body = out.getvalue()
        print(f"  cProfile, top {top} by {title} (includes profiling overhead):")
        lines = body[body.find("ncalls"):].splitlines()
        print("\n".join("    " + line.replace(str(ROOT) + "/", "") for line in lines if line.strip()))


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--database-url")
    p.add_argument("--kinds", default="catalogue,search,ja2,course")
    p.add_argument("--requests", type=int, default=150)
    p.add_argument("--cache-seconds", type=int, default=0)
    p.add_argument("--top", type=int, default=30)
    p.add_argument("--sort", default="cumulative", choices=("cumulative", "tottime"))
    args = p.parse_args(argv)
    url = seed.normalise_url(args.database_url)
    from app.platform.extensions import db

    app = seed.make_app(url, cache_seconds=args.cache_seconds)
    with app.app_context():
        engine = db.engine
    all_paths = pools(url, args.requests)
    for kind in args.kinds.split(","):
        print(f"== {kind} (cache seconds {args.cache_seconds})")
        profile_kind(app, engine, all_paths[kind][: args.requests], args.top, args.sort)
    engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
