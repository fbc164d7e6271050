"""One SQL aggregation (GROUP BY) per figure. Every function returns plain lists of values (JSON-ready, so a
figure's rows can be cached), never ORM objects, and runs one statement whatever the data size.

Exchange figures count approved exchanges only, narrowed by every exchange-list filter (the approval filter
is ignored). Certificate, enrolment and learner figures take from the same filters what applies to them: the
dates (issue date; session start date), skill areas (of the course) and organisations (the provider).
"""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa

from app.accounts.models import User
from app.catalog.models import Course, CourseSession, SkillArea, course_skill_area
from app.certifications.models import CertificateStatus, Certification
from app.enrolment.models import Enrolment, EnrolmentStatus
from app.exchanges.filters import ExchangeFilters, apply_filters
from app.exchanges.models import Approval, Exchange, exchange_skill
from app.i18n.countries import EU_EEA
from app.platform.extensions import db
from app.providers.models import Organisation

EXPIRING_DAYS = 90
PERIODS = ("year", "quarter")


def _plain(value):
    """PostgreSQL sums integers to NUMERIC: back to int, so rows are JSON-ready and compare equal."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _rows(stmt) -> list[list]:
    return [[_plain(v) for v in row] for row in db.session.execute(stmt).all()]


# Exchanges ---------------------------------------------------------------------------------------------

def _approved(stmt: sa.Select, filters: ExchangeFilters) -> sa.Select:
    stmt = stmt.where(Exchange.approval == Approval.APPROVED)
    return apply_filters(stmt, filters.replace(approvals=()))


_COUNT = sa.func.count(Exchange.id)
_DAYS = sa.func.coalesce(sa.func.sum(Exchange.duration_days), 0)


def exchanges_by_period(filters: ExchangeFilters, period: str = "year") -> list[list]:
    """[year, quarter (None by year), direction, exchanges, participant-days], oldest first."""
    year = sa.cast(sa.extract("year", Exchange.starts_on), sa.Integer).label("year")
    if period == "quarter":
        # Constants as literals, not parameters: PostgreSQL matches the GROUP BY expression to the selected
        # one only when both are written identically.
        month = sa.cast(sa.extract("month", Exchange.starts_on), sa.Integer)
        quarter = sa.cast((month + sa.literal_column("2")) // sa.literal_column("3"), sa.Integer).label("quarter")
        groups = (year, quarter, Exchange.direction)
    else:
        quarter = sa.null().label("quarter")
        groups = (year, Exchange.direction)
    stmt = sa.select(year, quarter, Exchange.direction, _COUNT, _DAYS)
    stmt = _approved(stmt, filters).group_by(*groups).order_by(*groups)
    return [[y, q, str(d), n, days] for y, q, d, n, days in _rows(stmt)]


def exchanges_by_skill(filters: ExchangeFilters) -> list[list]:
    """[code, name_en, name_ja, exchanges, participant-days]: an exchange counts in each of its skill areas."""
    stmt = (sa.select(SkillArea.code, SkillArea.name_en, SkillArea.name_ja, _COUNT, _DAYS)
            .select_from(Exchange)
            .join(exchange_skill, exchange_skill.c.exchange_id == Exchange.id)
            .join(SkillArea, SkillArea.id == exchange_skill.c.skill_area_id))
    if filters.skills:
        stmt = stmt.where(SkillArea.code.in_(filters.skills))
    stmt = _approved(stmt, filters).group_by(SkillArea.id, SkillArea.code, SkillArea.name_en, SkillArea.name_ja,
                                             SkillArea.position)
    return _rows(stmt.order_by(_COUNT.desc(), SkillArea.position))


def exchanges_by_country_pair(filters: ExchangeFilters, limit: int | None = None) -> list[list]:
    """[sending country, receiving country, exchanges, participant-days], most exchanges first."""
    stmt = sa.select(Exchange.sending_country, Exchange.receiving_country, _COUNT, _DAYS)
    stmt = _approved(stmt, filters).group_by(Exchange.sending_country, Exchange.receiving_country)
    stmt = stmt.order_by(_COUNT.desc(), Exchange.sending_country, Exchange.receiving_country)
    return _rows(stmt.limit(limit) if limit else stmt)


def exchanges_by_area(filters: ExchangeFilters) -> list[list]:
    """[cooperation area, exchanges, participant-days]."""
    stmt = sa.select(Exchange.cooperation_area, _COUNT, _DAYS)
    stmt = _approved(stmt, filters).group_by(Exchange.cooperation_area).order_by(_COUNT.desc(),
                                                                                 Exchange.cooperation_area)
    return [[str(a), n, days] for a, n, days in _rows(stmt)]


# Certificates ------------------------------------------------------------------------------------------

def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _course_scope(stmt: sa.Select, filters: ExchangeFilters, course_id, provider_id) -> sa.Select:
    """Skill areas (of the course) and organisations (the provider) from the report filters."""
    if filters.skills:
        stmt = stmt.where(sa.exists(
            sa.select(course_skill_area.c.course_id)
            .join(SkillArea, SkillArea.id == course_skill_area.c.skill_area_id)
            .where(course_skill_area.c.course_id == course_id, SkillArea.code.in_(filters.skills))))
    if filters.org_ids:
        stmt = stmt.where(provider_id.in_(filters.org_ids))
    return stmt


def _sum_if(condition) -> sa.ColumnElement:
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


def certificates_by(dimension: str, filters: ExchangeFilters, now: datetime,
                    limit: int | None = None) -> list[list]:
    """[key, name_en, name_ja, issued, active, expiring within 90 days, revoked] by "skill" or "provider".

    Issued counts the certificates issued in the date range (all when none); the other columns are their
    state now. A certificate counts in each skill area of its course."""
    revoked = Certification.status == CertificateStatus.REVOKED
    active = sa.and_(Certification.status == CertificateStatus.ACTIVE,
                     sa.or_(Certification.expires_at.is_(None), Certification.expires_at > now))
    expiring = sa.and_(active, Certification.expires_at <= now + timedelta(days=EXPIRING_DAYS))
    issued = sa.func.count(Certification.id)
    measures = (issued, _sum_if(active), _sum_if(expiring), _sum_if(revoked))
    if dimension == "skill":
        keys = (SkillArea.code, SkillArea.name_en, SkillArea.name_ja)
        stmt = (sa.select(*keys, *measures).select_from(Certification)
                .join(course_skill_area, course_skill_area.c.course_id == Certification.course_id)
                .join(SkillArea, SkillArea.id == course_skill_area.c.skill_area_id))
        if filters.skills:
            stmt = stmt.where(SkillArea.code.in_(filters.skills))
        group = (SkillArea.id, *keys, SkillArea.position)
        tie = SkillArea.position
    else:
        keys = (Organisation.id, Organisation.name_en, Organisation.name_ja)
        stmt = (sa.select(*keys, *measures).select_from(Certification)
                .join(Organisation, Organisation.id == Certification.organisation_id))
        group, tie = keys, Organisation.id
    if filters.date_from:
        stmt = stmt.where(Certification.issued_at >= _day_start(filters.date_from))
    if filters.date_to:
        stmt = stmt.where(Certification.issued_at < _day_start(filters.date_to + timedelta(days=1)))
    stmt = _course_scope(stmt, filters, Certification.course_id, Certification.organisation_id)
    stmt = stmt.group_by(*group).order_by(issued.desc(), tie)
    return _rows(stmt.limit(limit) if limit else stmt)


# Enrolments --------------------------------------------------------------------------------------------

def _per_session():
    """Each session's enrolments, seats held (confirmed or completed) and outcomes: the enrolment table is
    grouped once by session, so a session's capacity is never counted once per enrolment."""
    e = Enrolment.status
    return (sa.select(
        Enrolment.session_id.label("session_id"),
        _sum_if(e.not_in((EnrolmentStatus.CANCELLED, EnrolmentStatus.DECLINED))).label("enrolments"),
        _sum_if(e.in_((EnrolmentStatus.CONFIRMED, EnrolmentStatus.COMPLETED))).label("seated"),
        _sum_if(e == EnrolmentStatus.COMPLETED).label("completed"),
        _sum_if(e == EnrolmentStatus.NOT_COMPLETED).label("not_completed"),
    ).group_by(Enrolment.session_id).subquery("per_session"))


