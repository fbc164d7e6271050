"""A reviewer's decision on one record: approve it, or turn it down with a reason written on a confirmation
page of its own (staff review provider applications, courses and exchange records this way).

GET on the turn-down address asks (`ask_reason`); the POST decides (`decide`) and answers. Each feature keeps
its own rule of what may be decided and its own services; these two functions hold only the steps every such
view takes.
"""
from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect

from app.platform.extensions import db


def ask_reason(still_open: bool, *, decided: str, back: str, page: Callable[[], object]):
    """The confirmation page (`page()`), or back to the record (`back`) with the error `decided` when the
    record has been decided already."""
    if not still_open:
        flash(decided, "error")
        return redirect(back)
    return page()


def decide(form, *, turn_down: bool, act: Callable[[], None], failure: type[Exception], back: str,
           ask: Callable[[int], object], show: Callable[[], object], done: str, then: str,
           tell: Callable[[], None] | None = None, reason=None, reason_missing: str = "",
           on_failure: Callable[[Exception], object] | None = None):
    """The POST of a decision. Answers 400 on a form error: the confirmation page (`ask(400)`) when turning
    down, else the record's page (`show()`); `reason`, a field, is then required, with `reason_missing` as
    its error. `act()` calls the service; its `failure` rolls back and goes back to the record (`back`) with
    the error, unless `on_failure(error)` answers. Once the decision is committed, `tell()` whoever needs to
    know, flash `done` and go to `then`."""
    if form.validate_on_submit() and turn_down and reason is not None and not reason.data:
        reason.errors = [reason_missing]
    if form.errors or not form.is_submitted():
        return ask(400) if turn_down else (show(), 400)
    try:
        act()
    except failure as error:
        db.session.rollback()
        answer = on_failure(error) if on_failure is not None else None
        if answer is not None:
            return answer
        flash(str(error), "error")
        return redirect(back)
    db.session.commit()
    if tell is not None:
        tell()
    flash(done, "success")
    return redirect(then)
