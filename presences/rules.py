"""MOCO's rules for one user's presences on one day, as plain functions.

One implementation for every way in: the services (API, admin, demo) check a presence
against the day's others with them, and the importer checks whole batches with them.

- `to` is later than `from` (an open presence has no `to`);
- presences do not overlap, taken as half-open intervals; an open one runs to midnight,
  so at most one presence of a day is open;
- one home-office flag per day: MOCO's `is_home_office` "sets the whole day".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from operator import itemgetter
from typing import Any, NamedTuple

END_OF_DAY_MINUTES = 24 * 60


def hm(value: dt.time | None) -> str:
    return value.strftime("%H:%M") if value is not None else "open"


def minutes(value: dt.time | None) -> int:
    """Minutes since midnight; an open end (None) runs to the end of the day."""
    if value is None:
        return END_OF_DAY_MINUTES
    return value.hour * 60 + value.minute


def end_error(from_time: dt.time, to_time: dt.time | None) -> str | None:
    """Why `to` cannot end a presence starting at `from`, or None."""
    if to_time is not None and to_time <= from_time:
        return f"must be later than from ({hm(to_time)} is not after {hm(from_time)})."
    return None


class DaySpan(NamedTuple):
    """One presence of a day, existing or to be written; `key` is what errors name.

    A named tuple: an import builds one per record, and a tuple is built in a third of a
    frozen dataclass's time."""

    key: Any
    from_time: dt.time
    to_time: dt.time | None
    is_home_office: bool = False


def overlaps(a: DaySpan, b: DaySpan) -> bool:
    """Whether two spans of one day share time (touching is fine)."""
    return minutes(a.from_time) < minutes(b.to_time) and minutes(b.from_time) < minutes(a.to_time)


_START_THEN_END = itemgetter(0, 1)


def clashes(spans: Iterable[DaySpan]) -> Iterator[tuple[DaySpan, DaySpan]]:
    """Overlapping pairs of one day's spans: (the later-starting one, one it overlaps).

    The batch form of `overlaps`, in one sweep by start: a span starting before the furthest
    end so far overlaps the span that reaches there. Every span that overlaps another is
    reported at least once.
    """
    reach, reaching = -1, None
    timed = sorted(
        ((minutes(s.from_time), minutes(s.to_time), s) for s in spans), key=_START_THEN_END
    )
    for start, end, span in timed:
        if reaching is not None and start < reach:
            yield span, reaching
        if end > reach:
            reach, reaching = end, span


def mixed_home_office(spans: Sequence[DaySpan]) -> bool:
    """Whether the day's spans disagree on the home-office flag."""
    return len({span.is_home_office for span in spans}) > 1


def day_home_office(spans: Sequence[DaySpan], default: bool = False) -> bool:
    """The day's flag, which a presence joining the day without its own flag inherits."""
    return spans[0].is_home_office if spans else default
