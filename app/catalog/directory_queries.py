"""The provider directory's reads that count or list an organisation's published courses."""
from __future__ import annotations

import sqlalchemy as sa
from flask import g

from app.catalog.models import Course, CourseStatus
from app.i18n.reading import organisation_order
from app.platform.extensions import db
from app.providers.models import Organisation, OrganisationKind


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


def published_course_ids(provider_id: int) -> list[int]:
    return list(
        db.session.scalars(
            sa.select(Course.id)
            .where(Course.provider_id == provider_id, Course.status == CourseStatus.PUBLISHED)
            .order_by(Course.published_at.desc(), Course.id.desc())
        )
    )
