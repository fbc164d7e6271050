"""Writes to the audit log. A change's entry joins the session (the view commits it with the change);
the audit of a read is written at once on its own."""
from __future__ import annotations

import sqlalchemy as sa
from flask import g, has_request_context, request
from flask_login import current_user

from app.audit.models import AuditEntry
from app.platform.cache import side_write
from app.platform.database import UNSAFE_METHODS, utcnow
from app.platform.extensions import db

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
    if has_request_context() and request.method not in UNSAFE_METHODS:
        # The audit of a read (a roster shown, an export downloaded) is kept whatever the page does next,
        # in a short write of its own: on SQLite the page's read snapshot cannot be turned into a write.
        with side_write() as conn:
            conn.execute(sa.insert(AuditEntry).values(
                at=entry.at or utcnow(), actor_id=entry.actor_id, action=entry.action,
                object_type=entry.object_type, object_id=entry.object_id,
                organisation_id=entry.organisation_id, detail=entry.detail, ip=entry.ip))
        return entry
    db.session.add(entry)
    return entry
