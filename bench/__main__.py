"""`python -m bench` (`make bench`): seed a large catalogue, serve it with gunicorn, measure, compare.

    make bench                                   # SQLite file under /tmp
    make bench BENCH_ARGS="--database-url postgresql://postgres@127.0.0.1/btb_bench"
    REDIS_URL=redis://127.0.0.1:6379/0 make bench BENCH_ARGS="--skip-seed"
"""
from __future__ import annotations

import argparse
import json
import os
import time

import sqlalchemy as sa

from bench import index, load, report, seed, urls
from bench.server import Server

KINDS = ("trivial", "catalogue", "search", "ja2", "course")
DESCRIPTIONS = {"trivial": "/healthz", "catalogue": "/<lang>/courses with 0-3 filters, sort, page 1-3",
                "search": "?q= EN/JA terms of 2 and 3+ characters, mixed", "ja2": "?q= Japanese 2-character terms",
                "course": "/<lang>/courses/<id>, random published courses"}


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--database-url", help="postgresql://.../btb_bench (recreated!) or sqlite:///path; "
                   f"default sqlite:///{seed.DEFAULT_SQLITE}")
    p.add_argument("--courses", type=int, default=20_000, help="published courses (default 20000)")
    p.add_argument("--sessions", type=int, default=64_000, help="sessions (default 64000)")
    p.add_argument("--providers", type=int, default=300)
    p.add_argument("--seconds", type=float, default=10.0, help="measured seconds per page kind (default 10)")
    p.add_argument("--max-requests", type=int, default=60_000, help="cap per page kind")
    p.add_argument("--concurrency", type=int, default=16)
    p.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    p.add_argument("--cache-seconds", type=int, default=None,
                   help="set every *_CACHE_SECONDS setting of the served app (catalogue results, whole pages) "
                        "to this; 0 turns the app's caches off. Default: the app's own settings")
    p.add_argument("--skip-seed", action="store_true", help="reuse the benchmark database as it is")
    p.add_argument("--catalogue-urls", type=int, default=400, help="distinct catalogue URLs (default 400)")
    p.add_argument("--search-urls", type=int, default=300, help="distinct search URLs (default 300)")
    p.add_argument("--course-urls", type=int, default=2000, help="distinct course pages (default 2000)")
    p.add_argument("--no-cold-pass", action="store_true",
                   help="skip requesting every URL once before measuring (then the measured figures mix "
                        "first requests, which compute everything, with repeated ones)")
    p.add_argument("--app-reindex", action="store_true",
                   help="on PostgreSQL too, build the search index with reindex_courses (slow) instead of COPY")
    p.add_argument("--kinds", default=",".join(KINDS), help=f"page kinds to run (default {','.join(KINDS)})")
    p.add_argument("--json", help="also write the figures to this file")
    p.add_argument("--strict", action="store_true", help="exit with status 1 when a target is missed")
    return p.parse_args(argv)


def small_url(url: str) -> str:
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return str(parsed.set(database=parsed.database.replace(".sqlite", "") + "_small.sqlite"))
    return parsed.set(database=parsed.database + "_small").render_as_string(hide_password=False)


