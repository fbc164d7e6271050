"""`flask seed-demo` makes a believable year: counters equal to real bookings, certificates only for completed
past sessions, exchanges in every direction, and pages that show them (issue 14). One seeding per test, in
the test's rolled-back transaction; the seeding itself must stay fast."""
from __future__ import annotations

import re
import time
from datetime import UTC, date, datetime

import sqlalchemy as sa

from app.accounts.services import find_by_email
from app.catalog.models import Course, CourseSession
from app.certifications.models import Certification
from app.demo.seed import seed
from app.enrolment.models import Enrolment, EnrolmentStatus
from app.exchanges.models import Approval, Direction, Exchange
from app.platform.extensions import db
from app.providers.models import Organisation
from app.reports.open_figures import open_figures
from tests.factories import make_client, sign_in

SECONDS = 20
S = EnrolmentStatus
# The seats app.enrolment.services counts: a request, a confirmed seat, and one whose outcome is recorded.
HOLDS_SEAT = (S.PENDING, S.CONFIRMED, S.COMPLETED, S.NOT_COMPLETED)


def _seed(today: date | None = None) -> float:
    started = time.perf_counter()
    seed(today)
    return time.perf_counter() - started


def test_demo_year_is_true_and_fast(app, db_session):
    took = _seed()
    assert took < SECONDS, f"seed-demo took {took:.1f} s"
    now = datetime.now(UTC)

    held = (sa.select(sa.func.count(Enrolment.id))
            .where(Enrolment.session_id == CourseSession.id, Enrolment.status.in_(HOLDS_SEAT))
            .scalar_subquery())
    wrong = db.session.execute(sa.select(CourseSession.id, CourseSession.seats_taken, held)
                               .where(CourseSession.seats_taken != held)).all()
    assert not wrong, f"seat counters that are not the seats held (id, counter, held): {wrong[:5]}"
    assert db.session.scalar(sa.select(sa.func.count()).where(CourseSession.seats_taken > CourseSession.capacity)) == 0

    statuses = dict(db.session.execute(sa.select(Enrolment.status, sa.func.count()).group_by(Enrolment.status)).all())
    for status in (S.CONFIRMED, S.COMPLETED, S.NOT_COMPLETED, S.CANCELLED, S.WAITLISTED, S.PENDING, S.DECLINED):
        assert statuses.get(status, 0) > 0, f"no {status} enrolment in the demo"
    # Nobody waits for, or holds a seat in, a session that is over.
    stale = db.session.scalar(sa.select(sa.func.count()).select_from(Enrolment).join(CourseSession)
                              .where(CourseSession.ends_at < now, Enrolment.status.in_((S.WAITLISTED, S.PENDING))))
    assert stale == 0

    certificates = db.session.execute(
        sa.select(Certification, Enrolment.status, CourseSession.ends_at)
        .join(Enrolment, Enrolment.id == Certification.enrolment_id)
        .join(CourseSession, CourseSession.id == Certification.session_id)).all()
    assert len(certificates) == db.session.scalar(sa.select(sa.func.count(Certification.id))) > 0
    for certificate, status, ends_at in certificates:
        assert status == S.COMPLETED and ends_at < certificate.issued_at <= now
        assert certificate.session_id is not None and certificate.learner_id is not None

    directions = dict(db.session.execute(
        sa.select(Exchange.direction, sa.func.count()).where(Exchange.approval == Approval.APPROVED)
        .group_by(Exchange.direction)).all())
    for direction in (Direction.EU_TO_JP, Direction.JP_TO_EU, Direction.WITHIN_EU, Direction.WITHIN_JP):
        assert directions.get(direction, 0) > 0, direction
    assert db.session.scalar(sa.select(sa.func.count()).where(Exchange.approval == Approval.SUBMITTED)) > 0

    figures = open_figures(now.year, now)
    for direction, count in figures["exchanges"]:
        if direction != Direction.OTHER:
            assert count is not None and count >= 5, (direction, count)
    assert figures["certificates_issued"] and figures["courses_available"]


def test_demo_pages_show_the_year(app, db_session):
    _seed()
    client = make_client(app)
    home = client.get("/en/").get_data(as_text=True)
    issued = open_figures(date.today().year)["certificates_issued"]
    assert f"{issued:,}" in home

    staff = make_client(app)
    sign_in(staff, find_by_email("staff@example.com"))
    report = staff.get("/en/staff/reports/enrolments-providers.csv")
    assert report.status_code == 200
    numbers = [int(n) for n in re.findall(r",(\d+)(?=,|\r?$)", report.get_data(as_text=True), flags=re.M)]
    assert numbers and max(numbers) > 0

    kobe = db.session.scalar(sa.select(Organisation.id).where(
        Organisation.name_en == "Kobe Battery Recycling Technology Institute"))
    past = db.session.execute(
        sa.select(CourseSession.id).join(Enrolment).join(Course)
        .where(CourseSession.ends_at < datetime.now(UTC), Enrolment.status == S.COMPLETED,
               Course.provider_id == kobe).limit(1)).scalar_one()
    provider = make_client(app)
    sign_in(provider, find_by_email("provider-staff@example.com"))
    roster = provider.get(f"/ja/provider/sessions/{past}/roster").get_data(as_text=True)
    completed = db.session.scalar(sa.select(sa.func.count()).where(Enrolment.session_id == past,
                                                                   Enrolment.status == S.COMPLETED))
    assert roster.count("@example.com") >= completed > 0

    for email, lang in (("learner@example.com", "en"), ("gakusei@example.com", "ja")):
        learner = make_client(app)
        sign_in(learner, find_by_email(email))
        mine = learner.get(f"/{lang}/me/").get_data(as_text=True)
        certificates = learner.get(f"/{lang}/me/certificates/").get_data(as_text=True)
        held = db.session.scalars(sa.select(Certification.public_id).where(
            Certification.learner_id == find_by_email(email).id)).all()
        assert len(held) >= 2 and all(public_id in certificates for public_id in held), email
        assert mine.count("/enrolments/") >= 3, email  # booked, waitlisted, requested: each with its links



def test_priced_demo_courses_state_cancellation_terms(app, db_session):
    _seed()
    priced = db.session.scalars(sa.select(Course).where(Course.price_amount > 0)).all()
    assert priced and all(c.cancel_free_days is not None and c.cancel_fee_percent is not None for c in priced)
    course = priced[0]
    page = make_client(app).get(f"/ja/courses/{course.id}").get_data(as_text=True)
    assert "研修提供機関はキャンセル規定を示していません" not in page
    assert f"{course.cancel_free_days}日前まで" in page
