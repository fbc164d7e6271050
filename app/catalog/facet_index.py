"""The catalogue's filter counts from bitsets in each worker's memory.

For the current catalogue version each process loads once what the filters look at of every published course
(its kind, mode, level, audience, provider, price, skill areas, languages, and its scheduled sessions with
their dates and countries) and turns it into one bitset per filter value: bit i stands for the i-th published
course. Every request reads the shared version first (one small statement) and rebuilds when it has moved,
so every process answers from the same catalogue. Nothing here is keyed by a query: a search still asks the
database for the ids its terms match, and `now` is applied to the sessions' start times on each request.

A filter's option counts are then popcount(matches of every *other* filter AND the option's bitset): a few
hundred ANDs of 2.5 KB integers at 20,000 courses, instead of one GROUP BY per filter over the matches.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from app.catalog.facet_sessions import SessionIndex, bits_of
from app.catalog.models import (
    Course,
    CourseLanguage,
    CourseSession,
    CourseStatus,
    SessionStatus,
    SkillArea,
    course_skill_area,
)
from app.catalog.params import CatalogueFilters
from app.catalog.queries import catalogue_version
from app.platform.extensions import db

# The filters with options, in the order the counts were always given; "country" is the session filter.
FACETS = ("skill", "kind", "mode", "language", "level", "audience", "country", "provider", "free")
_NUMERIC = {"level", "provider"}  # values that sort as numbers


@dataclass
class FacetIndex:
    key: tuple  # (database, catalogue version)
    horizon: datetime  # sessions that started before it are left out; an earlier `now` rebuilds
    position: dict[int, int]  # course id -> bit
    published: int  # every bit
    values: dict[str, dict[str, int]]  # filter -> option value (as the URL gives it) -> bitset
    sessions: SessionIndex

    def bits_of_ids(self, ids) -> int:
        position = self.position
        return bits_of((position[i] for i in ids if i in position), _nbytes(len(position)))


_current: FacetIndex | None = None


def forget() -> None:
    """Drop this process's index (the next request rebuilds it): for tests, whose rolled-back
    transactions give a version number back to be reused with other data."""
    global _current
    _current = None


def _nbytes(n: int) -> int:
    return n // 8 + 1


def current_index(now: datetime) -> FacetIndex:
    """This process's index for the catalogue as it is now, rebuilt when the shared version moved."""
    global _current
    engine = db.session.get_bind().engine  # a Connection's or an Engine's
    key = (str(engine.url), catalogue_version())  # the version first: data read after it is never older
    index = _current
    if index is None or index.key != key or now < index.horizon:
        index = _current = _build(key, now)
    return index


def _build(key: tuple, horizon: datetime) -> FacetIndex:
    published = Course.status == CourseStatus.PUBLISHED
    rows = db.session.execute(
        sa.select(Course.id, sa.cast(Course.kind, sa.String), sa.cast(Course.delivery_mode, sa.String),
                  Course.eqf_level, sa.cast(Course.audience, sa.String), Course.provider_id,
                  Course.price_amount.is_(None))
        .where(published).order_by(Course.id)
    ).all()
    position = {row[0]: i for i, row in enumerate(rows)}
    lists: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for i, (_id, kind, mode, level, audience, provider, free) in enumerate(rows):
        lists["kind"][kind].append(i)
        lists["mode"][mode].append(i)
        lists["audience"][audience].append(i)
        lists["provider"][str(provider)].append(i)
        if level is not None:
            lists["level"][str(level)].append(i)
        if free:
            lists["free"]["1"].append(i)
    skills = db.session.execute(
        sa.select(course_skill_area.c.course_id, SkillArea.code)
        .join(SkillArea, SkillArea.id == course_skill_area.c.skill_area_id)
        .join(Course, Course.id == course_skill_area.c.course_id).where(published)
    )
    for course_id, code in skills:
        lists["skill"][code].append(position[course_id])
    languages = db.session.execute(
        sa.select(CourseLanguage.course_id, CourseLanguage.language)
        .join(Course, Course.id == CourseLanguage.course_id).where(published)
    )
    for course_id, language in languages:
        lists["language"][language].append(position[course_id])
    sessions = db.session.execute(
        sa.select(CourseSession.course_id, CourseSession.starts_at, CourseSession.starts_on,
                  CourseSession.venue_country)
        .join(Course, Course.id == CourseSession.course_id)
        .where(published, CourseSession.status == SessionStatus.SCHEDULED, CourseSession.starts_at >= horizon)
    )
    nbytes = _nbytes(len(rows))
    return FacetIndex(
        key=key,
        horizon=horizon,
        position=position,
        published=bits_of(range(len(rows)), nbytes),
        values={name: {value: bits_of(by_value[value], nbytes) for value in sorted(by_value, key=_sort_key(name))}
                for name, by_value in lists.items()},
        sessions=SessionIndex.build(
            ((position[c], start, day, country) for c, start, day, country in sessions), nbytes
        ),
    )


def _sort_key(name: str):
    return int if name in _NUMERIC else str


def facet_counts(index: FacetIndex, f: CatalogueFilters, now: datetime, matching: int) -> tuple[int, dict]:
    """The total and every filter's option counts; `matching` is the bitset of courses the search terms
    match (index.published without terms). Each filter's counts ignore its own selection."""
    values = index.values
    chosen: dict[str, int] = {}  # filter -> bits of the courses it lets through
    if f.skills:
        skill = 0
        for code in f.skills:
            skill |= values.get("skill", {}).get(code, 0)
        chosen["skill"] = skill
    for name in ("kind", "mode", "language", "level", "audience", "provider"):
        value = getattr(f, name)
        if value is not None:
            chosen[name] = values.get(name, {}).get(str(value), 0)
    if f.free:
        chosen["free"] = values.get("free", {}).get("1", 0)
    dated, by_country = index.sessions.courses(now, f.date_from, f.date_to)
    if f.has_session_filter:
        chosen["country"] = by_country.get(f.country, 0) if f.country else dated
    total = matching
    for bits in chosen.values():
        total &= bits
    facets: dict[str, dict[str, int]] = {}
    for name in FACETS:
        others = matching
        for other, bits in chosen.items():
            if other != name:
                others &= bits
        options = dict(sorted(by_country.items())) if name == "country" else values.get(name, {})
        found = {}
        for value, bits in options.items():
            n = (others & bits).bit_count()
            if n:
                found[value] = n
        if found:
            facets[name] = found
    return total.bit_count(), facets
