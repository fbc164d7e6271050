"""A view's look-up that answers 404 when nothing is found (flask-sqlalchemy's first_or_404, for any read)."""
from __future__ import annotations

from typing import TypeVar

from flask import abort

T = TypeVar("T")


def found_or_404(value: T | None) -> T:
    """`course = found_or_404(queries.get_published_course(course_id))`: the value, or a 404 when None."""
    if value is None:
        abort(404)
    return value
