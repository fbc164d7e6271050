"""Writes to the audit log. Callers add entries to the session; the view commits once."""
from __future__ import annotations

from flask import g, has_request_context, request
from flask_login import current_user

from app.audit.models import AuditEntry
from app.extensions import db

_ACTION_MAX = 60
_OBJECT_TYPE_MAX = 40
_OBJECT_ID_MAX = 64


def _actor_id() -> int | None:
    if not has_request_context():
        return None
    if getattr(g, "api_user", None) is not None:  # an API request acts for its token's owner
        return g.api_user.id
    try:
        if current_user and current_user.is_authenticated:
            return current_user.id
    except Exception:  # noqa: BLE001 - no login manager / user loader outside the app
        return None
    return None


def _ip() -> str | None:
    if not has_request_context():
        return None
    addr = request.remote_addr
    return addr[:45] if addr else None


def record(
    action: str,
    object_type: str,
    object_id,
    *,
    organisation_id: int | None = None,
    detail: dict | None = None,
) -> AuditEntry:
    """Add one audit entry for the signed-in actor (if any) to the session. Never commits."""
    entry = AuditEntry(
        actor_id=_actor_id(),
        action=str(action)[:_ACTION_MAX],
        object_type=str(object_type)[:_OBJECT_TYPE_MAX],
        object_id=None if object_id is None else str(object_id)[:_OBJECT_ID_MAX],
        organisation_id=organisation_id,
        detail=detail,
        ip=_ip(),
    )
    db.session.add(entry)
    return entry
