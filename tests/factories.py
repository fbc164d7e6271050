"""Creator functions: make_provider(...), make_course(...), make_session(...), with sensible defaults."""
from __future__ import annotations

import itertools
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from app.catalog.models import Course, CourseLanguage, CourseSession, SkillArea
from app.catalog.services import reindex_courses
from app.extensions import db
from app.providers.models import Organisation

_seq = itertools.count(1)


def now() -> datetime:
    return datetime.now(timezone.utc)


def skill(code: str) -> SkillArea:
    return db.session.execute(sa.select(SkillArea).where(SkillArea.code == code)).scalar_one()


def make_provider(**kw) -> Organisation:
    n = next(_seq)
    values = dict(kind="training_provider", name_en=f"Provider {n}", name_ja=f"提供機関{n}", country="DE",
                  city="Berlin", verified=True)
    values.update(kw)
    org = Organisation(**values)
    db.session.add(org)
    db.session.flush()
    return org


def make_session(course: Course | None = None, *, days_ahead: float = 30, tz: str = "Europe/Berlin",
                 country: str | None = "DE", city: str | None = "Berlin", online: bool = False,
                 capacity: int = 20, hours: int = 8, **kw) -> CourseSession:
    start = now() + timedelta(days=days_ahead)
    values = dict(
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        starts_on=start.astimezone(ZoneInfo(tz)).date(),
        timezone=tz,
        online=online,
        venue_country=None if online else country,
        venue_city=None if online else city,
        capacity=capacity,
    )
    values.update(kw)
    session = CourseSession(**values)
    if course is not None:
        course.sessions.append(session)
        db.session.flush()
    return session


def make_course(provider: Organisation | None = None, *, skills: tuple[str, ...] = (),
                languages: tuple[str, ...] = ("en",), sessions: int | list = 1, reindex: bool = True,
                **kw) -> Course:
    n = next(_seq)
    values = dict(kind="training", status="published", title_en=f"Course {n}", title_ja=f"講座{n}",
                  audience="engineer", delivery_mode="in_person", published_at=now() - timedelta(days=n))
    values.update(kw)
    areas = [skill(code) for code in skills]
    course = Course(provider=provider or make_provider(), **values)
    course.skill_areas = areas
    course.languages = [CourseLanguage(language=code) for code in languages]
    if isinstance(sessions, int):
        course.sessions = [make_session(days_ahead=10 * (i + 1)) for i in range(sessions)]
    else:
        course.sessions = list(sessions)
    db.session.add(course)
    db.session.flush()
    if reindex:
        reindex_courses([course.id])
    return course


def make_session_at(course: Course, start: datetime, *, hours: float = 8, tz: str | None = None,
                    **kw) -> CourseSession:
    """A session of `course` starting at an exact aware datetime, shown in `tz` (default: start's zone)."""
    zone = tz or getattr(start.tzinfo, "key", None) or "UTC"
    values = dict(
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        starts_on=start.astimezone(ZoneInfo(zone)).date(),
        timezone=zone,
        online=False,
        venue_country="DE",
        venue_city="Berlin",
        capacity=20,
    )
    values.update(kw)
    session = CourseSession(**values)
    course.sessions.append(session)
    db.session.flush()
    return session


def make_courses(count: int, provider: Organisation | list[Organisation] | None = None, *,
                 skills: tuple[str, ...] = (), languages: tuple[str, ...] = ("en",), sessions: int = 1,
                 reindex: bool = True, **kw) -> list[Course]:
    """Many courses at once (one flush, one reindex): for tests that need a large catalogue quickly.

    `provider` may be a list: courses are spread over it in turn. Titles get the running number.
    """
    providers = provider if isinstance(provider, list) else [provider or make_provider()]
    areas = [skill(code) for code in skills]
    base = now()
    courses = []
    for i in range(count):
        n = next(_seq)
        values = dict(kind="training", status="published", title_en=f"Course {n}", title_ja=f"講座{n}",
                      audience="engineer", delivery_mode="in_person", published_at=base - timedelta(hours=n))
        values.update(kw)
        course = Course(provider=providers[i % len(providers)], **values)
        course.skill_areas = list(areas)
        course.languages = [CourseLanguage(language=code) for code in languages]
        course.sessions = [make_session(days_ahead=10 * (j + 1) + i / 1000) for j in range(sessions)]
        courses.append(course)
    db.session.add_all(courses)
    db.session.flush()
    if reindex:
        reindex_courses([c.id for c in courses])
    return courses


def make_client(app):
    """A test client whose every request runs in an app context of its own, as in production: no `g`
    left over from an earlier request (Flask-Babel caches the locale there) and a database session of
    its own (so eager loading is really exercised), on the test's connection, which sees its data."""
    from flask.testing import FlaskClient

    class FreshContextClient(FlaskClient):
        def open(self, *args, **kwargs):
            db.session.flush()
            with self.application.app_context():
                return super().open(*args, **kwargs)

    return FreshContextClient(app, app.response_class, use_cookies=True)
