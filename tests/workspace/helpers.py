"""Valid form data for the workspace forms, to be changed one field at a time by the tests."""
from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.catalog.models import Course, CourseSession
from app.platform.extensions import db


def course_data(**changes) -> dict:
    data = {
        "title_en": "Black mass recycling basics",
        "summary_en": "Hydrometallurgy for operators.",
        "kind": "training",
        "audience": "operator",
        "eqf_level": "4",
        "delivery_mode": "blended",
        "languages": ["en"],
        "duration_hours": "7.5",
        "price": "1200.00",
        "currency": "EUR",
        "certification": "completion",
        "validity_months": "24",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def local(days: int = 30, hour: int = 9) -> datetime:
    day = (datetime.now() + timedelta(days=days)).date()
    return datetime(day.year, day.month, day.day, hour, 0)


def session_data(**changes) -> dict:
    start = local(30, 9)
    data = {
        "starts_local": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_local": (start + timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M"),
        "timezone": "Europe/Berlin",
        "venue_city_en": "Berlin",
        "venue_country": "DE",
        "capacity": "20",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def count(model) -> int:
    return db.session.execute(sa.select(sa.func.count()).select_from(model)).scalar_one()


def counts() -> tuple[int, int, int]:
    return count(Course), count(CourseSession), count(AuditEntry)


def audit(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def selected(page: str, value: str) -> bool:
    """Whether an <option> with this value is selected in the page."""
    import re

    value = re.escape(value)
    return bool(re.search(rf'<option(?=[^>]*\bselected\b)(?=[^>]*value="{value}")[^>]*>', page))
