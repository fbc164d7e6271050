"""Reads for the accounts screen of admins: find people, one person, their live sessions."""
from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.accounts.models import AccountStatus, User, UserSession
from app.platform.extensions import db
from app.providers.models import Membership

MAX_TERMS = 5


def _with_memberships(stmt: sa.Select) -> sa.Select:
    return stmt.options(selectinload(User.memberships).joinedload(Membership.organisation))


def search_people(q: str, role: str | None) -> sa.Select:
    """Accounts whose address or name (native, kana or Latin) contains every term of `q`."""
    stmt = _with_memberships(sa.select(User)).order_by(User.email_key.is_(None), User.email_key, User.id)
    columns = (User.email_key, User.family_name, User.given_name, User.family_name_kana, User.given_name_kana,
               User.family_name_latin, User.given_name_latin)
    for term in unicodedata.normalize("NFKC", q).casefold().split()[:MAX_TERMS]:
        stmt = stmt.where(sa.or_(*(sa.func.lower(col).contains(term, autoescape=True) for col in columns)))
    if role == "staff":
        stmt = stmt.where(User.is_staff.is_(True))
    elif role == "admin":
        stmt = stmt.where(User.is_admin.is_(True))
    elif role == "provider":
        stmt = stmt.where(sa.exists().where(Membership.user_id == User.id))
    elif role == "disabled":
        stmt = stmt.where(User.status == AccountStatus.DISABLED)
    return stmt


def get_person(user_id: int) -> User | None:
    return db.session.execute(_with_memberships(sa.select(User).where(User.id == user_id))).scalar_one_or_none()


def live_sessions(user: User) -> int:
    return db.session.execute(
        sa.select(sa.func.count()).select_from(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    ).scalar_one()
