"""Interval arithmetic on half-open [start, end) ranges of aware datetimes.

Everything here compares instants, never wall-clock values, so a day on which the clocks
change has its real length (23 or 25 hours) and the same minute is never counted twice.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

Interval = tuple[datetime, datetime]
MICROSECOND = timedelta(microseconds=1)


def union(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, disjoint intervals covering exactly what the input covers; empty ones dropped.

    Touching intervals merge (08:00-12:00 and 12:00-13:00 become 08:00-13:00).
    """
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if start >= end:
            continue  # empty: dropped
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def subtract(minuend: list[Interval], subtrahend: list[Interval]) -> list[Interval]:
    """`minuend` without `subtrahend`; both sorted and disjoint (as `union` returns them)."""
    result: list[Interval] = []
    index = 0
    for start, end in minuend:
        current = start
        # Cuts ending before this interval cannot touch any later one either.
        while index < len(subtrahend) and subtrahend[index][1] <= current:
            index += 1
        probe = index
        while probe < len(subtrahend) and subtrahend[probe][0] < end:
            cut_start, cut_end = subtrahend[probe]
            if cut_start > current:
                result.append((current, cut_start))
            current = max(current, cut_end)
            probe += 1
        if current < end:
            result.append((current, end))
    return result


def seconds(intervals: Iterable[Interval]) -> int:
    """Whole seconds covered, summed exactly in microseconds (floats could round a sum of
    fractions below a whole second; look-back tallies sum integers the same way)."""
    return sum((end - start) // MICROSECOND for start, end in intervals) // 1_000_000


def overlaps(a: Interval, b: Interval) -> bool:
    return a[0] < b[1] and b[0] < a[1]


@functools.lru_cache(maxsize=65536)
def wall_clock(day: date, at: time, zone: ZoneInfo) -> datetime:
    """A wall-clock time of `day` in `zone` as an instant.

    Ambiguous times (the repeated hour in autumn) are their first occurrence, times in the
    spring-forward gap are read with the offset before the gap (both `fold=0`, as Python and
    the source apps read them). Cached: the same few times recur on every day of every user.
    Returned in UTC: Python subtracts and compares two datetimes
    of the same tzinfo by their wall-clock fields, which is wrong across a clock change.
    """
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def local_today(zone: ZoneInfo, now: datetime) -> date:
    """The local date of `now` in `zone`."""
    return now.astimezone(zone).date()


def day_bounds(day: date, zone: ZoneInfo) -> Interval:
    """The local day as instants: midnight to next midnight (23, 24 or 25 hours)."""
    return wall_clock(day, time(0), zone), wall_clock(day + timedelta(days=1), time(0), zone)


def dates_touched(
    start: datetime | None, end: datetime | None, zone: ZoneInfo, first: date, last: date
) -> list[date]:
    """Local dates within [first, last] that [start, end) overlaps (None: unbounded)."""
    lo = first if start is None else max(first, start.astimezone(zone).date())
    hi = last if end is None else min(last, end.astimezone(zone).date())
    days: list[date] = []
    day = lo
    while day <= hi:
        bounds = day_bounds(day, zone)
        if (start is None or start < bounds[1]) and (end is None or end > bounds[0]):
            days.append(day)
        day += timedelta(days=1)
    return days
