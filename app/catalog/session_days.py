"""A session's days: made from a daily pattern (first day, number of days, daily hours) or one start and
end, turned into UTC in the session's zone, and kept in step with the session's first start and last end.

Every session has at least one day. A session created with only `starts_at`/`ends_at` (the demo, the
API, tests) gets its days when it is flushed: consecutive days with the same hours, as migration 0010
did for the sessions that existed before days.
"""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.catalog.models import CourseSession, SessionDay

MAX_DAYS = 60


def local_span(day: date, start: time, end: time, zone_name: str) -> tuple[datetime, datetime]:
    """One day's hours in UTC; an end at or before the start is on the next day (22:00–02:00)."""
    zone = ZoneInfo(zone_name)
    begins = datetime.combine(day, start, tzinfo=zone)
    finishes = datetime.combine(day + timedelta(days=1) if end <= start else day, end, tzinfo=zone)
    return begins.astimezone(UTC), finishes.astimezone(UTC)


def pattern_days(first: date, count: int, start: time, end: time, zone_name: str) -> list[tuple]:
    """`count` consecutive days from `first`, each from `start` to `end` local time: (date, start, end)."""
    return [(first + timedelta(days=i), *local_span(first + timedelta(days=i), start, end, zone_name))
            for i in range(count)]


def days_from_span(starts_at: datetime, ends_at: datetime, zone_name: str) -> list[tuple]:
    """One start and end read as consecutive days with the same hours ("21–22 Dec, 8:00–16:00" is two
    days of eight hours); a span whose end clock is not after its start clock is one block."""
    zone = ZoneInfo(zone_name)
    first, last = starts_at.astimezone(zone), ends_at.astimezone(zone)
    if first.date() == last.date() or last.time() <= first.time():
        return [(first.date(), starts_at, ends_at)]
    count = (last.date() - first.date()).days + 1
    return pattern_days(first.date(), count, first.time(), last.time(), zone_name)


def set_days(session: CourseSession, days: list[tuple]) -> None:
    """Replace the session's days with (date, start, end) triples; its starts_at/ends_at/starts_on follow."""
    days = sorted(days, key=lambda d: d[1])
    kept = {d.day: d for d in session.days}
    session.days = [_day(kept.get(on), on, start, end) for on, start, end in days]
    session.starts_at, session.ends_at = days[0][1], days[-1][2]
    session.starts_on = days[0][0]


def _day(row: SessionDay | None, on: date, start: datetime, end: datetime) -> SessionDay:
    row = row or SessionDay(day=on)
    row.starts_at, row.ends_at = start, end
    return row


def same_hours(session: CourseSession) -> tuple[time, time] | None:
    """The daily local hours when every day has the same ones, else None."""
    zone = ZoneInfo(session.timezone)
    hours = {(s.astimezone(zone).time(), e.astimezone(zone).time()) for s, e in session.spans}
    return hours.pop() if len(hours) == 1 else None


def _out_of_step(obj: CourseSession) -> bool:
    """A stored session whose start, end or zone was set directly (the API, a script), not through its
    days: its first day no longer starts at its start, or its last day no longer ends at its end."""
    state = sa.inspect(obj)
    if not any(state.attrs[name].history.has_changes() for name in ("starts_at", "ends_at", "timezone")):
        return False
    days = sorted(obj.days, key=lambda d: d.starts_at)
    return not days or days[0].starts_at != obj.starts_at or days[-1].ends_at != obj.ends_at or (
        state.attrs.timezone.history.has_changes() and not state.attrs.days.history.has_changes())


@sa.event.listens_for(Session, "before_flush")
def _days_follow_the_span(db_session, _context, _instances) -> None:
    for obj in [*db_session.new, *db_session.dirty]:
        if not isinstance(obj, CourseSession) or not (obj.starts_at and obj.ends_at and obj.timezone):
            continue
        if (obj in db_session.new and not obj.days) or (obj not in db_session.new and _out_of_step(obj)):
            set_days(obj, days_from_span(obj.starts_at, obj.ends_at, obj.timezone))
