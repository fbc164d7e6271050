"""Deterministic rows for the reports benchmark, on top of the benchmark catalogue: organisations that are
not providers, learners, enrolments, certificates and talent exchanges (with their skill areas).

Everything comes from one random.Random(seed); dates are relative to `now`.
"""
from __future__ import annotations

import random
import secrets
from datetime import date, datetime, timedelta

from app.exchanges.services import direction_of

SEED = 20260601
EU = ["DE", "FR", "SE", "PL", "HU", "ES", "IT", "NL", "BE", "FI", "AT", "CZ", "PT", "NO"]
LEARNER_COUNTRIES = {"JP": 34, "DE": 14, "FR": 9, "SE": 5, "PL": 5, "HU": 3, "ES": 4, "IT": 4, "NL": 3, "BE": 2,
                     "FI": 2, "AT": 2, "CZ": 2, "PT": 1, "NO": 1, "US": 3, "KR": 2, "CN": 2, "GB": 2}
DIRECTIONS = {"jp_eu": 40, "eu_jp": 40, "eu_eu": 10, "jp_jp": 5, "other": 5}
ACTIVITIES = ["training_course", "job_shadowing", "placement", "teaching", "study_visit", "joint_event",
              "research_visit"]
AREAS = {"recycling": 35, "data-sharing": 20, "human-resources": 35, "joint-events": 10}
SCHEDULED = {"confirmed": 68, "waitlisted": 10, "pending": 8, "cancelled": 12, "declined": 2}
PAST = {"completed": 72, "not_completed": 12, "cancelled": 14, "declined": 2}


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def organisations(rng: random.Random, first_id: int, n: int, now: datetime) -> list[dict]:
    kinds = ["company", "company", "university", "research_institute", "association"]
    rows = []
    for i in range(n):
        country = "JP" if i % 3 == 0 else ("US" if i % 29 == 0 else rng.choice(EU))
        rows.append({"id": first_id + i, "kind": rng.choice(kinds), "name_en": f"Partner {i + 1} ({country})",
                     "name_ja": f"パートナー機関{i + 1}" if country == "JP" else None, "country": country,
                     "city": None, "verified": True, "created_at": now - timedelta(days=rng.randint(30, 900))})
    return rows


def learners(rng: random.Random, first_id: int, n: int, now: datetime) -> list[dict]:
    rows = []
    for i in range(n):
        country = _pick(rng, LEARNER_COUNTRIES)
        uid = first_id + i
        rows.append({"id": uid, "email": f"learner{uid}@bench.example", "email_key": f"learner{uid}@bench.example",
                     "status": "active", "family_name": f"Family{uid}", "given_name": f"Given{uid}",
                     "name_order": "family_first" if country == "JP" else "given_first",
                     "preferred_language": "ja" if country == "JP" else "en", "country": country,
                     "is_staff": False, "is_admin": False, "created_at": now - timedelta(days=rng.randint(1, 900))})
    return rows


def enrolments(rng: random.Random, n: int, sessions: list[tuple], learner_ids: list[int],
               now: datetime) -> list[dict]:
    """sessions: (id, status, starts_at). One enrolment per (session, learner) pair."""
    rows, seen = [], set()
    while len(rows) < n:
        sid, status, starts_at = rng.choice(sessions)
        learner = rng.choice(learner_ids)
        if (sid, learner) in seen:
            continue
        seen.add((sid, learner))
        state = "cancelled" if status == "cancelled" else _pick(rng, SCHEDULED if status == "scheduled" else PAST)
        created = min(now, starts_at - timedelta(days=rng.randint(1, 60)))
        rows.append({"id": len(rows) + 1, "session_id": sid, "learner_id": learner, "status": state,
                     "created_at": created, "confirmed_at": created if state in ("confirmed", "completed") else None,
                     "outcome_at": starts_at + timedelta(days=3) if state in ("completed", "not_completed") else None})
    return rows


