"""`flask seed-demo`: the bilingual demo catalogue from providers.json and courses.json.

Idempotent: providers are matched on (English or Japanese name, country) and courses on (provider,
title), so a second run adds nothing. Session dates are relative to the day of the first run. The demo year
(learners, bookings, outcomes, certificates, exchanges: see seed_year) is added once, with its learners.
"""
from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from app.accounts.models import User
from app.catalog.models import (
    Course,
    CourseLanguage,
    CourseSession,
    CourseStatus,
    SkillArea,
)
from app.catalog.services import reindex_courses
from app.demo.plans import READS
from app.i18n import LANGUAGES
from app.platform.extensions import db
from app.pricing.queries import rate_for
from app.providers.models import Organisation, OrganisationKind

DATA = Path(__file__).resolve().parent
DEMO_SEED = 14  # the demo year is the same on every run


def _load(name: str) -> list[dict]:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def venue_fields(spec: dict) -> dict:
    """A demo session's venue in both languages: venues.json names each city's venue (keyed by the
    English city of courses.json)."""
    city = None if spec.get("online") else spec.get("city")
    venue = _venues().get(city, {}) if city else {}
    return {"venue_city_en": city, "venue_city_ja": venue.get("city_ja"),
            "venue_address_en": venue.get("address_en"), "venue_address_ja": venue.get("address_ja")}


@cache
def _venues() -> dict[str, dict]:
    return json.loads((DATA / "venues.json").read_text(encoding="utf-8"))


def session_from_spec(spec: dict, today: date) -> CourseSession:
    tz = ZoneInfo(spec["timezone"])
    first_day = today + timedelta(days=spec["offset_days"])
    last_day = first_day + timedelta(days=max(spec.get("days", 1), 1) - 1)
    start = datetime.combine(first_day, time.fromisoformat(spec.get("start", "09:00")), tzinfo=tz)
    end = datetime.combine(last_day, time.fromisoformat(spec.get("end", "17:00")), tzinfo=tz)
    return CourseSession(
        starts_at=start.astimezone(UTC),
        ends_at=end.astimezone(UTC),
        starts_on=first_day,
        timezone=spec["timezone"],
        online=spec.get("online", False),
        **venue_fields(spec),
        venue_country=spec.get("country"),
        join_url="https://meet.example/" + spec["timezone"].split("/")[-1].lower() if spec.get("online") else None,
        capacity=spec["capacity"],
        seats_taken=0,  # seats are taken by real bookings (app.demo.activity)
        enrolment_deadline=(start - timedelta(days=3)).astimezone(UTC),
        requires_approval=spec.get("requires_approval", False),
        status=spec.get("status", "scheduled"),
    )


def database_is_empty() -> bool:
    return db.session.execute(sa.select(Organisation.id).limit(1)).first() is None


