"""Provider onboarding and members: applying, deciding on an application, adding and removing members.

Writes flush, never commit; a broken rule raises ProviderError with a message for the person.
The few reads the onboarding and members views need sit at the end (reads of one person's own rows).
"""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from app.accounts.models import AccountStatus, User
from app.accounts.sessions import sign_in_again_for_new_role
from app.audit.services import record
from app.platform.database import utcnow
from app.platform.domain import DomainError
from app.platform.extensions import db
from app.providers.models import (
    ApplicationStatus,
    MemberRole,
    Membership,
    Organisation,
    OrganisationKind,
    ProviderApplication,
)
from app.providers.signals import directory_changed

APPLICATION_FIELDS = ("kind", "name_en", "name_ja", "name_reading", "description_en", "description_ja", "country",
                      "city_en", "city_ja", "website")


class ProviderError(DomainError):
    """A broken rule about organisations and their members."""


# --- applications -------------------------------------------------------------------------------------


def open_application(user: User) -> ProviderApplication | None:
    return db.session.scalars(
        sa.select(ProviderApplication)
        .where(ProviderApplication.applicant_id == user.id,
               ProviderApplication.status == ApplicationStatus.SUBMITTED)
        .limit(1)
    ).first()


def submit_application(user: User, **values) -> ProviderApplication:
    """A new application by `user`; only one may be open (submitted) at a time."""
    if open_application(user) is not None:
        raise ProviderError(_l("You already have an application waiting for review."))
    data = {key: (values.get(key) or None) for key in APPLICATION_FIELDS}
    if not (data["name_en"] or data["name_ja"]):
        raise ProviderError(_l("Give the organisation's name in English or Japanese."))
    data["kind"] = OrganisationKind(data["kind"] or OrganisationKind.TRAINING_PROVIDER)
    application = ProviderApplication(applicant_id=user.id, status=ApplicationStatus.SUBMITTED, **data)
    db.session.add(application)
    db.session.flush()
    record("provider_application.submit", "provider_application", application.id,
           detail={"name_en": data["name_en"], "name_ja": data["name_ja"]})
    return application


def _check_open(application: ProviderApplication) -> None:
    if application.status != ApplicationStatus.SUBMITTED:
        raise ProviderError(_l("This application has already been decided."))


def approve_application(application: ProviderApplication, reviewer: User, comment: str | None = None) -> Organisation:
    """Create the organisation (verified), make the applicant its owner, link it to the application."""
    _check_open(application)
    applicant = application.applicant
    if applicant is None or applicant.status != AccountStatus.ACTIVE:
        raise ProviderError(_l("The applicant's account is no longer active; reject the application instead."))
    org = Organisation(
        kind=application.kind, name_en=application.name_en, name_ja=application.name_ja,
        name_reading=application.name_reading,
        description_en=application.description_en, description_ja=application.description_ja,
        country=application.country, city_en=application.city_en, city_ja=application.city_ja,
        website=application.website, verified=True,
    )
    db.session.add(org)
    db.session.flush()
    db.session.add(Membership(organisation_id=org.id, user_id=applicant.id, role=MemberRole.OWNER))
    # Owners sign in with a second factor: one they have not set up yet is asked for at the next sign-in.
    sign_in_again_for_new_role(applicant)
    _decide(application, reviewer, ApplicationStatus.APPROVED, comment)
    application.organisation_id = org.id
    db.session.flush()
    db.session.expire(applicant, ["memberships"])
    directory_changed.send(org)  # the provider directory is cached with the catalogue
    record("organisation.create", "organisation", org.id, organisation_id=org.id,
           detail={"application": application.id})
    record("membership.add", "membership", f"{org.id}:{applicant.id}", organisation_id=org.id,
           detail={"user": applicant.id, "role": MemberRole.OWNER.value})
    record("provider_application.approve", "provider_application", application.id, organisation_id=org.id,
           detail={"comment": comment} if comment else None)
    return org


def reject_application(application: ProviderApplication, reviewer: User, comment: str) -> None:
    _check_open(application)
    if not (comment or "").strip():
        raise ProviderError(_l("Give the applicant a reason for the rejection."))
    _decide(application, reviewer, ApplicationStatus.REJECTED, comment.strip())
    db.session.flush()
    record("provider_application.reject", "provider_application", application.id,
           detail={"comment": comment.strip()})


def _decide(application: ProviderApplication, reviewer: User, status: ApplicationStatus, comment) -> None:
    # A conditional update: two reviewers deciding at once cannot both succeed.
    changed = db.session.execute(
        sa.update(ProviderApplication)
        .where(ProviderApplication.id == application.id,
               ProviderApplication.status == ApplicationStatus.SUBMITTED)
        .values(status=status, review_comment=comment or None, reviewer_id=reviewer.id, reviewed_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        raise ProviderError(_l("This application has already been decided."))
    db.session.refresh(application, ["status", "review_comment", "reviewer_id", "reviewed_at"])


# --- members ------------------------------------------------------------------------------------------


def remove_member(org: Organisation, user_id: int) -> None:
    """Remove a member; an organisation always keeps at least one owner."""
    membership = db.session.get(Membership, (org.id, user_id))
    if membership is None:
        raise ProviderError(_l("That person is not a member of this organisation."))
    if membership.role == MemberRole.OWNER:
        owners = db.session.scalar(
            sa.select(sa.func.count()).select_from(Membership).where(
                Membership.organisation_id == org.id, Membership.role == MemberRole.OWNER)
        )
        if owners <= 1:
            raise ProviderError(_l("An organisation needs at least one owner: the last owner cannot be removed."))
    role = membership.role.value
    db.session.delete(membership)
    db.session.flush()
    record("membership.remove", "membership", f"{org.id}:{user_id}", organisation_id=org.id,
           detail={"user": user_id, "role": role})


# --- reads for the onboarding and members pages ---------------------------------------------------------


def applications_of(user: User) -> list[ProviderApplication]:
    return list(db.session.scalars(
        sa.select(ProviderApplication)
        .where(ProviderApplication.applicant_id == user.id)
        .options(selectinload(ProviderApplication.organisation))
        .order_by(ProviderApplication.created_at.desc(), ProviderApplication.id.desc())
    ))


def organisations_of(user: User) -> list[tuple[Organisation, MemberRole]]:
    rows = db.session.execute(
        sa.select(Organisation, Membership.role)
        .join(Membership, Membership.organisation_id == Organisation.id)
        .where(Membership.user_id == user.id)
        .order_by(Organisation.id)
    ).all()
    return [(org, role) for org, role in rows]


def members_of(org_id: int) -> list[Membership]:
    return list(db.session.scalars(
        sa.select(Membership)
        .where(Membership.organisation_id == org_id)
        .options(selectinload(Membership.user))
        .order_by(Membership.role, Membership.created_at, Membership.user_id)
    ))
