"""The filter counts from the in-memory facet index equal those of the SQL they replaced (kept here as the
oracle: one GROUP BY per filter, each leaving out its own selection), on random small catalogues, random filter
states (search terms in English and Japanese, 2-character Japanese ones included), random moments and
session block sizes, on whichever database the suite runs on."""
from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.catalog import facet_index, facet_sessions
from app.catalog.models import Course, CourseLanguage, CourseSession, SkillArea, course_skill_area
from app.catalog.params import CatalogueFilters, now_minute
from app.catalog.queries import list_skill_areas
from app.catalog.search_queries import _conditions, _session_conditions, count_and_facets
from app.platform.extensions import db
from tests.factories import make_course, make_provider, make_session

WORDS_EN = ["battery", "recycling", "safety", "cell", "module", "black mass"]
WORDS_JA = ["電池", "リサイクル", "安全", "セル", "高電圧", "神戸"]
TERMS = ["ba", "re", "cel", "battery", "recycling", "SAFETY", "mass", "電池", "安全", "りさいくる", "リサイクル",
         "高電", "神戸", "池", "セル", "zz", "kobe"]
COUNTRIES = ["DE", "JP", "FR", None]
LEVELS = [None, 3, 4, 5]
SKILLS = 4  # the first skill areas the migrations create


def _oracle(f: CatalogueFilters, now) -> tuple[int, dict]:
    """count_and_facets as it was: one statement for the total, a UNION ALL of GROUP BYs for the counts."""
    dialect = db.session.get_bind().dialect.name

    def part(name, column, *joins_and_where, distinct=False):
        n = sa.func.count(sa.distinct(Course.id)) if distinct else sa.func.count()
        stmt = sa.select(sa.literal(name), sa.cast(column, sa.String), n).select_from(Course)
        for item in joins_and_where:
            stmt = stmt.join(*item) if isinstance(item, tuple) else stmt.where(item)
        return stmt.where(*_conditions(f, now, dialect, skip=name)).group_by(column)

    parts = [
        part("skill", SkillArea.code, (course_skill_area, course_skill_area.c.course_id == Course.id),
             (SkillArea, SkillArea.id == course_skill_area.c.skill_area_id)),
        part("kind", Course.kind),
        part("mode", Course.delivery_mode),
        part("language", CourseLanguage.language, (CourseLanguage, CourseLanguage.course_id == Course.id)),
        part("level", Course.eqf_level, Course.eqf_level.is_not(None)),
        part("audience", Course.audience),
        part("country", CourseSession.venue_country, (CourseSession, CourseSession.course_id == Course.id),
             sa.and_(*_session_conditions(f, now, with_country=False)), CourseSession.venue_country.is_not(None),
             distinct=True),
        part("provider", Course.provider_id),
        part("free", sa.literal("1"), Course.price_amount.is_(None)),
    ]
    total = db.session.execute(
        sa.select(sa.func.count()).select_from(Course).where(*_conditions(f, now, dialect))
    ).scalar_one()
    facets: dict = defaultdict(dict)
    for facet, value, n in db.session.execute(sa.union_all(*parts)):
        facets[facet][value] = n
    return total, dict(facets)


_session = st.fixed_dictionaries({
    "days": st.integers(-20, 60), "hours": st.sampled_from([0, 1, 13]), "country": st.sampled_from(COUNTRIES),
    "tz": st.sampled_from(["Europe/Berlin", "Asia/Tokyo", "America/New_York"]),
    "status": st.sampled_from(["scheduled", "scheduled", "cancelled"]),
})
_course = st.fixed_dictionaries({
    "provider": st.integers(0, 2), "kind": st.sampled_from(["training", "workshop", "conference"]),
    "mode": st.sampled_from(["in_person", "online", "blended"]), "level": st.sampled_from(LEVELS),
    "audience": st.sampled_from(["engineer", "operator", "manager"]), "free": st.booleans(),
    "skills": st.sets(st.integers(0, SKILLS - 1), max_size=2),
    "languages": st.sets(st.sampled_from(["en", "ja", "de"]), min_size=0, max_size=2),
    "status": st.sampled_from(["published", "published", "published", "draft", "archived"]),
    "title_en": st.lists(st.sampled_from(WORDS_EN), min_size=1, max_size=3), "title_ja": st.lists(st.sampled_from(WORDS_JA),
                                                                                       max_size=3),
    "sessions": st.lists(_session, max_size=3),
})
_state = st.fixed_dictionaries({
    "terms": st.lists(st.sampled_from(TERMS), max_size=2),
    "skills": st.sets(st.integers(0, SKILLS - 1), max_size=2),
    "kind": st.sampled_from([None, "training", "workshop"]),
    "mode": st.sampled_from([None, "online", "in_person"]),
    "language": st.sampled_from([None, "en", "ja", "fr"]),
    "level": st.sampled_from([None, 4, 5, 8]),
    "audience": st.sampled_from([None, "engineer", "manager"]),
    "country": st.sampled_from([None, "DE", "JP", "FR", "US"]),
    "provider": st.sampled_from([None, 0, 1, 2]),
    "from": st.one_of(st.none(), st.integers(-5, 50)), "span": st.one_of(st.none(), st.integers(0, 30)),
    "free": st.booleans(),
})


