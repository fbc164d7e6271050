"""The session side of the facet index: which courses have a scheduled session from `now` on, in a date range
and a country, as bitsets over course positions (see facet_index.py).

Sessions are kept sorted by (starts_on, starts_at) and cut into blocks; each block holds the OR of its
courses' bits, overall and per venue country. A question ORs the blocks that lie wholly inside it and looks
at the sessions of the few blocks at its edges (the date bounds, and the block `now` falls in) one by one,
so its cost follows the number of blocks, not the number of sessions.
"""
from __future__ import annotations

import sys
from array import array
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from operator import itemgetter

BLOCK = 1024  # sessions per block: fewer blocks to OR against fewer sessions to look at on the edges
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def bits_of(positions: Iterable[int], nbytes: int) -> int:
    """The bitset with these bit positions set, built in a byte buffer (setting bits on an int one by one
    copies the whole int each time)."""
    buf = bytearray(nbytes)
    for p in positions:
        buf[p >> 3] |= 1 << (p & 7)
    return int.from_bytes(buf, "little")


def instant(moment: datetime) -> int:
    """An aware datetime as integer microseconds since the epoch: exact, and cheap to compare."""
    return (moment - _EPOCH) // _MICROSECOND


@dataclass
class _Block:
    first: int  # index of its first session
    end: int  # index after its last session
    first_day: int
    last_day: int
    earliest: int  # the earliest and latest starts_at among its sessions (instants)
    latest: int
    courses: int  # bits of the courses with a session in it
    by_country: dict[str, int]


@dataclass
class SessionIndex:
    """Scheduled sessions of published courses starting at or after `horizon`, with each one's course position."""

    nbytes: int
    # Compact arrays, and one string object per country: about 3 MiB less at 26,000 sessions.
    days: array = field(default_factory=lambda: array("q"))  # date ordinals, ascending
    starts: array = field(default_factory=lambda: array("q"))  # instants
    countries: list[str | None] = field(default_factory=list)
    positions: array = field(default_factory=lambda: array("q"))
    blocks: list[_Block] = field(default_factory=list)
    _memo: tuple | None = None  # (now, any-country bits, per-country bits) for the no-date question

    @classmethod
    def build(cls, rows: Iterable[tuple[int, datetime, date, str | None]], nbytes: int) -> SessionIndex:
        """rows: (course position, starts_at, starts_on, venue_country), in any order."""
        index = cls(nbytes)
        ordered = sorted(((day.toordinal(), instant(start), country, position)
                          for position, start, day, country in rows), key=itemgetter(0, 1))
        for day, start, country, position in ordered:
            index.days.append(day)
            index.starts.append(start)
            index.countries.append(None if country is None else sys.intern(country))
            index.positions.append(position)
        for first in range(0, len(ordered), BLOCK):
            end = min(first + BLOCK, len(ordered))
            by_country: dict[str, list[int]] = defaultdict(list)
            for i in range(first, end):
                if index.countries[i] is not None:
                    by_country[index.countries[i]].append(index.positions[i])
            starts = index.starts[first:end]
            index.blocks.append(_Block(
                first, end, index.days[first], index.days[end - 1], min(starts), max(starts),
                bits_of(index.positions[first:end], nbytes),
                {c: bits_of(ps, nbytes) for c, ps in by_country.items()},
            ))
        return index

    def courses(self, now: datetime, day_from: date | None, day_to: date | None) -> tuple[int, dict[str, int]]:
        """The courses with a session from `now` on within the dates (either bound may be open): in any
        country (online ones included), and per venue country."""
        if day_from is None and day_to is None and self._memo and self._memo[0] == now:
            return self._memo[1], self._memo[2]
        result = self._courses(instant(now), day_from.toordinal() if day_from else None,
                               day_to.toordinal() if day_to else None)
        if day_from is None and day_to is None:
            self._memo = (now, *result)
        return result

    def _courses(self, now: int, low: int | None, high: int | None) -> tuple[int, dict[str, int]]:
        lo = 0 if low is None else bisect_left(self.days, low)
        hi = len(self.days) if high is None else bisect_right(self.days, high)
        any_bits = 0
        by_country: dict[str, int] = {}
        loose: list[int] = []  # sessions looked at one by one
        for block in self.blocks:
            if block.end <= lo or block.first >= hi or block.latest < now:
                continue
            if block.first >= lo and block.end <= hi and block.earliest >= now:
                any_bits |= block.courses
                for country, bits in block.by_country.items():
                    by_country[country] = by_country.get(country, 0) | bits
            else:
                loose.extend(i for i in range(max(block.first, lo), min(block.end, hi))
                             if self.starts[i] >= now)
        if loose:
            any_bits |= bits_of((self.positions[i] for i in loose), self.nbytes)
            per: dict[str, list[int]] = defaultdict(list)
            for i in loose:
                if self.countries[i] is not None:
                    per[self.countries[i]].append(self.positions[i])
            for country, ps in per.items():
                by_country[country] = by_country.get(country, 0) | bits_of(ps, self.nbytes)
        return any_bits, by_country