def enrolments_by(dimension: str, filters: ExchangeFilters, limit: int | None = None) -> list[list]:
    """[key, name_en, name_ja, enrolments, seats held in scheduled sessions, capacity of scheduled sessions,
    completed, not completed] by "course", "provider" or "skill", most enrolments first.

    Enrolments leave out cancelled and declined ones. Fill rate = seats held / capacity (scheduled sessions
    only); completion rate = completed / (completed + not completed)."""
    per = _per_session()
    scheduled = CourseSession.status == "scheduled"
    enrolments = sa.func.coalesce(sa.func.sum(per.c.enrolments), 0)
    measures = (
        enrolments,
        sa.func.coalesce(sa.func.sum(sa.case((scheduled, per.c.seated), else_=0)), 0),
        sa.func.coalesce(sa.func.sum(sa.case((scheduled, CourseSession.capacity), else_=0)), 0),
        sa.func.coalesce(sa.func.sum(per.c.completed), 0),
        sa.func.coalesce(sa.func.sum(per.c.not_completed), 0),
    )
    base = (sa.select().select_from(CourseSession)
            .outerjoin(per, per.c.session_id == CourseSession.id)
            .join(Course, Course.id == CourseSession.course_id))
    if dimension == "course":
        keys = (Course.id, Course.title_en, Course.title_ja)
        tie = Course.id
    elif dimension == "provider":
        base = base.join(Organisation, Organisation.id == Course.provider_id)
        keys = (Organisation.id, Organisation.name_en, Organisation.name_ja)
        tie = Organisation.id
    else:
        base = (base.join(course_skill_area, course_skill_area.c.course_id == Course.id)
                .join(SkillArea, SkillArea.id == course_skill_area.c.skill_area_id))
        if filters.skills:
            base = base.where(SkillArea.code.in_(filters.skills))
        keys = (SkillArea.code, SkillArea.name_en, SkillArea.name_ja)
        tie = SkillArea.position
    stmt = base.add_columns(*keys, *measures)
    stmt = _session_dates(stmt, filters)
    stmt = _course_scope(stmt, filters, Course.id, Course.provider_id)
    group = (*keys, tie) if dimension == "skill" else keys
    stmt = stmt.group_by(*group).order_by(enrolments.desc(), tie)
    return _rows(stmt.limit(limit) if limit else stmt)


