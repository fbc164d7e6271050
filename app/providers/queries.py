"""Provider reads: the directory, one profile, names for filter labels."""
from __future__ import annotations

import sqlalchemy as sa
from flask import g

from app.catalog.models import Course, CourseStatus
from app.platform.extensions import db
from app.i18n.reading import organisation_order
from app.providers.models import Organisation, OrganisationKind


def provider_names(ids) -> dict[int, sa.Row]:
    """id -> (id, name_en, name_ja, name_reading) rows, for filter labels (sorted by reading on /ja/): plain
    rows, no ORM objects to build."""
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(Organisation.id, Organisation.name_en, Organisation.name_ja, Organisation.name_reading).where(
            Organisation.id.in_(list(ids))
        )
    )
    return {row.id: row for row in rows}


def list_providers(country: str | None = None) -> sa.Select:
    """Training providers with their published-course counts, for db.paginate (one row per provider)."""
    counts = (
        sa.select(Course.provider_id, sa.func.count().label("n"))
        .where(Course.status == CourseStatus.PUBLISHED)
        .group_by(Course.provider_id)
        .subquery()
    )
    stmt = (
        sa.select(Organisation, sa.func.coalesce(counts.c.n, 0).label("courses"))
        .outerjoin(counts, counts.c.provider_id == Organisation.id)
        .where(Organisation.kind == OrganisationKind.TRAINING_PROVIDER)
        .order_by(*organisation_order(Organisation, g.get("lang") or "en"))
    )
    if country:
        stmt = stmt.where(Organisation.country == country)
    return stmt


def provider_countries() -> list[str]:
    return list(
        db.session.scalars(
            sa.select(Organisation.country)
            .where(Organisation.kind == OrganisationKind.TRAINING_PROVIDER)
            .distinct()
            .order_by(Organisation.country)
        )
    )


def get_provider(provider_id: int) -> Organisation | None:
    return db.session.scalars(
        sa.select(Organisation).where(
            Organisation.id == provider_id, Organisation.kind == OrganisationKind.TRAINING_PROVIDER
        )
    ).first()


def published_course_ids(provider_id: int) -> list[int]:
    return list(
        db.session.scalars(
            sa.select(Course.id)
            .where(Course.provider_id == provider_id, Course.status == CourseStatus.PUBLISHED)
            .order_by(Course.published_at.desc(), Course.id.desc())
        )
    )
