"""A small known dataset for the reports: exchanges, courses with sessions, enrolments and certificates."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from app.certifications.models import Certification
from app.enrolment.models import Enrolment
from app.exchanges import services
from app.platform.extensions import db
from tests.factories import make_course, make_provider, make_session, make_user, now, skill

YEAR = date.today().year


@pytest.fixture(autouse=True)
def no_report_cache(app, monkeypatch):
    """Figures computed afresh on every request (the cache is tested on its own)."""
    monkeypatch.setitem(app.config, "REPORTS_CACHE_SECONDS", 0)


@dataclass
class Orgs:
    de: object
    fr: object
    jp: object


def exchange(sending, receiving, start: date, days: int, *, area="recycling", skills=(), approved=True, staff=None,
             **kw):
    values = dict(participant_name_native="山田太郎", participant_name_latin="Yamada Taro", participant_type="learner",
                  sending_org_id=sending.id, sending_country=sending.country, receiving_org_id=receiving.id,
                  receiving_country=receiving.country, activity_type="placement", cooperation_area=area,
                  starts_on=start, ends_on=start + timedelta(days=days - 1), status="completed")
    values.update(kw)
    return services.create(values, skill_areas=[skill(code) for code in skills],
                           approved_by=staff if approved else None, audit=False)


@pytest.fixture
def orgs(db_session) -> Orgs:
    return Orgs(de=make_provider(country="DE", name_en="Berlin Battery Academy", name_ja="ベルリン電池アカデミー"),
                fr=make_provider(country="FR", name_en="Lyon Cells", name_ja=None),
                jp=make_provider(country="JP", name_en=None, name_ja="神戸電池研修センター", city="Kobe"))


@pytest.fixture
def exchanges(orgs):
    """Approved: JP→DE 10 days (Q1), JP→FR 5 days (Q2), DE→JP 3 days (Q2), FR→DE 4 days (Q3), and DE→JP 2 days
    last year (Q4). Not counted: one submitted, one rejected."""
    staff = make_user("staff")
    o = orgs
    made = [
        exchange(o.jp, o.de, date(YEAR, 2, 1), 10, skills=("recycling",), staff=staff),
        exchange(o.jp, o.fr, date(YEAR, 5, 1), 5, skills=("recycling", "safety"), staff=staff),
        exchange(o.de, o.jp, date(YEAR, 4, 10), 3, area="data-sharing", skills=("data-passport",), staff=staff),
        exchange(o.fr, o.de, date(YEAR, 8, 1), 4, area="joint-events", staff=staff),
        exchange(o.de, o.jp, date(YEAR - 1, 11, 1), 2, area="human-resources", staff=staff),
        exchange(o.jp, o.de, date(YEAR, 3, 1), 20, approved=False),
    ]
    rejected = exchange(o.de, o.fr, date(YEAR, 7, 1), 1, area="joint-events", approved=False)
    services.reject(rejected, staff, "Not an exchange")
    db.session.flush()
    return made


@pytest.fixture
def training(orgs):
    """Course C1 (recycling, Berlin) with a scheduled session of 10 seats and a completed one of 5; course C2
    (safety + recycling, Kobe) with a scheduled session of 20 seats. Learners from JP, DE, US and FR."""
    c1 = make_course(orgs.de, skills=("recycling",), title_en="Black mass basics", title_ja="ブラックマス入門",
                     sessions=[make_session(days_ahead=20, capacity=10),
                               make_session(days_ahead=-20, capacity=5, status="completed")])
    c2 = make_course(orgs.jp, skills=("safety", "recycling"), title_en=None, title_ja="熱暴走の安全対策",
                     sessions=[make_session(days_ahead=40, capacity=20)])
    learners = {c: make_user(country=c) for c in ("JP", "DE", "US", "FR")}
    s1, s2 = c1.sessions
    (s3,) = c2.sessions
    plan = [(s1, "JP", "confirmed"), (s1, "DE", "waitlisted"), (s1, "US", "cancelled"), (s1, "FR", "pending"),
            (s2, "JP", "completed"), (s2, "DE", "not_completed"), (s2, "US", "completed"),
            (s3, "FR", "confirmed"), (s3, "DE", "declined")]
    db.session.add_all(Enrolment(session_id=s.id, learner_id=learners[c].id, status=st) for s, c, st in plan)
    t = now()
    certs = [(c1, "active", None), (c1, "active", t + timedelta(days=30)), (c1, "active", t - timedelta(days=1)),
             (c2, "revoked", None), (c2, "active", t + timedelta(days=200))]
    db.session.add_all(
        Certification(public_id=secrets.token_urlsafe(24), course_id=course.id, organisation_id=course.provider_id,
                      learner_id=learners["JP"].id, type="completion", status=status, issued_at=t - timedelta(days=3),
                      expires_at=expires, facts={})
        for course, status, expires in certs)
    db.session.flush()
    return c1, c2
