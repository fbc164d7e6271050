"""Reads for the exchange pages: lists with their relations loaded eagerly, one record, form choices."""
from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from flask import g
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import AccountStatus, User
from app.catalog.models import Course, CourseStatus, SkillArea
from app.certifications.models import Certification
from app.exchanges.filters import ExchangeFilters, apply_filters
from app.exchanges.models import Approval, Exchange, ExchangeImport
from app.i18n.reading import organisation_key
from app.platform.extensions import db
from app.providers.models import Organisation

# Records per page of the exchange lists (staff, provider, API).
PER_PAGE = 25


def _eager(stmt: sa.Select) -> sa.Select:
    return stmt.options(
        joinedload(Exchange.participant),
        joinedload(Exchange.sending_org),
        joinedload(Exchange.receiving_org),
        selectinload(Exchange.skill_areas),
    )


def list_exchanges(filters: ExchangeFilters, org_ids: list[int] | None = None) -> sa.Select:
    """Exchanges matching `filters`, newest start first; only those recorded for `org_ids` when given."""
    stmt = filtered(sa.select(Exchange), filters, org_ids)
    return _eager(stmt).order_by(Exchange.starts_on.desc(), Exchange.id.desc())


def filtered(stmt: sa.Select, filters: ExchangeFilters, org_ids: list[int] | None = None) -> sa.Select:
    """`stmt` over Exchange narrowed by the filters and, when given, to records recorded for `org_ids`."""
    if org_ids is not None:
        stmt = stmt.where(Exchange.recorded_for_org_id.in_(org_ids or [-1]))
    return apply_filters(stmt, filters)


def get_exchange(exchange_id: int) -> Exchange | None:
    stmt = _eager(sa.select(Exchange).where(Exchange.id == exchange_id)).options(
        joinedload(Exchange.course), selectinload(Exchange.certifications))
    return db.session.scalars(stmt).unique().first()


def get_import(token: str) -> ExchangeImport | None:
    """The import preview kept under `token` (43 characters; any other string finds nothing)."""
    if len(token) != 43:
        return None
    return db.session.scalars(sa.select(ExchangeImport).where(ExchangeImport.token == token)).one_or_none()


def organisations() -> list[Organisation]:
    """Every organisation, for the sending/receiving select boxes, by name."""
    orgs = db.session.scalars(sa.select(Organisation)).all()
    lang = g.get("lang") or "en"
    return sorted(orgs, key=lambda o: organisation_key(o, lang))


def organisations_by_id(ids) -> dict[int, Organisation]:
    ids = [i for i in ids if i]
    if not ids:
        return {}
    return {o.id: o for o in db.session.scalars(sa.select(Organisation).where(Organisation.id.in_(ids)))}


def skill_areas() -> list[SkillArea]:
    return list(db.session.scalars(sa.select(SkillArea).order_by(SkillArea.position, SkillArea.id)))


def user_by_email(email: str) -> User | None:
    from app.accounts.services import email_key

    return db.session.scalars(sa.select(User).where(User.email_key == email_key(email),
                                                    User.status != AccountStatus.DELETED)).first()


def known_participant(email: str, org_ids: list[int], keep_user_id: int | None = None) -> User | None:
    """The account with this address, only if one of `org_ids` already knows the person: a member, or a
    learner of its courses who consents to sharing with providers (or the participant already on the record
    being edited). Anyone else is None, like an address without an account."""
    from app.accounts.models import Consent, ConsentKind
    from app.catalog.models import CourseSession
    from app.enrolment.models import Enrolment
    from app.providers.models import Membership

    user = user_by_email(email)
    if user is None or not org_ids:
        return user if user is not None and user.id == keep_user_id else None
    member = sa.select(Membership.user_id).where(Membership.user_id == user.id,
                                                 Membership.organisation_id.in_(org_ids))
    learner = (
        sa.select(Enrolment.learner_id)
        .join(CourseSession, CourseSession.id == Enrolment.session_id)
        .join(Course, Course.id == CourseSession.course_id)
        .where(Enrolment.learner_id == user.id, Course.provider_id.in_(org_ids),
               sa.exists().where(Consent.user_id == user.id, Consent.withdrawn_at.is_(None),
                                 Consent.kind == ConsentKind.SHARE_WITH_PROVIDERS))
    )
    known = db.session.execute(sa.select(sa.or_(sa.exists(member), sa.exists(learner)))).scalar()
    return user if known or user.id == keep_user_id else None


def search_users(text: str, limit: int = 5) -> list[User]:
    """Accounts whose address contains `text` (association staff only): candidates to choose from."""
    needle = unicodedata.normalize("NFKC", text).casefold().strip()
    if len(needle) < 3:
        return []
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return list(db.session.scalars(
        sa.select(User).where(User.email_key.like(f"%{escaped}%", escape="\\"),
                              User.status != AccountStatus.DELETED)
        .order_by(User.email_key).limit(limit)))


def published_course(text: str) -> list[Course]:
    """Published courses named by id or by exact title (English or Japanese)."""
    stmt = sa.select(Course).where(Course.status == CourseStatus.PUBLISHED)
    text = text.strip().lstrip("#")
    if text.isascii() and text.isdigit() and len(text) <= 10:
        return list(db.session.scalars(stmt.where(Course.id == int(text))))
    return list(db.session.scalars(stmt.where(sa.or_(Course.title_en == text, Course.title_ja == text)).limit(5)))


def certifications_by_public_id(public_ids: list[str]) -> list[Certification]:
    if not public_ids:
        return []
    return list(db.session.scalars(sa.select(Certification).where(Certification.public_id.in_(public_ids))))


def approval_counts(filters, org_ids) -> dict[str, int]:
    """How many of the listed records await approval, are approved, rejected (one grouped query)."""
    stmt = filtered(sa.select(Exchange.approval, sa.func.count()), filters, org_ids)
    rows = db.session.execute(stmt.group_by(Exchange.approval)).all()
    counts = {a.value: 0 for a in Approval}
    counts.update({getattr(k, "value", k): n for k, n in rows})
    return counts
