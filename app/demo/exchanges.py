"""Demo talent exchanges in every direction (EU→JP, JP→EU, within the EU, within Japan), last year and this
year, recorded through app.exchanges.services: most approved by the association's demo staff account, a few
waiting in the moderation queue and one rejected, so the reports and the home page's open figures have
something true to show."""
from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from app.accounts.models import User
from app.catalog.models import Course, Currency, SkillArea
from app.exchanges import services
from app.exchanges.models import ActivityType, Approval, CooperationArea, ExchangeStatus, ParticipantType
from app.platform.extensions import db
from app.providers.models import Membership, Organisation

THIS_YEAR, LAST_YEAR = 7, 5  # approved exchanges per direction: enough to be shown (5 or more) this year
DAYS = {ActivityType.TRAINING_COURSE: (3, 10), ActivityType.JOB_SHADOWING: (5, 14),
        ActivityType.PLACEMENT: (30, 90), ActivityType.TEACHING: (2, 5), ActivityType.STUDY_VISIT: (3, 7),
        ActivityType.JOINT_EVENT: (1, 3), ActivityType.RESEARCH_VISIT: (14, 60)}
REJECTED = "The receiving organisation is not named in the funding agreement; correct it and submit again."


def _status(starts: date, ends: date, today: date) -> ExchangeStatus:
    if ends < today:
        return ExchangeStatus.COMPLETED
    return ExchangeStatus.ONGOING if starts <= today else ExchangeStatus.PLANNED


def _participant(rng: random.Random, country: str, learners: list[User]) -> dict:
    kind = rng.choice([ParticipantType.LEARNER, ParticipantType.LEARNER, ParticipantType.STAFF,
                       ParticipantType.TRAINER])
    people = [u for u in learners if (u.country == "JP") == (country == "JP")]
    person = rng.choice(people)
    if kind == ParticipantType.LEARNER:
        return {"participant_type": kind, "participant_user_id": person.id}
    # Staff and trainers have no account here: their names as typed by whoever records the exchange.
    if person.family_name_latin:
        return {"participant_type": kind, "participant_name_native": f"{person.family_name} {person.given_name}",
                "participant_name_latin": f"{person.family_name_latin.upper()} {person.given_name_latin}"}
    return {"participant_type": kind, "participant_name_latin": f"{person.given_name} {person.family_name}"}


def _values(rng, sender: Organisation, receiver: Organisation, starts: date, today: date, learners,
            courses: dict[int, list[Course]]) -> tuple[dict, list]:
    activity = rng.choice(list(ActivityType))
    low, high = DAYS[activity]
    ends = starts + timedelta(days=rng.randint(low, high) - 1)
    course = rng.choice(courses[receiver.id]) if activity == ActivityType.TRAINING_COURSE and courses.get(
        receiver.id) else None
    values = {
        "sending_org_id": sender.id, "sending_country": sender.country, "receiving_org_id": receiver.id,
        "receiving_country": receiver.country, "activity_type": activity, "course_id": course.id if course else None,
        "cooperation_area": rng.choice(list(CooperationArea)), "starts_on": starts, "ends_on": ends,
        "green_travel": sender.country != "JP" and receiver.country != "JP" and rng.random() < 0.5,
        "status": _status(starts, ends, today),
        **_participant(rng, sender.country, learners),
    }
    if rng.random() < 0.6:
        jpy = sender.country == "JP"
        values.update(funding_currency=Currency.JPY if jpy else Currency.EUR, funding_source=rng.choice(
            ["Erasmus+ KA1", "JST Sakura Exchange", "Company training budget", "EU–Japan Battery Council grant"]),
            funding_amount=rng.randint(20, 80) * 10000 if jpy else rng.randint(15, 60) * 10000)
    return values, course.skill_areas if course else []


def seed_exchanges(orgs: list[Organisation], learners: list[User], rng: random.Random,
                   today: date) -> int:
    """Approved exchanges in the four directions for last year and this, three submitted, one rejected."""
    staff = db.session.execute(sa.select(User).where(User.email_key == "staff@example.com")).scalar_one()
    skills = list(db.session.scalars(sa.select(SkillArea).order_by(SkillArea.position)))
    courses: dict[int, list[Course]] = {}
    for course in db.session.scalars(sa.select(Course).where(Course.provider_id.in_([o.id for o in orgs]))):
        courses.setdefault(course.provider_id, []).append(course)
    europe = [o for o in orgs if o.country != "JP"]
    japan = [o for o in orgs if o.country == "JP"]
    pairs = {"eu_to_jp": (europe, japan), "jp_to_eu": (japan, europe), "within_eu": (europe, europe),
             "within_jp": (japan, japan)}
    added = 0
    for year, count in ((today.year - 1, LAST_YEAR), (today.year, THIS_YEAR)):
        for senders, receivers in pairs.values():
            for n in range(count):
                sender = rng.choice(senders)
                receiver = rng.choice([o for o in receivers if o is not sender])
                starts = date(year, 1, 1) + timedelta(days=int((n + rng.random()) * 364 / count))
                values, course_skills = _values(rng, sender, receiver, starts, today, learners, courses)
                exchange = services.create(values, skill_areas=course_skills or rng.sample(skills, rng.randint(1, 2)),
                                           recorded_by=staff, approved_by=staff, audit=False)
                recorded = datetime.combine(starts - timedelta(days=rng.randint(20, 60)), time(9), UTC)
                exchange.created_at = exchange.updated_at = min(recorded, exchange.created_at)
                exchange.reviewed_at = min(recorded + timedelta(days=2), exchange.reviewed_at)
                added += 1
    added += _waiting(orgs, learners, rng, today, skills, courses, staff)
    db.session.flush()
    return added


def _waiting(orgs, learners, rng, today, skills, courses, staff) -> int:
    """Submitted by provider members (the demo ones), for staff to decide; one was sent back."""
    members = db.session.execute(sa.select(Membership)).scalars().all()
    by_id = {o.id: o for o in orgs}
    added = 0
    for member in members:
        sender = by_id.get(member.organisation_id)
        if sender is None:
            continue
        others = [o for o in orgs if (o.country == "JP") != (sender.country == "JP")]
        for n in range(2):
            starts = today + timedelta(days=30 + 40 * n + rng.randint(0, 20))
            values, course_skills = _values(rng, sender, rng.choice(others), starts, today, learners, courses)
            exchange = services.create(values, skill_areas=course_skills or rng.sample(skills, 1),
                                       recorded_by=db.session.get(User, member.user_id),
                                       recorded_for_org_id=sender.id, audit=False)
            if n == 1 and added == 1:
                exchange.approval, exchange.rejection_reason = Approval.REJECTED, REJECTED
                exchange.reviewed_by_id, exchange.reviewed_at = staff.id, exchange.created_at
            added += 1
    return added
