"""Open figures: a few aggregate counts for the public home page, with no personal data.

One SQL statement returns every figure. Counts of people (exchanges, one participant each; certificates, one
holder each) from 1 to 4 are never returned: they come back as None, which the page shows as "fewer than 5".
No total across the directions is given, so a hidden cell cannot be worked out by subtraction; for the same
reason only the certificates issued are counted (issued minus valid would reveal the few revoked or expired).
Courses are not people, and the home page already gives the exact number of courses, so their count is exact.

The home page is served from the shared page cache, so these figures may be up to PAGE_CACHE_SECONDS old.
"""
from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa

from app.catalog.models import Course, CourseSession, CourseStatus, SessionStatus
from app.certifications.models import Certification
from app.exchanges.models import Approval, Direction, Exchange
from app.platform.extensions import db

SMALLEST_SHOWN = 5  # counts of people from 1 to SMALLEST_SHOWN - 1 are suppressed
DIRECTIONS = (Direction.EU_TO_JP, Direction.JP_TO_EU, Direction.WITHIN_EU, Direction.WITHIN_JP, Direction.OTHER)


def suppress(count: int) -> int | None:
    """The count when it may be shown (0, or SMALLEST_SHOWN and more); None for a small cell."""
    return None if 0 < count < SMALLEST_SHOWN else count


def _count_if(condition) -> sa.ColumnElement:
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


def _counts(year: int, now: datetime) -> dict:
    """The exact counts, in one statement. Never leaves this module unsuppressed."""
    certificates = sa.select(sa.func.count(Certification.id)).scalar_subquery()
    upcoming = sa.exists().where(CourseSession.course_id == Course.id,
                                 CourseSession.status == SessionStatus.SCHEDULED,
                                 CourseSession.starts_at >= now)
    courses = (sa.select(sa.func.count(Course.id))
               .where(Course.status == CourseStatus.PUBLISHED, upcoming).scalar_subquery())
    stmt = (sa.select(*(_count_if(Exchange.direction == d) for d in DIRECTIONS), certificates, courses)
            .select_from(Exchange)
            .where(Exchange.approval == Approval.APPROVED,
                   Exchange.starts_on >= date(year, 1, 1), Exchange.starts_on <= date(year, 12, 31)))
    *by_direction, issued, available = (int(v or 0) for v in db.session.execute(stmt).one())
    return {"exchanges": dict(zip([str(d) for d in DIRECTIONS], by_direction)),
            "certificates_issued": issued, "courses_available": available}


def open_figures(year: int, now: datetime | None = None) -> dict:
    """{"year", "exchanges": [(direction, count or None)] in a fixed order, "certificates_issued": count or None,
    "courses_available": count}.

    Exchanges: approved ones starting in `year`, by direction. Certificates: all ever issued (revoked and
    expired included; a renewal is a certificate too). Courses: published ones with a scheduled session
    still to start. None means 1 to 4: show "fewer than 5", never the number.
    """
    now = now or datetime.now(UTC)
    counts = _counts(year, now)
    return {
        "year": year,
        "exchanges": [(direction, suppress(n)) for direction, n in counts["exchanges"].items()],
        "certificates_issued": suppress(counts["certificates_issued"]),
        "courses_available": counts["courses_available"],
    }