def _catalogue(courses: list[dict], providers) -> None:
    areas = [a.code for a in list_skill_areas()[:SKILLS]]
    for spec in courses:
        sessions = [make_session(days_ahead=s["days"] + s["hours"] / 24, country=s["country"], tz=s["tz"],
                                 online=s["country"] is None, status=s["status"]) for s in spec["sessions"]]
        make_course(providers[spec["provider"]], kind=spec["kind"], delivery_mode=spec["mode"],
                    eqf_level=spec["level"], audience=spec["audience"],
                    price_amount=None if spec["free"] else 10000, currency=None if spec["free"] else "EUR",
                    skills=tuple(areas[i] for i in sorted(spec["skills"])), languages=tuple(sorted(spec["languages"])),
                    status=spec["status"], title_en=" ".join(spec["title_en"]) or None,
                    title_ja="".join(spec["title_ja"]) or None, sessions=sessions)


def _filters(state: dict, providers, today) -> CatalogueFilters:
    areas = [a.code for a in list_skill_areas()[:SKILLS]]
    day_from = today + timedelta(days=state["from"]) if state["from"] is not None else None
    day_to = (day_from or today) + timedelta(days=state["span"]) if state["span"] is not None else None
    return CatalogueFilters(
        q=" ".join(state["terms"]), skills=tuple(areas[i] for i in sorted(state["skills"])), kind=state["kind"],
        mode=state["mode"], language=state["language"], level=state["level"], audience=state["audience"],
        country=state["country"], free=state["free"], date_from=day_from, date_to=day_to,
        provider=providers[state["provider"]].id if state["provider"] is not None else None,
    )


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(courses=st.lists(_course, min_size=0, max_size=7), states=st.lists(_state, min_size=1, max_size=3),
       block=st.sampled_from([1, 2, 3, facet_sessions.BLOCK]), later=st.sampled_from([0, 0, 1, 60 * 24 * 15]))
def test_counts_equal_the_group_by_counts(app, monkeypatch, courses, states, block, later):
    monkeypatch.setattr(facet_sessions, "BLOCK", block)
    facet_index.forget()  # built with this block size
    example = db.session.begin_nested()  # each example on its own catalogue
    try:
        providers = [make_provider() for _ in range(3)]
        _catalogue(courses, providers)
        # The index is built at the first moment and asked later: sessions begun in between drop out.
        for now in (now_minute(), now_minute() + timedelta(minutes=later)):
            for state in states:
                f = _filters(state, providers, now.date())
                assert count_and_facets(f, now) == _oracle(f, now), f
    finally:
        example.rollback()
        facet_index.forget()  # the rollback hands the version back


def test_a_moment_before_the_index_was_built_rebuilds_it(app):
    make_course(sessions=[make_session(days_ahead=-0.5, country="JP"), make_session(days_ahead=5)])
    now = now_minute()
    f = CatalogueFilters(country="JP")
    assert count_and_facets(f, now) == _oracle(f, now)
    assert count_and_facets(f, now)[0] == 0
    earlier = now - timedelta(days=1)  # the JP session had not begun
    assert count_and_facets(f, earlier) == _oracle(f, earlier)
    assert count_and_facets(f, earlier)[0] == 1
