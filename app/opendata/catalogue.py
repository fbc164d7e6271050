"""The catalogue as open data: every published course, both languages side by side."""
from __future__ import annotations

from datetime import datetime

from app.catalog.models import Course, CourseSession
from app.catalog.queries import next_sessions_of_published
from app.i18n.fields import both
from app.opendata import queries
from app.platform.mail import external_url

CSV_HEADERS = (
    "id", "url", "title_en", "title_ja", "summary_en", "summary_ja", "provider_id", "provider_en",
    "provider_ja", "kind", "delivery_mode", "languages", "eqf_level", "duration_hours", "price_amount",
    "currency", "skill_areas", "next_session_starts_at", "next_session_timezone", "next_session_place",
)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def _session(session: CourseSession | None) -> dict | None:
    if session is None:
        return None
    return {"id": session.id, "starts_at": _iso(session.starts_at), "ends_at": _iso(session.ends_at),
            "timezone": session.timezone, "online": session.online, "city": session.venue_city,
            "city_en": session.venue_city_en, "city_ja": session.venue_city_ja,
            "country": session.venue_country}


def _place(session: CourseSession | None) -> str | None:
    if session is None:
        return None
    return "online" if session.online else ", ".join(filter(None, [session.venue_city, session.venue_country]))


def course_document(course: Course, next_session: CourseSession | None) -> dict:
    return {
        "id": course.id,
        "url": external_url("catalog.detail", "en", course_id=course.id),
        "title": both(course, "title"),
        "summary": both(course, "summary"),
        "provider": {"id": course.provider.id, "name": both(course.provider, "name"),
                     "country": course.provider.country, "city": both(course.provider, "city")},
        "kind": str(course.kind),
        "delivery_mode": str(course.delivery_mode),
        "audience": str(course.audience),
        "languages": course.language_codes,
        "eqf_level": course.eqf_level,
        "duration_hours": float(course.duration_hours) if course.duration_hours is not None else None,
        # In the currency's smallest unit (cents, yen); null when the course is free.
        "price": ({"amount_minor": course.price_amount, "currency": str(course.currency)}
                  if course.price_amount is not None else None),
        "skill_areas": [{"code": area.code, "name": both(area, "name")} for area in course.skill_areas],
        "next_session": _session(next_session),
    }


def catalogue(now: datetime) -> list[tuple[Course, CourseSession | None]]:
    courses = queries.published_courses()
    nexts = next_sessions_of_published(now)
    return [(course, nexts.get(course.id)) for course in courses]


def json_document(now: datetime) -> dict:
    courses = [course_document(course, nxt) for course, nxt in catalogue(now)]
    return {"generated_at": _iso(now.replace(microsecond=0)), "count": len(courses), "courses": courses}


def csv_rows(now: datetime):
    for course, nxt in catalogue(now):
        doc = course_document(course, nxt)
        place = _place(nxt)
        yield (
            course.id, doc["url"], course.title_en, course.title_ja, course.summary_en, course.summary_ja,
            course.provider.id, course.provider.name_en, course.provider.name_ja, doc["kind"],
            doc["delivery_mode"], " ".join(doc["languages"]), course.eqf_level,
            course.duration_hours, course.price_amount, doc["price"]["currency"] if doc["price"] else None,
            " ".join(area.code for area in course.skill_areas),
            doc["next_session"]["starts_at"] if nxt else None, nxt.timezone if nxt else None, place,
        )
