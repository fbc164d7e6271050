"""The catalogue search: the courses matching a set of filters, in order, with every filter's option
counts, and the cache that shares them across processes until the catalogue changes."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import datetime

import sqlalchemy as sa

from app.catalog.facet_index import current_index, facet_counts
from app.catalog.models import (
    Course,
    CourseGram,
    CourseLanguage,
    CourseSearch,
    CourseSession,
    CourseStatus,
    SessionStatus,
    SkillArea,
    course_skill_area,
)
from app.catalog.params import CatalogueFilters
from app.catalog.queries import catalogue_version
from app.catalog.search import Term, parse_terms
from app.platform.extensions import db


def _term_ids(term: Term, dialect: str) -> sa.Select:
    """The ids of courses whose search text holds this term, through an index wherever one serves."""
    if term.kind == "long":
        if dialect == "sqlite":
            phrase = '"' + term.text.replace('"', '""') + '"'
            return sa.select(sa.literal_column("rowid")).select_from(sa.text("course_fts")).where(
                sa.text("course_fts MATCH :phrase").bindparams(sa.bindparam("phrase", phrase, unique=True))
            )
        return sa.select(CourseSearch.course_id).where(
            CourseSearch.body.contains(term.text, autoescape=True)
        )
    if term.kind in ("gram", "prefix"):
        key = term.text if term.kind == "gram" else "^" + term.text
        return sa.select(CourseGram.course_id).where(CourseGram.gram == key)
    return sa.select(CourseSearch.course_id).where(CourseSearch.body.contains(term.text, autoescape=True))


def _session_conditions(f: CatalogueFilters, now: datetime, with_country: bool = True) -> list:
    conds = [CourseSession.status == SessionStatus.SCHEDULED, CourseSession.starts_at >= now]
    if f.country and with_country:
        conds.append(CourseSession.venue_country == f.country)
    if f.date_from:
        conds.append(CourseSession.starts_on >= f.date_from)
    if f.date_to:
        conds.append(CourseSession.starts_on <= f.date_to)
    return conds


def _conditions(f: CatalogueFilters, now: datetime, dialect: str, skip: str | None = None) -> list:
    """WHERE clauses over Course for these filters, leaving out the facet `skip`."""
    conds = [Course.status == CourseStatus.PUBLISHED]
    for term in parse_terms(f.q):
        conds.append(Course.id.in_(_term_ids(term, dialect)))
    if f.skills and skip != "skill":
        conds.append(
            Course.id.in_(
                sa.select(course_skill_area.c.course_id)
                .join(SkillArea, SkillArea.id == course_skill_area.c.skill_area_id)
                .where(SkillArea.code.in_(f.skills))
            )
        )
    simple = {
        "kind": (Course.kind, f.kind),
        "mode": (Course.delivery_mode, f.mode),
        "level": (Course.eqf_level, f.level),
        "audience": (Course.audience, f.audience),
        "provider": (Course.provider_id, f.provider),
    }
    for name, (column, value) in simple.items():
        if value is not None and skip != name:
            conds.append(column == value)
    if f.language and skip != "language":
        conds.append(
            Course.id.in_(sa.select(CourseLanguage.course_id).where(CourseLanguage.language == f.language))
        )
    if f.free and skip != "free":
        conds.append(Course.price_amount.is_(None))
    if f.has_session_filter and skip != "country":
        conds.append(Course.id.in_(sa.select(CourseSession.course_id).where(*_session_conditions(f, now))))
    elif skip == "country" and (f.date_from or f.date_to):
        conds.append(
            Course.id.in_(
                sa.select(CourseSession.course_id).where(*_session_conditions(f, now, with_country=False))
            )
        )
    return conds


@dataclass
class CatalogueResult:
    total: int
    ids: list[int]
    facets: dict[str, dict[str, int]]


def count_and_facets(f: CatalogueFilters, now: datetime) -> tuple[int, dict[str, dict[str, int]]]:
    """How many courses match, and every filter's option counts, from this process's facet index (one
    statement for the catalogue version, and one for the search terms' matches when there are terms)."""
    index = current_index(now)
    terms = parse_terms(f.q)
    if terms:
        dialect = db.session.get_bind().dialect.name
        ids = db.session.scalars(
            sa.select(Course.id).where(Course.status == CourseStatus.PUBLISHED,
                                       *(Course.id.in_(_term_ids(term, dialect)) for term in terms))
        )
        matching = index.bits_of_ids(ids)
    else:
        matching = index.published
    return facet_counts(index, f, now, matching)


def result_ids(f: CatalogueFilters, now: datetime, page_size: int) -> list[int]:
    """The ids of one page of results, in order (one statement)."""
    dialect = db.session.get_bind().dialect.name
    next_start = (
        sa.select(sa.func.min(CourseSession.starts_at))
        .where(CourseSession.course_id == Course.id, *_session_conditions(f, now))
        .correlate(Course)
        .scalar_subquery()
    )
    if not f.has_session_filter:
        # The kept column, except where it has gone stale since the last refresh.
        fresh = sa.or_(Course.next_session_at.is_(None), Course.next_session_at >= now)
        next_start = sa.case((fresh, Course.next_session_at), else_=next_start)
    order = [next_start.is_(None)]  # courses with no upcoming session come last
    if f.sort == "relevance" and f.q:
        order.append(_relevance(f).desc())
    if f.sort == "newest":
        order.append(Course.published_at.desc())
    order.extend([next_start.asc(), Course.id.desc()])
    return list(
        db.session.scalars(
            sa.select(Course.id).where(*_conditions(f, now, dialect)).order_by(*order)
            .limit(page_size).offset((f.page - 1) * page_size)
        )
    )


def search_catalogue(f: CatalogueFilters, now: datetime, page_size: int) -> CatalogueResult:
    total, facets = count_and_facets(f, now)
    return CatalogueResult(total=total, ids=result_ids(f, now, page_size), facets=facets)


def _relevance(f: CatalogueFilters):
    """Title hits weigh three times a hit elsewhere (every result matches every term somewhere)."""
    score = sa.literal(0)
    title = sa.select(CourseSearch.title).where(CourseSearch.course_id == Course.id).scalar_subquery()
    for term in parse_terms(f.q):
        score = score + sa.case((title.contains(term.text, autoescape=True), 3), else_=1)
    return score


def cached_search_catalogue(f: CatalogueFilters, now: datetime, page_size: int, seconds: int):
    """search_catalogue, reused across processes until the catalogue changes or `seconds` pass.

    The counts are stored apart from the page of ids, so every page and sort order of one set of
    filters shares them: only the cheap ordered-ids statement runs for page 2.
    """
    from app.platform import cache

    if seconds <= 0:
        return search_catalogue(f, now, page_size)
    version = catalogue_version()

    def key(kind: str, state: CatalogueFilters) -> str:
        digest = hashlib.sha256(f"{page_size}:{state.cache_key()}".encode()).hexdigest()[:32]
        return f"catalogue:{kind}:{version}:{digest}"

    counts_key = key("counts", replace(f, page=1, sort="soonest"))
    counts = cache.get_json(counts_key)
    if counts is None:
        total, facets = count_and_facets(f, now)
        counts = {"total": total, "facets": facets}
        cache.set_json(counts_key, counts, seconds)
    ids_key = key("ids", f)
    ids = cache.get_json(ids_key)
    if ids is None:
        ids = result_ids(f, now, page_size)
        cache.set_json(ids_key, ids, seconds)
    return CatalogueResult(total=counts["total"], ids=ids, facets=counts["facets"])
