"""What providers add to the account pages below them: who needs a second factor (owners), the memberships
on the account overview, their part of a person's data export, and of deleting the account (an only owner
cannot leave; memberships end)."""
from __future__ import annotations

from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.accounts.permissions import require_second_factor_when
from app.accounts.privacy import export_fields, plain, register_deletion_blocker, register_erasure, register_export
from app.accounts.routes import add_to_overview
from app.accounts.sessions import load_with_user
from app.providers.membership_queries import applications_of, memberships_of, organisations_left_ownerless
from app.providers.permissions import owns_an_organisation


def _memberships(user: User) -> list:
    return [
        {"organisation_id": m.organisation_id, "organisation_name_en": m.organisation.name_en,
         "organisation_name_ja": m.organisation.name_ja, "role": plain(m.role), "since": plain(m.created_at)}
        for m in memberships_of(user.id)
    ]


def _applications(user: User) -> list:
    fields = ("id", "kind", "name_en", "name_ja", "description_en", "description_ja", "country", "city_en", "city_ja",
              "website", "status", "review_comment", "reviewed_at", "organisation_id", "created_at")
    return [export_fields(a, fields) for a in applications_of(user.id)]


def end_memberships(user) -> None:
    user.memberships.clear()  # delete-orphan: the rows go


register_export("memberships", _memberships)
register_export("provider_applications", _applications)
register_deletion_blocker(organisations_left_ownerless)
register_erasure(end_memberships)
require_second_factor_when(owns_an_organisation)
add_to_overview(lambda user: {"memberships": memberships_of(user.id)})
load_with_user(lambda: selectinload(User.memberships))  # every permission check reads them
