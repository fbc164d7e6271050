"""Plain dicts for the API: every text field in both languages, {"en": ..., "ja": ...}, null where missing."""
from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import force_locale

from app.catalog.models import VENUE_TEXT_FIELDS
from app.certifications.display import holder_name
from app.i18n import LANGUAGES
from app.i18n.fields import both
from app.pricing.display import price_facts


def when(value: datetime | None) -> str | None:
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()


def skill_area(area, courses: int) -> dict:
    return {"id": area.id, "code": area.code, "name": both(area, "name"),
            "description": both(area, "description"), "course_count": courses}


def provider(org, courses: int | None = None) -> dict:
    data = {"id": org.id, "name": both(org, "name"), "description": both(org, "description"),
            "country": org.country, "city": org.city,
            "city_en": org.city_en, "city_ja": org.city_ja, "website": org.website, "verified": bool(org.verified)}
    if courses is not None:
        data["course_count"] = courses
    return data


def session(s) -> dict:
    """A scheduled session as the public sees it (never its join link)."""
    return {"id": s.id, "starts_at": when(s.starts_at), "ends_at": when(s.ends_at), "timezone": s.timezone,
            "online": bool(s.online), "venue_city": s.venue_city, "venue_country": s.venue_country,
            **{name: getattr(s, name) for name in VENUE_TEXT_FIELDS},
            "capacity": s.capacity, "seats_left": s.seats_left, "enrolment_deadline": when(s.enrolment_deadline),
            "requires_approval": bool(s.requires_approval), "status": str(s.status)}


def price(c) -> dict | None:
    """The stored amount as before, with whether it includes tax, the rate, and both sides of it."""
    facts = price_facts(c)
    if facts is None:
        return None
    return {"amount": c.price_amount, "currency": facts.currency, "includes_tax": facts.includes_tax,
            "tax_rate_percent": None if facts.rate_percent is None else format(facts.rate_percent.normalize(), "f"),
            "gross_amount": facts.gross, "net_amount": facts.net}


def course(c, next_session=None) -> dict:
    return {
        "id": c.id, "kind": str(c.kind), "title": both(c, "title"), "summary": both(c, "summary"),
        "provider": {"id": c.provider.id, "name": both(c.provider, "name")},
        "skill_areas": [a.code for a in c.skill_areas], "languages": c.language_codes,
        "eqf_level": c.eqf_level, "audience": str(c.audience), "delivery_mode": str(c.delivery_mode),
        "duration_hours": float(c.duration_hours) if c.duration_hours is not None else None,
        "price": price(c),
        "certification": str(c.certification), "published_at": when(c.published_at),
        "next_session": session(next_session) if next_session is not None else None,
    }


def course_detail(c, upcoming: list) -> dict:
    data = course(c, upcoming[0] if upcoming else None)
    for name in ("description", "learning_outcomes", "prerequisites", "assessment"):
        data[name] = both(c, name)
    data["validity_months"] = c.validity_months
    data["sessions"] = [session(s) for s in upcoming]
    return data


def certificate(cert, now: datetime) -> dict:
    facts = cert.facts or {}
    course_facts, provider_facts = facts.get("course") or {}, facts.get("provider") or {}
    held = facts.get("session")
    names = {}
    for lang in LANGUAGES:
        with force_locale(lang):
            names[lang] = holder_name(cert.learner, lang) or None
    state = cert.state(now)
    return {
        "id": cert.public_id, "type": str(cert.type), "status": state, "holder": names,
        "course": {"id": course_facts.get("id"), "title": both(course_facts, "title"),
                   "kind": course_facts.get("kind"), "eqf_level": course_facts.get("eqf_level"),
                   "hours": float(course_facts["hours"]) if course_facts.get("hours") else None,
                   "skill_areas": [{"code": a.get("code"), "name": both(a, "name")}
                                   for a in course_facts.get("skill_areas") or []]},
        "provider": {"id": provider_facts.get("id"), "name": both(provider_facts, "name"),
                     "country": provider_facts.get("country"), "city": provider_facts.get("city"),
                     "city_en": provider_facts.get("city_en"), "city_ja": provider_facts.get("city_ja")},
        "session": None if not held else {
            "starts_at": held.get("starts_at"), "ends_at": held.get("ends_at"), "timezone": held.get("timezone"),
            "online": bool(held.get("online")), "venue_city": held.get("venue_city"),
            "venue_country": held.get("venue_country")},
        "issued_at": when(cert.issued_at), "expires_at": when(cert.expires_at),
        "revoked_at": when(cert.revoked_at) if state == "revoked" else None,
        "revoked_reason": cert.revoked_reason if state == "revoked" else None,
    }


def enrolment(e, position: int | None) -> dict:
    """One of the learner's own enrolments, with its session, course and provider."""
    s = e.session
    c = s.course
    return {"id": e.id, "status": str(e.status), "waitlist_position": position,
            "created_at": when(e.created_at), "confirmed_at": when(e.confirmed_at),
            "cancelled_at": when(e.cancelled_at), "outcome_at": when(e.outcome_at),
            "session": session(s),
            "course": {"id": c.id, "title": both(c, "title")},
            "provider": {"id": c.provider.id, "name": both(c.provider, "name")}}
