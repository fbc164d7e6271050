"""Inviting a person to join an organisation as staff, by email address. Flush, never commit.

The owner's page says the same whether or not the address has an account: the invitation is mailed
to the address, and the person joins by following a signed link while signed in with that address
(registering first if they have no account). No table: the link signs the organisation and the address,
and its timestamp makes it expire (INVITATION_LINK_SECONDS)."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeTimedSerializer

from app.accounts.models import AccountStatus, User
from app.accounts.services import email_key, find_by_email
from app.audit.services import record
from app.platform import ratelimit
from app.platform.extensions import db
from app.providers.models import MemberRole, Membership, Organisation
from app.providers.services import ProviderError

# Invitations mailed to one address in an hour (from any organisation), and sent by one organisation.
PER_MAILBOX, PER_ORGANISATION = 3, 50


@dataclass
class Invitation:
    organisation: Organisation
    email_key: str


@dataclass
class Sent:
    to: str  # the address as typed (normalised)
    lang: str | None  # the account's own language, if the address has one; else the caller chooses
    token: str | None  # None when the mailbox had its share this hour: nothing is sent, the answer is the same


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="providers.invitation")


def invite(org: Organisation, email: str) -> Sent:
    """An invitation to `email` to join `org` as staff. Refuses (ProviderError) only what the owner can
    already see: a current member's address, or too many invitations from the organisation."""
    key = email_key(email or "")
    user = find_by_email(key)
    if user is not None and db.session.get(Membership, (org.id, user.id)) is not None:
        raise ProviderError(_l("That person is already a member of this organisation."))
    if not ratelimit.hit(f"invite:org:{org.id}", PER_ORGANISATION, 3600).allowed:
        raise ProviderError(_l("Your organisation has sent many invitations in the last hour. Please try "
                               "again later."))
    record("membership.invite", "organisation", org.id, organisation_id=org.id, detail={"email": key})
    allowed = ratelimit.hit(f"invite:mailbox:{key[:150]}", PER_MAILBOX, 3600).allowed
    token = _serializer().dumps({"o": org.id, "e": key}) if allowed else None
    lang = user.preferred_language if user is not None and user.status == AccountStatus.ACTIVE else None
    return Sent(to=key, lang=lang, token=token)


def load(token: str) -> Invitation | None:
    """The invitation a link stands for, or None (tampered, expired, or its organisation gone)."""
    if not token or len(token) > 500:
        return None
    try:
        data = _serializer().loads(token, max_age=current_app.config["INVITATION_LINK_SECONDS"])
    except BadSignature:  # also SignatureExpired
        return None
    if not isinstance(data, dict) or not isinstance(data.get("o"), int) or not isinstance(data.get("e"), str):
        return None
    org = db.session.get(Organisation, data["o"])
    return Invitation(org, data["e"]) if org is not None else None


def is_for(invitation: Invitation, user: User) -> bool:
    return user.status == AccountStatus.ACTIVE and user.email_key == invitation.email_key


def accept(invitation: Invitation, user: User) -> bool:
    """Make `user` (signed in with the invited address) a staff member; False when they already are."""
    org = invitation.organisation
    if db.session.get(Membership, (org.id, user.id)) is not None:
        return False
    db.session.add(Membership(organisation_id=org.id, user_id=user.id, role=MemberRole.STAFF))
    db.session.flush()
    db.session.expire(user, ["memberships"])
    record("membership.add", "membership", f"{org.id}:{user.id}", organisation_id=org.id,
           detail={"user": user.id, "role": MemberRole.STAFF.value, "invitation": True})
    return True
