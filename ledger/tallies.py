"""Look-back days as integers: work and break intervals in epoch microseconds.

The §3 average needs the net minutes of 24 weeks of days, hundreds of thousands of
intervals for a month of a thousand people. Read as aware datetimes, each one costs a
conversion, a zone lookup and slow comparisons; as integers the same union arithmetic
(`ledger.days.net_of`, which only compares and sorts) costs a fraction. The instants are
the same ones the day rows use (`wall_clock` for wall-clock sources, the stored instant
otherwise), so a tally's minutes equal the day row's `work_minutes`.
"""

from __future__ import annotations

import functools
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from config.instants import EPOCH, from_micros
from ledger.intervals import day_bounds, wall_clock

MICROSECOND = timedelta(microseconds=1)
MICROSECONDS_PER_MINUTE = 60_000_000

Micros = tuple[int, int]


def micros(value: datetime | int) -> int:
    """An instant as integer epoch microseconds (PostgreSQL reads them so already)."""
    if type(value) is int:
        return value
    return (value - EPOCH) // MICROSECOND  # type: ignore[operator]


@functools.lru_cache(maxsize=65536)
def wall_micros(day: date, at: time, zone: ZoneInfo) -> int:
    """`wall_clock` as epoch microseconds: the same reading of ambiguous and skipped times."""
    return micros(wall_clock(day, at, zone))


@dataclass(slots=True)
class DayTally:
    """A look-back day reduced to what its net minutes need: no refs, flags or sources."""

    work: list[Micros]
    breaks: list[Micros]
    full_day_absence: bool = False


class LocalDays:
    """The user's local date of an instant in epoch microseconds, by bisecting the local
    midnights of the dates read (the day bounds the ledger uses everywhere)."""

    def __init__(self, first: date, last: date) -> None:
        self.first = first - timedelta(days=1)
        self.dates = [self.first + timedelta(days=n) for n in range((last - first).days + 3)]
        self.midnights: dict[ZoneInfo, list[int]] = {}

    def of(self, instant: int, zone: ZoneInfo) -> date:
        midnights = self.midnights.get(zone)
        if midnights is None:
            midnights = [micros(day_bounds(day, zone)[0]) for day in self.dates]
            self.midnights[zone] = midnights
        index = bisect_right(midnights, instant) - 1
        if 0 <= index < len(self.dates) - 1:
            return self.dates[index]
        return from_micros(instant).astimezone(zone).date()  # type: ignore[union-attr]
