"""Deterministic rows for the benchmark catalogue: providers, courses, their languages, skills and sessions.

Everything comes from one random.Random(seed), so two runs with the same arguments build the same data
(session dates are relative to `today`).
"""
from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from bench import vocab

SEED = 20251126
KINDS = {"training": 55, "workshop": 25, "conference": 12, "exhibition": 8}
MODES = {"in_person": 45, "online": 30, "blended": 25}
AUDIENCES = ["operator", "technician", "engineer", "researcher", "manager"]
CERTIFICATION = {"training": ["completion", "assessed", "attendance"], "workshop": ["attendance", "none"],
                 "conference": ["attendance", "none"], "exhibition": ["none"]}
HOURS = {"training": (4, 120), "workshop": (2, 16), "conference": (8, 24), "exhibition": (8, 24)}
DAYS = {"training": (1, 5), "workshop": (1, 2), "conference": (2, 3), "exhibition": (3, 3)}


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def providers(rng: random.Random, n: int, now: datetime) -> list[dict]:
    rows = []
    for i in range(1, n + 1):
        country = _pick(rng, vocab.COUNTRY_WEIGHTS)
        _tz, cities, _lang = vocab.COUNTRIES[country]
        city_en, city_ja = rng.choice(cities)
        name_en, name_ja = rng.choice(vocab.PROVIDER_NAMES)
        suffix = f" {i}" if i > len(vocab.PROVIDER_NAMES) * 10 else ""
        only_ja = country == "JP" and rng.random() < 0.1
        rows.append({
            "id": i, "kind": "training_provider",
            "name_en": None if only_ja else name_en.format(c=city_en) + suffix,
            "name_ja": name_ja.format(c=city_ja) + suffix if (country == "JP" or rng.random() < 0.6) else None,
            "description_en": f"Training provider for the battery industry in {city_en}.",
            "description_ja": f"{city_ja}の電池産業向け研修機関です。",
            "country": country, "city": city_en, "website": f"https://provider{i}.example",
            "verified": rng.random() < 0.8, "created_at": now - timedelta(days=rng.randint(30, 900)),
        })
    return rows


def _fill(pattern: str, t: str, u: str, **extra) -> str:
    return pattern.format(t=t, T=t[:1].upper() + t[1:], u=u, **extra)


def _texts(rng: random.Random, kind: str, area: str, audience: str, days: int) -> dict:
    """Title, summary, description, outcomes, prerequisites and assessment in both languages."""
    t_en, t_ja = rng.choice(vocab.TOPICS[area])
    u_en, u_ja = rng.choice(vocab.TOPICS[rng.choice(list(vocab.TOPICS))])
    r_en, r_ja = rng.choice(vocab.REGIONS)
    k_en, k_ja = vocab.KIND_WORDS[kind]
    a_en, a_ja = vocab.AUDIENCE_WORDS[audience]
    year = rng.choice((2025, 2026, 2027))
    title = rng.choice(vocab.TITLES[kind])
    summary = rng.choice(vocab.SUMMARIES)
    sentences = rng.sample(vocab.SENTENCES, rng.randint(2, 4))
    outcomes = rng.sample(vocab.OUTCOMES, 3)
    out = {}
    for i, lang, t, u, r, k, a in ((0, "en", t_en, u_en, r_en, k_en, a_en), (1, "ja", t_ja, u_ja, r_ja, k_ja, a_ja)):
        def fmt(pattern, t=t, u=u, r=r, k=k, a=a):
            return _fill(pattern, t, u, y=year, r=r, k=k, a=a, d=days)

        out[f"title_{lang}"] = fmt(title[i])
        out[f"summary_{lang}"] = fmt(summary[i])
        out[f"description_{lang}"] = (" " if lang == "en" else "").join(fmt(s[i]) for s in sentences)
        out[f"learning_outcomes_{lang}"] = "\n".join(fmt(o[i]) for o in outcomes)
        out[f"prerequisites_{lang}"] = rng.choice(vocab.PREREQUISITES)[i]
        out[f"assessment_{lang}"] = rng.choice(vocab.ASSESSMENTS)[i]
    return out


