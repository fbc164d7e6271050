"""Course.next_session_at: kept for fast sorting, never trusted once stale."""
from datetime import timedelta

import sqlalchemy as sa

from app.catalog.models import Course
from app.catalog.services import refresh_next_sessions
from app.platform.extensions import db
from tests.factories import make_course, make_session, now


def _order(client, url="/en/courses?sort=soonest"):
    text = client.get(url).get_data(as_text=True)
    return [int(x) for x in __import__("re").findall(r'href="/en/courses/(\d+)"', text)]


def test_reindex_keeps_the_next_session(client):
    course = make_course(sessions=[make_session(days_ahead=5), make_session(days_ahead=50)])
    db.session.refresh(course)
    assert course.next_session_at is not None
    assert abs((course.next_session_at - course.sessions[0].starts_at).total_seconds()) < 1


def test_a_stale_value_is_not_trusted(client):
    begun = make_session(days_ahead=-1 / 24)
    early = make_course(title_en="Early", sessions=[begun, make_session(days_ahead=40)])
    middle = make_course(title_en="Middle", sessions=[make_session(days_ahead=10)])
    # As it was kept before that first session began, an hour ago.
    db.session.execute(
        sa.update(Course).where(Course.id == early.id).values(next_session_at=begun.starts_at)
    )
    db.session.flush()
    assert _order(client) == [middle.id, early.id]  # early's real next session is in 40 days


def test_refresh_updates_only_stale_rows_and_is_idempotent(app):
    course = make_course(sessions=[make_session(days_ahead=20)])
    db.session.execute(
        sa.update(Course).where(Course.id == course.id).values(next_session_at=now() - timedelta(days=1))
    )
    assert refresh_next_sessions() == 1
    assert refresh_next_sessions() == 0
    db.session.refresh(course)
    assert course.next_session_at > now()


def test_refresh_catalogue_command(app):
    course = make_course(sessions=[make_session(days_ahead=20)])
    db.session.execute(
        sa.update(Course).where(Course.id == course.id).values(next_session_at=now() - timedelta(days=1))
    )
    result = app.test_cli_runner().invoke(args=["refresh-catalogue"])
    assert result.exit_code == 0 and "1 courses updated" in result.output
