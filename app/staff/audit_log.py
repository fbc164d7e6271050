"""The audit log for association staff at /<lang>/staff/audit: filter, read, share the URL."""
from __future__ import annotations

import json

from flask import Blueprint, render_template, request
from flask_babel import lazy_gettext as _l

from app.accounts.access import staff_required
from app.audit.labels import action_label
from app.audit.services import record
from app.platform.extensions import db
from app.platform.pagination import page_number, paginate_rows
from app.staff import audit_queries as queries

bp = Blueprint("audit", __name__, url_prefix="/<lang:lang_code>/staff/audit")
PAGE_SIZE = 50
FILTER_LABELS = {
    "actor": _l("Actor’s email contains"),
    "action": _l("Action"),
    "object_type": _l("Record type"),
    "object_id": _l("Record id"),
    "organisation": _l("Organisation id"),
    "from": _l("From (UTC)"),
    "to": _l("To (UTC)"),
}


@bp.app_template_filter("audit_filter_label")
def audit_filter_label(name: str) -> str:
    return str(FILTER_LABELS.get(name, name))


@bp.app_template_filter("pretty_json")
def pretty_json(value) -> str:
    """An entry's detail as indented JSON, non-ASCII kept readable (escaped by Jinja as usual)."""
    if value in (None, {}, []):
        return ""
    try:
        return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True, default=str)
    except (TypeError, ValueError):
        return str(value)


@bp.get("")
@staff_required
def index():
    filters = queries.parse_filters(request.args)
    page = paginate_rows(queries.list_entries(filters), page_number(request.args.get("page")), PAGE_SIZE)
    if filters.actor:  # looking a person up in the log is itself a read of personal data
        record("audit.search", "audit_log", None, detail=filters.args())
        db.session.commit()
    return render_template("audit/index.html", page=page, filters=filters, args=filters.args(),
                           names=FILTER_LABELS, action_label=action_label)