def main(argv=None) -> int:
    args = parse_args(argv)
    url = seed.normalise_url(args.database_url)
    dialect = sa.engine.make_url(url).get_backend_name()
    kinds = [k for k in args.kinds.split(",") if k in KINDS]
    redis = os.environ.get("REDIS_URL")
    print(f"database  {sa.engine.make_url(url).render_as_string(hide_password=True)} ({dialect})")
    print(f"cache     app caches in {'Redis ' + redis if redis else 'the database (cache_entry)'}; "
          f"*_CACHE_SECONDS={'as the app sets them' if args.cache_seconds is None else args.cache_seconds}")

    if args.skip_seed:
        print(f"seed      skipped; existing data: {seed.describe(url)}")
    else:
        print(f"seed      {args.providers} providers, {args.courses} published courses, {args.sessions} sessions ...")
        info = seed.seed(url, args.providers, args.courses, args.sessions, app_reindex=args.app_reindex)
        t = info["timings"]
        how = "reindex_courses" if dialect == "sqlite" or args.app_reindex else "COPY"
        print(f"seed      done in {t['total']:.1f} s (schema {t['schema']:.1f}, generate {t['generate']:.1f}, "
              f"insert {t['insert']:.1f}, search index {t['reindex']:.1f} via {how}, analyze {t['analyze']:.1f}); "
              f"rows: {info['counts']}")
        print(f"seed      search index rows identical to reindex_courses' on a 200-course sample: "
              f"{'yes' if index.check_identical(url) else 'NO'}")

    sql_counts = {"large": report.count_statements(url, report.SQL_SAMPLE, cache_seconds=0)}
    small = small_url(url)
    seed.seed(small, 12, 200, 600)
    sql_counts["small"] = report.count_statements(small, report.SQL_SAMPLE, cache_seconds=0)
    cached = report.count_statements(url, report.SQL_SAMPLE[:3], cache_seconds=300)
    print("sql       statements per catalogue page, uncached (this size / 200 courses):")
    for (path, status, n), (_p, small_status, m) in zip(sql_counts["large"], sql_counts["small"]):
        print(f"            {n:>3} / {m:<3} {path}  [{status}/{small_status}]")
    print(f"sql       the same pages again with the app's caches on (hits): "
          f"{', '.join(str(n) for *_x, n in cached)} statements")

    ids = seed.published_ids(url)
    pools = {"trivial": ["/healthz"], "catalogue": urls.catalogue(args.catalogue_urls, args.providers),
             "search": urls.searches(args.search_urls), "ja2": urls.ja_bigrams(),
             "course": urls.courses(ids, args.course_urls)}
    cold: dict[str, load.Result] = {}
    seed.reset_cache(url)
    server = Server(url, args.workers, args.cache_seconds)
    server.start()
    rss_start = server.worker_rss_mib()
    load_before = os.getloadavg()[0]
    results: dict[str, load.Result] = {}
    try:
        print(f"serve     gunicorn, {args.workers} sync workers, 127.0.0.1:{server.port}; "
              f"{args.concurrency} connections, {args.seconds:g} s per kind after 1 s of warm-up")
        for kind in kinds:
            if not args.no_cold_pass:
                # Every URL once: what a first visitor waits for, before the shared caches hold the page.
                cold[kind] = load.run("127.0.0.1", server.port, pools[kind], 600.0, args.concurrency,
                                      kind=kind, in_order=True)
                c = cold[kind]
                print(f"  {kind:<10} cold pass: {c.requests} URLs once, p50 {c.percentile(50) * 1000:6.1f} ms  "
                      f"p99 {c.percentile(99) * 1000:6.1f} ms  ({c.rps:.1f} req/s)")
            load.run("127.0.0.1", server.port, pools[kind], 1.0, args.concurrency, seed=99, kind=kind)
            r = load.run("127.0.0.1", server.port, pools[kind], args.seconds, args.concurrency,
                         args.max_requests, seed=KINDS.index(kind) + 1, kind=kind)
            results[kind] = r
            statuses = ", ".join(f"{s}: {n}" for s, n in sorted(r.statuses.items()))
            print(f"  {kind:<10} {r.rps:8.1f} req/s  p50 {r.percentile(50) * 1000:6.1f} ms  "
                  f"p99 {r.percentile(99) * 1000:6.1f} ms  [{statuses}; failed {r.failures}] "
                  f"{len(set(pools[kind]))} URLs: {DESCRIPTIONS[kind]}")
        rss = server.worker_rss_mib()
    finally:
        server.stop()
    load_after = os.getloadavg()[0]

    print()
    print(report.table(results))
    print(f"worker RSS: {', '.join(f'{v:.1f}' for v in rss_start.values())} MiB when ready, "
          f"{', '.join(f'pid {p}: {v:.1f}' for p, v in rss.items())} MiB after the run")
    if any(r.errors for r in results.values()):
        print(f"errors: see gunicorn's log {server.log_path}")
    print(f"targets ({dialect}):")
    rows = report.targets(dialect, results, rss, sql_counts)
    report.print_targets(rows)
    print(f"caveat: the load generator runs on the same {os.cpu_count()} CPUs as gunicorn (its own CPU use, as a "
          f"share of one core, is the last column), so every page kind is slowed by it, the trivial endpoint "
          f"most; load average {load_before:.2f} before / {load_after:.2f} after: anything else running (tests, a "
          f"browser) skews the figures, so compare runs made on an idle machine.")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"dialect": dialect, "redis": bool(redis), "cache_seconds": args.cache_seconds,
                       "results": {k: {"rps": r.rps, "p50_ms": r.percentile(50) * 1000,
                                       "p99_ms": r.percentile(99) * 1000, "requests": r.requests,
                                       "errors": r.errors} for k, r in results.items()},
                       "cold": {k: {"p50_ms": r.percentile(50) * 1000, "p99_ms": r.percentile(99) * 1000,
                                    "urls": r.requests} for k, r in cold.items()},
                       "worker_rss_mib": list(rss.values()),
                       "targets": [{"target": n, "measured": m, "met": ok} for n, m, ok in rows],
                       "at": time.strftime("%Y-%m-%dT%H:%M:%S")}, fh, indent=2)
    return 1 if args.strict and not all(ok for *_x, ok in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