def _session_dates(stmt: sa.Select, filters: ExchangeFilters) -> sa.Select:
    if filters.date_from:
        stmt = stmt.where(CourseSession.starts_on >= filters.date_from)
    if filters.date_to:
        stmt = stmt.where(CourseSession.starts_on <= filters.date_to)
    return stmt


# Learners ----------------------------------------------------------------------------------------------

def region_case(country) -> sa.ColumnElement:
    """app.i18n.countries.region_of, in SQL."""
    def quoted(text: str):  # constants as literals, so GROUP BY repeats the selected expression exactly
        return sa.literal_column(f"'{text}'", sa.String)

    return sa.case((country == quoted("JP"), quoted("japan")),
                   (country.in_([quoted(code) for code in sorted(EU_EEA)]), quoted("eu_eea")),
                   else_=quoted("other"))


def learners_by(dimension: str, filters: ExchangeFilters, limit: int | None = None) -> list[list]:
    """[region or country, learners]: accounts with at least one enrolment (in a session in the date range,
    of a course in the skill areas and of the providers filtered on), by "region" or "country"."""
    learners = sa.func.count(sa.distinct(Enrolment.learner_id))
    key = region_case(User.country) if dimension == "region" else User.country
    key = key.label("key")
    stmt = (sa.select(key, learners).select_from(Enrolment)
            .join(User, User.id == Enrolment.learner_id))
    if filters.date_from or filters.date_to or filters.skills or filters.org_ids:
        stmt = stmt.join(CourseSession, CourseSession.id == Enrolment.session_id).join(
            Course, Course.id == CourseSession.course_id)
        stmt = _course_scope(_session_dates(stmt, filters), filters, Course.id, Course.provider_id)
    stmt = stmt.group_by(key).order_by(learners.desc(), key)
    return _rows(stmt.limit(limit) if limit else stmt)