def courses(rng: random.Random, n_published: int, provider_rows: list[dict], skill_ids: dict[str, int],
            now: datetime) -> tuple[list[dict], list[dict], list[dict]]:
    """Courses (n_published published, plus 2% drafts and archived), their languages and skill links."""
    n_total = n_published + n_published // 50
    rows, langs, skills = [], [], []
    areas = list(vocab.TOPICS)
    for cid in range(1, n_total + 1):
        provider = rng.choice(provider_rows)
        country = provider["country"]
        kind, mode, audience = _pick(rng, KINDS), _pick(rng, MODES), rng.choice(AUDIENCES)
        area = rng.choice(areas)
        text = _texts(rng, kind, area, audience, rng.randint(*DAYS[kind]))
        listing = rng.random()
        drop = "ja" if listing < 0.15 else "en" if listing < 0.30 else None  # most listings are bilingual
        if drop:
            for key in [k for k in text if k.endswith("_" + drop)]:
                text[key] = None
        free = rng.random() < 0.25
        currency = None if free else ("JPY" if country == "JP" else "EUR")
        price = None if free else (rng.randint(5, 300) * 1000 if currency == "JPY" else rng.randint(50, 4500) * 100)
        cert = rng.choice(CERTIFICATION[kind])
        low, high = HOURS[kind]
        published = cid <= n_published
        created = now - timedelta(days=rng.randint(1, 720), minutes=rng.randint(0, 1439))
        rows.append({
            "id": cid, "provider_id": provider["id"], "kind": kind,
            "status": "published" if published else rng.choice(("draft", "pending_review", "archived")),
            "eqf_level": None if rng.random() < 0.15 else rng.choice((2, 3, 4, 4, 5, 5, 6, 6, 7, 8)),
            "audience": audience, "delivery_mode": mode,
            "duration_hours": Decimal(rng.randint(low * 2, high * 2)) / 2,
            "price_amount": price, "currency": currency, "certification": cert,
            "validity_months": rng.choice((24, 36, None)) if cert == "assessed" else None,
            "created_at": created, "updated_at": created,
            "published_at": created + timedelta(hours=rng.randint(1, 72)) if published else None,
            **text,
        })
        local = vocab.COUNTRIES[country][2]
        codes = {local} if rng.random() < 0.7 else set()
        if rng.random() < (0.4 if country == "JP" else 0.7) or not codes:
            codes.add("en")
        langs.extend({"course_id": cid, "language": code} for code in sorted(codes))
        chosen = {area, *rng.sample(areas, rng.choice((0, 0, 1, 1, 2)))}
        skills.extend({"course_id": cid, "skill_area_id": skill_ids[code]} for code in sorted(chosen))
    return rows, langs, skills


def sessions(rng: random.Random, n: int, course_rows: list[dict], provider_rows: list[dict],
             today: date, now: datetime) -> list[dict]:
    """n sessions spread over the published courses (some get none), from 18 months ago to a year ahead."""
    published = [c for c in course_rows if c["status"] == "published"]
    countries = {p["id"]: p["country"] for p in provider_rows}
    per_course = Counter(rng.randrange(len(published)) for _ in range(n))
    zones = {code: ZoneInfo(spec[0]) for code, spec in vocab.COUNTRIES.items()}
    rows, sid = [], 0
    for index in sorted(per_course):
        course = published[index]
        home = countries[course["provider_id"]]
        for _ in range(per_course[index]):
            sid += 1
            online = course["delivery_mode"] == "online" or (
                course["delivery_mode"] == "blended" and rng.random() < 0.4)
            country = None if online else (home if rng.random() < 0.8 else rng.choice(list(vocab.COUNTRIES)))
            tz_country = country or home
            first = today + timedelta(days=rng.randint(-540, 400))
            days = rng.randint(*DAYS[course["kind"]])
            zone = zones[tz_country]
            start = datetime.combine(first, time(rng.choice((9, 10, 13)), 0), tzinfo=zone)
            end = datetime.combine(first + timedelta(days=days - 1), time(17, 30), tzinfo=zone)
            start_utc = start.astimezone(UTC)
            past = start_utc < now
            status = ("completed" if rng.random() < 0.9 else "cancelled") if past else (
                "scheduled" if rng.random() < 0.95 else "cancelled")
            capacity = rng.choice((12, 16, 20, 24, 30, 40, 60, 120, 300))
            rows.append({
                "id": sid, "course_id": course["id"], "starts_at": start_utc,
                "ends_at": end.astimezone(UTC), "timezone": vocab.COUNTRIES[tz_country][0],
                "starts_on": first, "online": online,
                "venue_city": None if online else rng.choice(vocab.COUNTRIES[country][1])[0],
                "venue_country": country,
                "join_url": f"https://meet.example/s{sid}" if online else None,
                "capacity": capacity, "seats_taken": capacity if past else rng.randint(0, capacity),
                "enrolment_deadline": start_utc - timedelta(days=rng.choice((1, 3, 7, 14))),
                "requires_approval": rng.random() < 0.15, "status": status,
                "created_at": min(now, start_utc - timedelta(days=30)),
            })
    return rows


def build(n_providers: int, n_courses: int, n_sessions: int, skill_ids: dict[str, int], today: date,
          now: datetime) -> dict[str, list[dict]]:
    rng = random.Random(SEED)
    provider_rows = providers(rng, n_providers, now)
    course_rows, lang_rows, skill_rows = courses(rng, n_courses, provider_rows, skill_ids, now)
    session_rows = sessions(rng, n_sessions, course_rows, provider_rows, today, now)
    return {"organisation": provider_rows, "course": course_rows, "course_language": lang_rows,
            "course_skill_area": skill_rows, "course_session": session_rows}
