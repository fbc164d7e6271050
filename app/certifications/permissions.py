"""Who may see a certificate: pure predicates, used by routes and templates alike."""
from __future__ import annotations

from app.accounts.models import AccountStatus
from app.accounts.permissions import is_signed_in


def is_holder(user, certificate) -> bool:
    """The learner it was issued to: the only one who sees its private pages and its switch."""
    return is_signed_in(user) and certificate.learner_id is not None and certificate.learner_id == user.id


def is_public(certificate) -> bool:
    """Its verification page is on: the holder turned it on, and the account still exists (a deleted
    account has no name to show, and deletion withdraws every public page)."""
    learner = certificate.learner
    return bool(certificate.public) and learner is not None and learner.status != AccountStatus.DELETED