def seed(today: date | None = None) -> dict[str, int]:
    today = today or datetime.now(UTC).date()
    now = datetime.now(UTC)
    skills = {a.code: a for a in db.session.scalars(sa.select(SkillArea))}

    orgs = {}
    existing = {(o.name_en or o.name_ja, o.country): o for o in db.session.scalars(sa.select(Organisation))}
    added_orgs = 0
    for spec in _load("providers.json"):
        org = existing.get((spec.get("name_en") or spec.get("name_ja"), spec["country"]))
        if org is None:
            org = Organisation(
                kind=OrganisationKind.TRAINING_PROVIDER,
                **{k: spec.get(k) for k in ("name_en", "name_ja", "name_reading", "description_en",
                                            "description_ja", "country", "city_en", "city_ja", "website")},
                verified=spec.get("verified", True),
            )
            db.session.add(org)
            added_orgs += 1
        org.name_reading = org.name_reading or spec.get("name_reading")  # a demo seeded before readings existed
        org.city_ja = org.city_ja or spec.get("city_ja")  # a demo seeded before cities had two languages
        orgs[spec["key"]] = org
    db.session.flush()

    known = {(c.provider_id, c.title_en or c.title_ja) for c in db.session.scalars(sa.select(Course))}
    new_courses = []
    sessions = 0
    text_fields = ("title", "summary", "description", "learning_outcomes", "prerequisites", "assessment")
    for index, spec in enumerate(_load("courses.json")):
        provider = orgs[spec["provider"]]
        if (provider.id, spec.get("title_en") or spec.get("title_ja")) in known:
            continue
        course = Course(
            provider=provider,
            kind=spec["kind"],
            status=CourseStatus.PUBLISHED,
            published_at=now - timedelta(days=3 * index + 1),
            eqf_level=spec.get("eqf_level"),
            audience=spec["audience"],
            delivery_mode=spec["mode"],
            duration_hours=Decimal(str(spec["hours"])) if spec.get("hours") else None,
            price_amount=spec.get("price"),
            currency=spec.get("currency"),
            # Japanese providers quote the total (総額表示); the European ones quote net, as for businesses.
            price_includes_tax=spec.get("price_includes_tax", provider.country == "JP" or not spec.get("price")),
            tax_rate=rate_for(provider.country, today) if spec.get("price") else None,
            certification=spec.get("certification", "none"),
            validity_months=spec.get("validity_months"),
            skill_areas=[skills[code] for code in spec["skills"]],
            languages=[CourseLanguage(language=code) for code in spec["languages"]],
            sessions=[session_from_spec(s, today) for s in spec["sessions"]],
            **{f"{f}_{lang}": spec.get(f"{f}_{lang}") for f in text_fields for lang in LANGUAGES},
            **demo_cancellation_terms(spec.get("price"), provider.country),
        )
        db.session.add(course)
        new_courses.append(course)
        sessions += len(spec["sessions"])
    db.session.flush()
    reindex_courses(c.id for c in new_courses)
    from app.demo.accounts import seed_accounts
    from app.legal import CONSENT_VERSION

    accounts = seed_accounts(CONSENT_VERSION)
    activity = seed_year(list(orgs.values()), today, CONSENT_VERSION)
    db.session.commit()
    return {"providers": added_orgs, "courses": len(new_courses), "sessions": sessions, "accounts": accounts,
            **activity}


def seed_year(orgs: list[Organisation], today: date, consent_version: str) -> dict[str, int]:
    """The demo learners and their year: bookings, outcomes, certificates and exchanges, once (when the
    learners are new), with a fixed seed so that every run on the same day makes the same year."""
    from app.demo.activity import seed_activity
    from app.demo.exchanges import seed_exchanges
    from app.demo.people import seed_learners

    rng = random.Random(DEMO_SEED)
    learners = seed_learners(rng, consent_version)
    if not learners:
        return {"learners": 0, "enrolments": 0, "certificates": 0, "exchanges": 0}
    courses = list(db.session.scalars(sa.select(Course).where(Course.provider_id.in_([o.id for o in orgs]))
                                      .order_by(Course.id)))
    accounts = list(db.session.scalars(sa.select(User).where(User.email_key.in_(list(READS))).order_by(User.id)))
    counts = seed_activity(courses, learners, accounts, rng)
    counts["exchanges"] = seed_exchanges(orgs, learners, rng, today)
    return {"learners": len(learners), **counts}


def demo_cancellation_terms(price, country: str | None) -> dict:
    """Priced demo courses state terms as their providers would: Japanese ones 14 days free then 50 %,
    European ones 30 days free then the whole price (a seat given up late cannot be resold)."""
    if not price:
        return {}
    if country == "JP":
        return dict(cancel_free_days=14, cancel_fee_percent=50,
                    cancellation_terms_en="Substitutes from the same company are welcome at no charge.",
                    cancellation_terms_ja="同じ会社の方への受講者の変更は無料で承ります。")
    return dict(cancel_free_days=30, cancel_fee_percent=100,
                cancellation_terms_en="You may send a colleague in your place at no charge.",
                cancellation_terms_ja="同僚の方が代わりに受講される場合、費用はかかりません。")

