"""Organisations that are not training providers (companies, universities, research institutes,
associations), created by association staff so exchanges can name them. Flush, never commit."""
from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from flask import g
from flask_babel import lazy_gettext as _l

from app.audit.services import record
from app.i18n.reading import organisation_order
from app.platform.extensions import db
from app.providers.models import Organisation, OrganisationKind
from app.providers.services import ProviderError

FIELDS = ("kind", "name_en", "name_ja", "name_reading", "country", "city_en", "city_ja", "website")


def name_key(name: str | None) -> str:
    """Names compare however they are typed: width, case, surrounding and repeated spaces."""
    return " ".join(unicodedata.normalize("NFKC", name or "").casefold().split())


def find_duplicate(country: str, names) -> Organisation | None:
    """An organisation in `country` with one of `names` (either language), compared by name_key."""
    keys = {name_key(n) for n in names if n}
    if not keys:
        return None
    for org in db.session.scalars(sa.select(Organisation).where(Organisation.country == country)):
        if keys & {name_key(org.name_en), name_key(org.name_ja)} - {""}:
            return org
    return None


def create_organisation(**values) -> Organisation:
    data = {key: (values.get(key) or None) for key in FIELDS}
    kind = OrganisationKind(data["kind"])
    if kind == OrganisationKind.TRAINING_PROVIDER:
        raise ProviderError(_l("Training providers join through an application, not here."))
    if not (data["name_en"] or data["name_ja"]):
        raise ProviderError(_l("Give the organisation's name in English or Japanese."))
    duplicate = find_duplicate(data["country"], (data["name_en"], data["name_ja"]))
    if duplicate is not None:
        raise ProviderError(_l("An organisation with this name already exists in this country (number %(id)s).",
                               id=duplicate.id))
    org = Organisation(**(data | {"kind": kind}), verified=True)
    db.session.add(org)
    db.session.flush()
    record("organisation.create", "organisation", org.id, organisation_id=org.id,
           detail={"kind": kind.value, "name_en": org.name_en, "name_ja": org.name_ja, "country": org.country})
    return org


def list_organisations(kind: str | None = None) -> sa.Select:
    """Organisations for the staff list (all kinds), by name."""
    stmt = sa.select(Organisation)
    if kind in {k.value for k in OrganisationKind}:
        stmt = stmt.where(Organisation.kind == OrganisationKind(kind))
    return stmt.order_by(*organisation_order(Organisation, g.get("lang") or "en"))
