"""Provider reads: one profile, the countries of the directory, names for filter labels."""
from __future__ import annotations

import sqlalchemy as sa

from app.platform.extensions import db
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
