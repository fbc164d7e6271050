"""The search index for a freshly seeded PostgreSQL database, written with COPY, and a check that it is
exactly what app.catalog.services.reindex_courses writes.

reindex_courses inserts its gram rows (about 200 per course) with executemany; on PostgreSQL that is
several minutes for 20,000 courses on two busy cores, COPY about a sixth of it. The rows come from the same
code (course_text and gram_keys over the same eagerly loaded courses), the other steps reindex_courses takes
(the next-session dates) are called as they are, and check_identical() re-runs reindex_courses itself on a
sample and compares.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

CHUNK = 2000


def copy_index(ids: list[int]) -> None:
    """course_search and course_gram for these courses (which must have no index rows yet), then the
    catalogue version bump reindex_courses ends with."""
    from app.catalog.models import Course
    from app.catalog.search import course_text, gram_keys
    from app.catalog.services import bump_catalogue_version
    from app.platform.extensions import db

    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        courses = db.session.scalars(
            sa.select(Course).where(Course.id.in_(chunk))
            .options(selectinload(Course.skill_areas), selectinload(Course.provider))
        ).all()
        search_rows, gram_rows = [], []
        for course in courses:
            title, body = course_text(course)
            search_rows.append((course.id, title, body))
            gram_rows.extend((gram, course.id) for gram in gram_keys(body))
        cursor = db.session.connection().connection.driver_connection.cursor()
        for sql, rows in (("COPY course_search (course_id, title, body) FROM STDIN", search_rows),
                          ("COPY course_gram (gram, course_id) FROM STDIN", gram_rows)):
            with cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
        for step in _other_reindex_steps():  # whatever else reindex_courses keeps in step
            step(chunk)
        db.session.commit()
        db.session.expunge_all()
    bump_catalogue_version()
    db.session.commit()


def _other_reindex_steps() -> list:
    """What reindex_courses does besides the search rows: each course's next-session date."""
    from app.catalog import services
    from app.catalog.models import Course
    from app.platform.database import utcnow

    def next_sessions(chunk):
        services._recompute_next_sessions(Course.id.in_(chunk), utcnow())

    return [next_sessions]


def check_identical(url: str, sample: int = 200) -> bool:
    """Run reindex_courses on `sample` courses spread over the catalogue, compare their index rows before and
    after, and roll back."""
    from app.catalog.services import reindex_courses
    from app.platform.extensions import db
    from bench.seed import make_app, published_ids

    every = published_ids(url)
    ids = every[:: max(1, len(every) // sample)][:sample]
    queries = {"search": "SELECT course_id, title, body FROM course_search WHERE course_id IN :ids ORDER BY 1",
               "gram": "SELECT gram, course_id FROM course_gram WHERE course_id IN :ids ORDER BY 1, 2"}
    app = make_app(url)
    with app.app_context():
        columns = {c["name"] for c in sa.inspect(db.engine).get_columns("course")}
        if "next_session_at" in columns:
            queries["next_session_at"] = "SELECT id, next_session_at FROM course WHERE id IN :ids ORDER BY 1"

        def snapshot():
            return {name: db.session.execute(sa.text(sql).bindparams(sa.bindparam("ids", expanding=True)),
                                             {"ids": ids}).all() for name, sql in queries.items()}

        before = snapshot()
        reindex_courses(ids)
        after = snapshot()
        db.session.rollback()
        db.engine.dispose()
    return bool(before["search"]) and before == after
