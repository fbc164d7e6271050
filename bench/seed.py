"""A fresh benchmark database: the real migrations, bulk inserts, then the search index.

SQLite: a file under /tmp, deleted first. PostgreSQL: a dedicated database (btb_bench by default), dropped and
created again with a non-C LC_CTYPE so pg_trgm indexes Japanese.
"""
from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from config import ROOT, TestConfig, database_url

DEFAULT_SQLITE = Path("/tmp/btb_bench.sqlite")
INSERT_CHUNK = 5000
REINDEX_CHUNK = 1000


def normalise_url(url: str | None) -> str:
    return database_url(url, f"sqlite:///{DEFAULT_SQLITE}")


def make_app(url: str, cache_seconds: int = 0):
    """The app on the benchmark database, with the test settings (no secret key needed) and every app cache
    set to `cache_seconds` (0: off)."""
    from app import create_app

    config = TestConfig()
    config.SQLALCHEMY_DATABASE_URI = url
    for name in dir(config):  # CATALOGUE_CACHE_SECONDS, PAGE_CACHE_SECONDS, ...
        if name.isupper() and name.endswith("_CACHE_SECONDS"):
            setattr(config, name, cache_seconds)
    return create_app(config)


def recreate_database(url: str) -> None:
    """Drop and create the benchmark database. Only one whose name says it is a benchmark's: a typo must not
    cost anyone their development database."""
    parsed = sa.engine.make_url(url)
    name = parsed.database or ""
    if "bench" not in Path(name).name or (parsed.get_backend_name() != "sqlite" and not
                                           name.replace("_", "").isalnum()):
        raise SystemExit(f"refusing to recreate {name!r}: the benchmark database's name must contain "
                         "'bench' (e.g. btb_bench or /tmp/btb_bench.sqlite); use --skip-seed to reuse one")
    if parsed.get_backend_name() == "sqlite":
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(name + suffix).unlink(missing_ok=True)
        return
    admin = sa.create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(
            f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8'"
        )
    admin.dispose()


def _sqlite_seed_pragmas(dbapi_connection, _record) -> None:
    dbapi_connection.execute("PRAGMA cache_size=-262144")


def _analyze(db) -> None:
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    else:
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()


def _bulk(db, model_or_table, rows: list[dict]) -> None:
    """executemany in chunks, through the Table: the ORM bulk path leaves out None values and so splits
    rows with different NULL columns into many small batches."""
    table = getattr(model_or_table, "__table__", model_or_table)
    for start in range(0, len(rows), INSERT_CHUNK):
        db.session.execute(sa.insert(table), rows[start:start + INSERT_CHUNK])


def seed(url: str, n_providers: int, n_courses: int, n_sessions: int, app_reindex: bool = False) -> dict:
    """Build the schema and the data; returns counts and timings (seconds)."""
    import flask_migrate

    from app.catalog.models import Course, CourseLanguage, CourseSession, SkillArea, course_skill_area
    from app.catalog.services import reindex_courses
    from app.platform.extensions import db
    from app.providers.models import Organisation
    from bench import data, index

    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    recreate_database(url)
    app = make_app(url)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            # A bigger page cache for this connection only: the gram index gets millions of inserts.
            sa.event.listen(db.engine, "connect", _sqlite_seed_pragmas)
        flask_migrate.upgrade(directory=str(ROOT / "migrations"))
        timings["schema"] = time.perf_counter() - t0

        t = time.perf_counter()
        now = datetime.now(UTC)
        skill_ids = dict(db.session.execute(sa.select(SkillArea.code, SkillArea.id)).all())
        rows = data.build(n_providers, n_courses, n_sessions, skill_ids, now.date(), now)
        timings["generate"] = time.perf_counter() - t

        t = time.perf_counter()
        _bulk(db, Organisation, rows["organisation"])
        _bulk(db, Course, rows["course"])
        _bulk(db, CourseLanguage, rows["course_language"])
        _bulk(db, course_skill_area, rows["course_skill_area"])
        _bulk(db, CourseSession, rows["course_session"])
        if db.engine.dialect.name == "postgresql":
            for table in ("organisation", "course", "course_session"):
                db.session.execute(sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                ))
        db.session.commit()
        timings["insert"] = time.perf_counter() - t

        # Statistics before the index is built, as after any bulk load: without them SQLite plans
        # reindex_courses' next-session subquery on ix_course_session_status_start, ~90x slower.
        t = time.perf_counter()
        _analyze(db)
        timings["analyze"] = time.perf_counter() - t
        t = time.perf_counter()
        ids = [c["id"] for c in rows["course"]]
        if db.engine.dialect.name == "postgresql" and not app_reindex:
            index.copy_index(ids)  # the same rows as reindex_courses, written with COPY
        else:
            for start in range(0, len(ids), REINDEX_CHUNK):
                reindex_courses(ids[start:start + REINDEX_CHUNK])
                db.session.commit()
                db.session.expunge_all()
        timings["reindex"] = time.perf_counter() - t

        t = time.perf_counter()
        _analyze(db)
        timings["analyze"] += time.perf_counter() - t
        counts = {name: len(r) for name, r in rows.items()}
        counts["course_gram"] = db.session.execute(sa.text("SELECT count(*) FROM course_gram")).scalar_one()
        db.engine.dispose()
    timings["total"] = time.perf_counter() - t0
    return {"counts": counts, "timings": timings}


def describe(url: str) -> dict:
    """Counts of an existing benchmark database (for --skip-seed)."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        counts = {
            "course (published)": conn.exec_driver_sql(
                "SELECT count(*) FROM course WHERE status = 'published'").scalar_one(),
            "course_session": conn.exec_driver_sql("SELECT count(*) FROM course_session").scalar_one(),
            "organisation": conn.exec_driver_sql("SELECT count(*) FROM organisation").scalar_one(),
        }
    engine.dispose()
    return counts


def reset_cache(url: str) -> None:
    """Empty the database cache and bump the catalogue version, so each run starts with a cold cache
    (Redis entries are keyed by that version, so they go stale too without flushing anything)."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM cache_entry")
        conn.exec_driver_sql("UPDATE catalogue_state SET version = version + 1")
    engine.dispose()


def published_ids(url: str) -> list[int]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        ids = list(conn.exec_driver_sql(
            "SELECT id FROM course WHERE status = 'published' ORDER BY id").scalars())
    engine.dispose()
    return ids
