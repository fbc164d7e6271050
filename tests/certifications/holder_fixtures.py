"""Certificates made directly (no enrolment flow) for the holder's pages and the verification page."""
from __future__ import annotations

import itertools
import secrets
from datetime import UTC, datetime, timedelta

import pytest

from app.certifications.models import Certification
from app.certifications.services import facts_of, new_public_id
from app.platform.extensions import db
from tests.factories import make_client, make_course, make_provider, make_session_at, make_user

START = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)  # 09:00 in Berlin, 17:00 in Tokyo
TITLE_JA = "リチウムイオン電池の安全な取扱い"
TITLE_EN = "Safe handling of lithium-ion batteries"
_seq = itertools.count(1)


def make_holder(**kw):
    values = dict(family_name="山田", given_name="花子", family_name_latin="Yamada", given_name_latin="Hanako",
                  name_order="family_first", country="PL", employer="Acme Cells Sp. z o.o.",
                  email=f"hanako.private{next(_seq)}@example.org")
    values.update(kw)
    return make_user(**values)


def make_certificate(learner=None, *, public: bool = True, kind: str = "completion", issued_at=None,
                     expires_at=None, course=None, tz: str = "Asia/Tokyo", **kw) -> Certification:
    if course is None:
        provider = make_provider(name_en="Kansai Battery Academy", name_ja="関西電池アカデミー", country="JP",
                                 city="Osaka")
        course = make_course(provider, skills=("safety",), sessions=[], certification=kind, eqf_level=4,
                             duration_hours=16, title_en=TITLE_EN, title_ja=TITLE_JA)
    session = course.sessions[0] if course.sessions else make_session_at(
        course, START, hours=8, tz=tz, venue_country="JP", venue_city="Osaka")
    issued_at = issued_at or datetime.now(UTC) - timedelta(days=30)
    cert = Certification(
        public_id=new_public_id(), learner_id=(learner or make_holder()).id, course_id=course.id,
        session_id=session.id, organisation_id=course.provider_id, type=kind, issued_at=issued_at,
        expires_at=expires_at, facts=facts_of(course, session), public=public,
        public_since=issued_at if public else None, **kw)
    db.session.add(cert)
    db.session.flush()
    return cert


@pytest.fixture
def client(app):
    """A client with an address of its own: verification lookups are counted per address, in Redis
    across tests (and runs) when REDIS_URL is set."""
    c = make_client(app)
    c.environ_base["REMOTE_ADDR"] = "10." + ".".join(str(secrets.randbelow(250) + 1) for _ in range(3))
    return c
