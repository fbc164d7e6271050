"""One pagination for every list page: parse the page number, count once, 404 out of range."""
from __future__ import annotations

import math
from dataclasses import dataclass

import sqlalchemy as sa
from flask import abort

from app.platform.extensions import db

MAX_PAGE = 10_000


def page_number(raw: str | None) -> int:
    """A page number from the query string; anything malformed or absurd is a 404, never a 500."""
    raw = (raw or "1").strip()
    if not (len(raw) <= 6 and raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_PAGE:
        abort(404)
    return int(raw)


@dataclass
class Page:
    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(math.ceil(self.total / self.per_page), 1)

    def window(self, around: int = 2) -> list[int | None]:
        """Page numbers to show, with None for a gap: 1 … 4 5 [6] 7 8 … 20."""
        shown = sorted({1, self.pages, *range(self.page - around, self.page + around + 1)})
        out: list[int | None] = []
        for n in (n for n in shown if 1 <= n <= self.pages):
            if out and out[-1] is not None and n - out[-1] > 1:
                out.append(None)
            out.append(n)
        return out


def count_rows(stmt: sa.Select) -> int:
    """How many rows `stmt` gives, in one query (its ordering left out)."""
    return db.session.execute(sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery())).scalar_one()


def page_items(stmt: sa.Select, page: int, per_page: int, *, scalars: bool = False) -> list:
    """The rows (or with `scalars`, the first column's values) of one page of `stmt`; past the end: []."""
    stmt = stmt.limit(per_page).offset((page - 1) * per_page)
    return list(db.session.scalars(stmt).all() if scalars else db.session.execute(stmt).all())


def paginate_rows(stmt: sa.Select, page: int, per_page: int) -> Page:
    """Rows (not scalars) of one page of `stmt`; a page past the end is a 404."""
    page_obj = Page([], page, per_page, count_rows(stmt))
    if page > page_obj.pages:
        abort(404)
    page_obj.items = page_items(stmt, page, per_page)
    return page_obj
