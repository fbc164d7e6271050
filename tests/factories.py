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
