"""The catalogue's query string: parsed into a frozen value, and turned back into URL arguments.

Unknown or malformed values are dropped and reported, never raised: a shared URL with a stale
filter still opens.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime

from babel import Locale
from werkzeug.datastructures import MultiDict

from app.catalog.models import Audience, CourseKind, DeliveryMode
from app.catalog.search import MAX_QUERY_CHARS
from app.i18n.countries import is_country

SORTS = ("relevance", "soonest", "newest")
MAX_PAGE = 10_000
# ISO 639-1 codes a language-of-instruction filter may name.
LANGUAGE_CODES = frozenset(code for code in Locale("en").languages if len(code) == 2)


def now_minute() -> datetime:
    """Now, to the minute: cached results and "upcoming" agree within one request burst."""
    return datetime.now(UTC).replace(second=0, microsecond=0)


class PageNotFound(Exception):
    """A page number that is malformed or out of range: the view answers 404."""


@dataclass(frozen=True)
class CatalogueFilters:
    q: str = ""
    skills: tuple[str, ...] = ()
    kind: str | None = None
    mode: str | None = None
    language: str | None = None
    level: int | None = None
    audience: str | None = None
    country: str | None = None
    provider: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    free: bool = False
    sort: str = "soonest"
    page: int = 1
    ignored: tuple[str, ...] = field(default=(), compare=False)

    @property
    def has_session_filter(self) -> bool:
        return bool(self.country or self.date_from or self.date_to)

    def to_args(self, **changes) -> dict:
        """URL arguments for this state (with changes), leaving out defaults so URLs stay short."""
        f = replace(self, **changes) if changes else self
        args: dict = {}
        if f.q:
            args["q"] = f.q
        if f.skills:
            args["skill"] = list(f.skills)
        for name in ("kind", "mode", "language", "level", "audience", "country", "provider"):
            value = getattr(f, name)
            if value is not None:
                args[name] = value
        if f.date_from:
            args["from"] = f.date_from.isoformat()
        if f.date_to:
            args["to"] = f.date_to.isoformat()
        if f.free:
            args["free"] = "1"
        if f.sort != f.default_sort:
            args["sort"] = f.sort
        if f.page != 1:
            args["page"] = f.page
        return args

    @property
    def default_sort(self) -> str:
        return "relevance" if self.q else "soonest"

    def cache_key(self) -> str:
        return repr(replace(self, ignored=()))


def _clean(value: str) -> str:
    return value.replace("\x00", "").strip()


def parse_filters(args: MultiDict, skill_codes: set[str], language_codes: set[str]) -> CatalogueFilters:
    """Parse request.args. Raises PageNotFound for a malformed page; drops other bad values."""
    ignored: list[str] = []

    def choice(name: str, allowed) -> str | None:
        raw = _clean(args.get(name, ""))
        if not raw:
            return None
        if raw in allowed:
            return raw
        ignored.append(name)
        return None

    def integer(name: str, low: int, high: int) -> int | None:
        raw = _clean(args.get(name, ""))
        if not raw:
            return None
        if len(raw) <= 10 and raw.isascii() and raw.isdigit() and low <= int(raw) <= high:
            return int(raw)
        ignored.append(name)
        return None

    def day(name: str) -> date | None:
        raw = _clean(args.get(name, ""))
        if not raw:
            return None
        try:
            return date.fromisoformat(raw) if len(raw) == 10 else _bad(name)
        except ValueError:
            return _bad(name)

    def _bad(name: str) -> None:
        ignored.append(name)
        return None

    q = _clean(args.get("q", ""))[:MAX_QUERY_CHARS]
    skills = []
    for raw in args.getlist("skill")[:20]:
        code = _clean(raw)
        if code in skill_codes and code not in skills:
            skills.append(code)
        elif code:
            ignored.append("skill")
    country = _clean(args.get("country", "")).upper() or None
    if country and not is_country(country):
        ignored.append("country")
        country = None
    date_from, date_to = day("from"), day("to")
    if date_from and date_to and date_to < date_from:
        ignored.append("to")
        date_to = None
    free_raw = _clean(args.get("free", ""))
    filters = CatalogueFilters(
        q=q,
        skills=tuple(skills),
        kind=choice("kind", {k.value for k in CourseKind}),
        mode=choice("mode", {m.value for m in DeliveryMode}),
        language=choice("language", language_codes),
        level=integer("level", 1, 8),
        audience=choice("audience", {a.value for a in Audience}),
        country=country,
        provider=integer("provider", 1, 2**31 - 1),
        date_from=date_from,
        date_to=date_to,
        free=free_raw in ("1", "true", "on", "yes"),
    )
    sort = _clean(args.get("sort", "")) or filters.default_sort
    if sort not in SORTS:
        ignored.append("sort")
        sort = filters.default_sort
    page_raw = _clean(args.get("page", "1")) or "1"
    if not (len(page_raw) <= 6 and page_raw.isascii() and page_raw.isdigit()):
        raise PageNotFound(page_raw[:20])
    if not 1 <= int(page_raw) <= MAX_PAGE:
        raise PageNotFound(page_raw)
    return replace(filters, sort=sort, page=int(page_raw), ignored=tuple(dict.fromkeys(ignored)))