def certifications(rng: random.Random, n: int, completed: list[dict], session_info: dict[int, tuple],
                   now: datetime) -> list[dict]:
    """Certificates of completed enrolments (one each); more than those are issued without an enrolment."""
    rows = []
    for i in range(n):
        enrolment = completed[i] if i < len(completed) else None
        sid = enrolment["session_id"] if enrolment else rng.choice(list(session_info))
        course_id, provider_id, starts_at = session_info[sid]
        issued = min(now - timedelta(hours=1), starts_at + timedelta(days=rng.randint(1, 10)))
        months = rng.choice((None, None, 24, 36, 12))
        rows.append({
            "id": i + 1, "public_id": secrets.token_urlsafe(24),
            "learner_id": enrolment["learner_id"] if enrolment else None,
            "enrolment_id": enrolment["id"] if enrolment else None, "course_id": course_id, "session_id": sid,
            "organisation_id": provider_id, "type": rng.choice(("completion", "assessed", "attendance")),
            "status": "revoked" if rng.random() < 0.03 else "active", "issued_at": issued,
            "expires_at": issued + timedelta(days=30 * months) if months else None, "public": False, "facts": {}})
    return rows


def exchanges(rng: random.Random, n: int, orgs: list[dict], learner_ids: list[int], course_ids: list[int],
              skill_ids: list[int], today: date, now: datetime) -> tuple[list[dict], list[dict]]:
    by_region = {"jp": [o for o in orgs if o["country"] == "JP"], "eu": [o for o in orgs if o["country"] in EU],
                 "other": [o for o in orgs if o["country"] not in EU and o["country"] != "JP"]}
    rows, skills = [], []
    for i in range(1, n + 1):
        kind = _pick(rng, DIRECTIONS)
        a, b = {"jp_eu": ("jp", "eu"), "eu_jp": ("eu", "jp"), "eu_eu": ("eu", "eu"), "jp_jp": ("jp", "jp"),
                "other": ("other", rng.choice(("jp", "eu")))}[kind]
        sending, receiving = rng.choice(by_region[a]), rng.choice(by_region[b])
        starts = today - timedelta(days=rng.randint(-180, 5 * 365))
        days = rng.choice((1, 2, 3, 5, 5, 10, 14, 30, 60, 90, 180))
        ends = starts + timedelta(days=days - 1)
        approval = "approved" if rng.random() < 0.85 else rng.choice(("submitted", "submitted", "rejected"))
        with_account = rng.random() < 0.3
        funded = rng.random() < 0.6
        currency = rng.choice(("EUR", "JPY"))
        rows.append({
            "id": i, "participant_user_id": rng.choice(learner_ids) if with_account else None,
            "participant_name_native": None if with_account else f"参加者{i}",
            "participant_name_latin": None if with_account else f"Participant {i}",
            "participant_type": rng.choice(("learner", "learner", "staff", "trainer")),
            "sending_org_id": sending["id"], "sending_country": sending["country"],
            "receiving_org_id": receiving["id"], "receiving_country": receiving["country"],
            "direction": direction_of(sending["country"], receiving["country"]).value,
            "activity_type": rng.choice(ACTIVITIES),
            "course_id": rng.choice(course_ids) if rng.random() < 0.3 else None,
            "cooperation_area": _pick(rng, AREAS), "starts_on": starts, "ends_on": ends, "duration_days": days,
            "funding_amount": (rng.randint(5, 500) * (100_000 if currency == "JPY" else 10_000)) if funded else None,
            "funding_currency": currency if funded else None, "funding_source": "Programme" if funded else None,
            "green_travel": rng.random() < 0.25,
            "status": "completed" if ends < today else ("ongoing" if starts <= today else "planned"),
            "approval": approval, "rejection_reason": "Incomplete" if approval == "rejected" else None,
            "reviewed_at": now if approval != "submitted" else None, "created_at": now, "updated_at": now,
        })
        skills.extend({"exchange_id": i, "skill_area_id": s} for s in rng.sample(skill_ids, rng.choice((1, 1, 2, 3))))
    return rows, skills
