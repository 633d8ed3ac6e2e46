"""What the ledger reads from the sources, before any maths: spans, absences, flags,
bucketed per (user, local date); and how instants are read cheaply."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from django.db import connection
from django.db.models import F, FloatField, Func

from ledger.intervals import Interval


def instant(name: str):  # type: ignore[no-untyped-def]
    """A timestamptz column read as epoch seconds on PostgreSQL: Django's per-value
    timestamptz loader runs in Python (~50 µs a value, most of an export's time), a float
    costs next to nothing. SQLite reads the column as it is."""
    if connection.vendor == "postgresql":
        # Not Django's Extract: it would shift the instant into the current time zone first.
        return Func(
            F(name),
            template="EXTRACT(EPOCH FROM %(expressions)s)::float8",
            output_field=FloatField(),
        )
    return F(name)


def as_instant(value: datetime | float | None) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromtimestamp(value, UTC)


@dataclass
class Span:
    """One source interval: work or an explicit break, with where it came from."""

    start: datetime
    end: datetime
    kind: str  # work | break
    source: str  # moco | mctime | prosonata
    ref: str


@dataclass
class AbsenceRecord:
    kind: str
    source: str
    ref: str
    half_day: bool
    # Set for timed absences (McTime entries): only work inside this range conflicts.
    span: Interval | None = None


@dataclass
class Flag:
    code: str
    detail: str


@dataclass
class DayRecords:
    """Everything the sources say about one user's local date."""

    user_id: int
    date: date
    spans: list[Span] = field(default_factory=list)
    absences: list[AbsenceRecord] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    open: bool = False


class Buckets(dict[tuple[int, date], DayRecords]):
    def at(self, user_id: int, day: date) -> DayRecords:
        key = (user_id, day)
        bucket = self.get(key)
        if bucket is None:
            bucket = self[key] = DayRecords(user_id=user_id, date=day)
        return bucket
