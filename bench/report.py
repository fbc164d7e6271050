"""SQL statements per page (in-process), the results table and the issue's targets."""
from __future__ import annotations

import math

import sqlalchemy as sa

from bench.load import Result

# (page kind, target ratio to the trivial endpoint) per database, from issue 2 item 10.
RATIO_TARGETS = {"sqlite": {"catalogue": 0.20, "course": 0.30},
                 "postgresql": {"catalogue": 0.15, "course": 0.20}}
JA2_P99_MS = 100.0
WORKER_RSS_MIB = 80.0
# Catalogue pages whose SQL statements are counted, on the big database and on a small one.
SQL_SAMPLE = ["/en/courses", "/ja/courses?skill=recycling&kind=training", "/en/courses?mode=online&sort=newest",
              "/ja/courses?language=en&free=1&page=2", "/en/courses?q=%E9%9B%BB%E6%B1%A0",
              "/ja/courses?q=battery+%E6%AD%A3%E6%A5%B5%E6%9D%90", "/en/courses?q=li&audience=engineer"]
_TRANSACTION = ("BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT")


def count_statements(url: str, paths: list[str], cache_seconds: int) -> list[tuple[str, int, int]]:
    """(path, status, SQL statements) for each path, in-process through app.test_client.

    With a cache, each path is requested twice and the second (cached) request is counted."""
    from app.platform.extensions import db
    from bench.seed import make_app

    app = make_app(url, cache_seconds=cache_seconds)
    client = app.test_client()
    with app.app_context():  # not held during the requests: each must get a session of its own
        engine = db.engine
    statements: list[str] = []

    def listener(_conn, _cursor, statement, *_args):
        if not statement.lstrip().upper().startswith(_TRANSACTION):
            statements.append(statement)

    out = []
    sa.event.listen(engine, "before_cursor_execute", listener)
    try:
        for path in paths:
            if cache_seconds:
                client.get(path)
            statements.clear()
            status = client.get(path).status_code
            out.append((path, status, len(statements)))
    finally:
        sa.event.remove(engine, "before_cursor_execute", listener)
        engine.dispose()
    return out


def _ms(seconds: float) -> str:
    return "-" if math.isnan(seconds) else f"{seconds * 1000:.1f}"


def table(results: dict[str, Result], trivial: str = "trivial") -> str:
    base = results[trivial].rps if trivial in results else 0.0
    lines = [f"{'page kind':<12} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6} "
             f"{'vs trivial':>10} {'loadgen CPU':>11}"]
    for kind, r in results.items():
        ratio = f"{r.rps / base * 100:.1f}%" if base else "-"
        cpu = f"{r.cpu_seconds / r.seconds * 100:.0f}%" if r.seconds else "-"
        lines.append(f"{kind:<12} {r.requests:>8} {r.rps:>8.1f} {_ms(r.percentile(50)):>8} "
                     f"{_ms(r.percentile(99)):>8} {r.errors:>6} {ratio:>10} {cpu:>11}")
    return "\n".join(lines)


def targets(dialect: str, results: dict[str, Result], rss: dict[int, float],
            sql_counts: dict[str, list[tuple[str, int, int]]]) -> list[tuple[str, str, bool]]:
    """(target, measured, met) for each of the issue's targets."""
    out = []
    base = results["trivial"].rps if "trivial" in results else 0.0
    for kind, goal in RATIO_TARGETS.get(dialect, RATIO_TARGETS["postgresql"]).items():
        if kind in results and base:
            ratio = results[kind].rps / base
            out.append((f"{kind} >= {goal:.0%} of trivial", f"{ratio:.1%}", ratio >= goal))
    if "ja2" in results:
        p99 = results["ja2"].percentile(99) * 1000
        out.append((f"JA 2-char search p99 < {JA2_P99_MS:.0f} ms", f"{p99:.1f} ms", p99 < JA2_P99_MS))
    if rss:
        worst = max(rss.values())
        out.append((f"each worker < {WORKER_RSS_MIB:.0f} MiB", " / ".join(f"{v:.1f}" for v in rss.values()) + " MiB",
                    worst < WORKER_RSS_MIB))
    if sql_counts:
        big = [n for _path, _status, n in sql_counts["large"]]
        small = [n for _path, _status, n in sql_counts.get("small", [])]
        same = small == big if small else len(set(big)) == 1
        measured = f"{'/'.join(map(str, big))} at this size" + (f", {'/'.join(map(str, small))} small" if small else "")
        out.append(("same SQL count per catalogue page", measured, same))
    errors = sum(r.errors for r in results.values())
    out.append(("no errors (non-200) under load", str(errors), errors == 0))
    return out


def print_targets(rows: list[tuple[str, str, bool]]) -> None:
    width = max(len(name) for name, *_ in rows)
    for name, measured, met in rows:
        print(f"  {'PASS' if met else 'MISS'}  {name:<{width}}  {measured}")
