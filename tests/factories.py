"""Creator functions: make_provider(...), make_course(...), make_session(...), with sensible defaults."""
from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from app.catalog.models import Course, CourseLanguage, CourseSession, SkillArea
from app.catalog.services import reindex_courses
from app.platform.extensions import db
from app.providers.models import Organisation

_seq = itertools.count(1)


def now() -> datetime:
    return datetime.now(UTC)


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


PASSWORD = "correct horse battery staple"


def make_user(role: str = "learner", *, email: str | None = None, password: str = PASSWORD,
              status: str = "active", organisation: Organisation | None = None, totp: bool = False,
              **kw):
    """An account. role: learner, staff (association staff), admin, owner or member (of `organisation`,
    a new provider when not given). totp=True gives it a confirmed authenticator secret."""
    from app.accounts.models import User
    from app.accounts.passwords import hash_password
    from app.providers.models import Membership

    n = next(_seq)
    values = dict(email=email or f"user{n}@example.com", status=status, family_name=f"Family{n}",
                  given_name=f"Given{n}", preferred_language="en", country="DE", timezone="Europe/Berlin",
                  password_hash=hash_password(password), is_staff=role == "staff", is_admin=role == "admin")
    values.update(kw)
    values.setdefault("email_key", values["email"].casefold())
    if status == "active":
        values.setdefault("activated_at", now())
    if totp:
        import pyotp

        values.update(totp_secret=pyotp.random_base32(), totp_enabled_at=now())
    user = User(**values)
    db.session.add(user)
    db.session.flush()
    if role in ("owner", "member"):
        org = organisation or make_provider()
        db.session.add(Membership(organisation_id=org.id, user_id=user.id,
                                  role="owner" if role == "owner" else "staff"))
        db.session.flush()
        db.session.refresh(user)
    return user


def sign_in(client, user) -> str:
    """Sign `user` in on `client` without the form (and so without a second factor): a server-side
    session row and the cookie that names it. Returns the session token."""
    import secrets

    from app.accounts.models import UserSession
    from app.accounts.sessions import token_hash

    token = secrets.token_urlsafe(32)
    db.session.add(UserSession(token_hash=token_hash(token), user_id=user.id))
    db.session.flush()
    with client.session_transaction() as sess:
        sess["_user_id"] = token
        sess["_fresh"] = True
    return token


def signed_in(app, user):
    """A client of its own (see make_client) with `user` signed in."""
    client = make_client(app)
    sign_in(client, user)
    return client


def finish_session(session: CourseSession) -> CourseSession:
    """Move a session so that its last day ended an hour ago (certificates are issued only then)."""
    length = session.ends_at - session.starts_at
    session.ends_at = now() - timedelta(hours=1)
    session.starts_at = session.ends_at - length
    db.session.flush()  # its days follow (app.catalog.session_days)
    return session
