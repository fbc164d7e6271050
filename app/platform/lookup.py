"""Views load a record by what the URL names; a record that does not exist is a 404."""
from __future__ import annotations

from typing import TypeVar

from flask import abort

T = TypeVar("T")


def found(record: T | None) -> T:
    """`record`, or abort with 404 when the lookup found nothing."""
    if record is None:
        abort(404)
    return record
