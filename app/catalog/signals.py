"""What catalogue writes tell the parts built on them (blinker signals; enrolment subscribes, and the
catalogue never imports it).

Both are sent inside the write transaction, with the session as sender. A receiver does its writes
there and may return a callable to run once the transaction is committed (mail to learners); `then()`
collects those.

- `session_changed(session, told=..., grew=...)`: told maps the fields learners are told about to their
  old values ("days": the days before the change); grew says the capacity grew (the waitlist may move up).
- `session_cancelled(session)`: the session is cancelled for good.
- `session_audience(session)`: asked (read only) while the cancel page is drawn; receivers return
  {status: count} of the session's learners.
"""
from __future__ import annotations

from collections.abc import Callable

from blinker import Namespace

_signals = Namespace()
session_changed = _signals.signal("session-changed")
session_cancelled = _signals.signal("session-cancelled")
session_audience = _signals.signal("session-audience")


def then(results: list) -> list[Callable[[], None]]:
    """The after-commit callables among a signal's results."""
    return [result for _receiver, result in results if callable(result)]


def counts(results: list) -> dict[str, int]:
    merged: dict[str, int] = {}
    for _receiver, result in results:
        for status, n in (result or {}).items():
            merged[status] = merged.get(status, 0) + n
    return merged
