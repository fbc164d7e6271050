"""The URLs each page kind is measured with: many of them, drawn from a fixed seed, so that no single cached
URL stands for the whole kind."""
from __future__ import annotations

import random
from datetime import date, timedelta
from urllib.parse import urlencode

from bench import vocab
from bench.data import AUDIENCES, KINDS, MODES

SKILLS = list(vocab.TOPICS)
LANGUAGES = ["en", "ja", "de", "fr", "sv", "pl", "es", "it"]
COUNTRIES = list(vocab.COUNTRIES)


def _url(lang: str, params: list[tuple[str, str]]) -> str:
    return f"/{lang}/courses" + (("?" + urlencode(params)) if params else "")


def _filter(rng: random.Random, name: str, n_providers: int, today: date) -> list[tuple[str, str]]:
    if name == "skill":
        return [("skill", code) for code in rng.sample(SKILLS, rng.choice((1, 1, 1, 2)))]
    if name == "dates":
        start = today + timedelta(days=rng.randint(0, 200))
        return [("from", start.isoformat()), ("to", (start + timedelta(days=rng.choice((30, 90, 180)))).isoformat())]
    value = {
        "kind": lambda: rng.choice(list(KINDS)),
        "mode": lambda: rng.choice(list(MODES)),
        "language": lambda: rng.choice(LANGUAGES),
        "level": lambda: str(rng.randint(2, 8)),
        "audience": lambda: rng.choice(AUDIENCES),
        "country": lambda: rng.choice(COUNTRIES),
        "provider": lambda: str(rng.randint(1, n_providers)),
        "free": lambda: "1",
    }[name]()
    return [(name, value)]


FILTERS = ["skill", "kind", "mode", "language", "level", "audience", "country", "free", "dates", "provider"]
FILTER_WEIGHTS = [20, 14, 12, 10, 8, 8, 12, 6, 6, 4]


def catalogue(n: int, n_providers: int = 300, today: date | None = None, seed: int = 11) -> list[str]:
    """Catalogue pages: 0-3 filters, a sort, pages 1-3 (later pages only when broad enough to exist)."""
    rng, today = random.Random(seed), today or date.today()
    urls: set[str] = set()
    while len(urls) < n:
        count = rng.choices((0, 1, 2, 3), weights=(8, 42, 35, 15))[0]
        names: list[str] = []
        while len(names) < count:
            name = rng.choices(FILTERS, weights=FILTER_WEIGHTS)[0]
            if name not in names:
                names.append(name)
        params: list[tuple[str, str]] = []
        for name in names:
            params += _filter(rng, name, n_providers, today)
        if rng.random() < 0.35:
            params.append(("sort", "newest"))
        if count <= 1 and "provider" not in names:
            page = rng.choices((1, 2, 3), weights=(70, 20, 10))[0]
            if page > 1:
                params.append(("page", str(page)))
        urls.add(_url(rng.choice(("en", "ja")), params))
    return sorted(urls)


def searches(n: int, seed: int = 12) -> list[str]:
    """Searches: EN and JA terms of 2 and 3+ characters, some mixed, some with a filter or another sort."""
    rng = random.Random(seed)
    terms = vocab.SEARCH_TERMS_EN + vocab.SEARCH_TERMS_JA + vocab.JA_BIGRAMS[:8]
    urls: set[str] = set()
    while len(urls) < n:
        q = rng.choice(terms)
        if rng.random() < 0.2:
            q += " " + rng.choice(terms)
        params = [("q", q)]
        if rng.random() < 0.3:
            params += _filter(rng, rng.choice(["kind", "mode", "free", "skill", "country"]), 300, date.today())
        if rng.random() < 0.15:
            params.append(("sort", rng.choice(("soonest", "newest"))))
        urls.add(_url(rng.choice(("en", "ja")), params))
    return sorted(urls)


def ja_bigrams(seed: int = 13) -> list[str]:
    """Japanese 2-character searches (served by course_gram), in both page languages and sorts."""
    return sorted({_url(lang, [("q", term)] + ([("sort", sort)] if sort else []))
                   for term in vocab.JA_BIGRAMS for lang in ("en", "ja") for sort in ("", "soonest")})


def courses(ids: list[int], n: int, seed: int = 14) -> list[str]:
    rng = random.Random(seed)
    return [f"/{rng.choice(('en', 'ja'))}/courses/{course_id}" for course_id in rng.sample(ids, min(n, len(ids)))]
