"""Worked time of a day in real seconds, in the user's zone, and its renderings as hours."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from workingtimes.models import BREAK_SLOTS, break_fields

HUNDREDTH = Decimal("0.01")


def clock(value: time) -> str:
    """08:18 (or 08:18:30 when there are seconds), for messages."""
    return value.strftime("%H:%M:%S" if value.second else "%H:%M")


def _microseconds(value: time) -> int:
    return ((value.hour * 60 + value.minute) * 60 + value.second) * 1_000_000 + value.microsecond


@functools.lru_cache(maxsize=4096)
def _steady(zone: ZoneInfo, day: date) -> bool:
    """Whether `zone`'s UTC offset holds all `day` (no clock change), so that wall-clock
    differences are real time. Checked at every hour and at the day's last second: offsets
    change at most a few times a year, and never twice within an hour."""
    offsets = {datetime.combine(day, time(hour), tzinfo=zone).utcoffset() for hour in range(24)}
    offsets.add(datetime.combine(day, time(23, 59, 59), tzinfo=zone).utcoffset())
    return len(offsets) == 1


def elapsed_seconds(day: date, start: time, end: time, zone: ZoneInfo | None) -> int:
    """Real time between two wall-clock times of `day` in `zone`.

    On the days the clocks change, 01:00-05:00 is 3 or 5 hours, not 4. Without a zone (an
    admin form before a user is chosen) the wall-clock difference is used.
    """
    if zone is None or _steady(zone, day):
        return max(0, (_microseconds(end) - _microseconds(start)) // 1_000_000)
    begin = datetime.combine(day, start, tzinfo=zone).astimezone(UTC)
    finish = datetime.combine(day, end, tzinfo=zone).astimezone(UTC)
    # A time inside the spring-forward gap maps past the gap; never count a negative span.
    return max(0, int((finish - begin).total_seconds()))


def worked_seconds(values: Mapping[str, Any], *, zone: ZoneInfo | None) -> tuple[int, int]:
    """(worked seconds, break seconds) of a day whose times are already known to be valid."""
    day = values["working_date"]
    span = elapsed_seconds(day, values["daily_time_start"], values["daily_time_end"], zone)
    pauses = 0
    for slot in BREAK_SLOTS:
        start_field, end_field = break_fields(slot)
        start, end = values.get(start_field), values.get(end_field)
        if start is not None and end is not None:
            pauses += elapsed_seconds(day, start, end, zone)
    return max(0, span - pauses), pauses


def hours(seconds: int) -> Decimal:
    """Seconds as hours, rounded half up to two decimals (7.41666 h -> 7.42)."""
    return (Decimal(seconds) / 3600).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def minutes(seconds: int) -> str:
    """`45 min`, or `45 min 30 s`, for messages."""
    whole, rest = divmod(seconds, 60)
    return f"{whole} min {rest} s" if rest else f"{whole} min"
