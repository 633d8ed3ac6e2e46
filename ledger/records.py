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


@dataclass(slots=True)
class DayTally:
    """A look-back day reduced to what its net minutes need: no refs, flags or sources."""

    work: list[Interval]
    breaks: list[Interval]
    full_day_absence: bool = False


class Buckets(dict[tuple[int, date], DayRecords]):
    """Records per (user id, local date). Dates before `detail_from` (a look-back that only
    its net minutes serve) go to `tallies` instead: the same records by the same rules,
    without the objects a day row needs."""

    def __init__(self, detail_from: date | None = None) -> None:
        super().__init__()
        self.detail_from = detail_from
        self.tallies: dict[tuple[int, date], DayTally] = {}

    def at(self, user_id: int, day: date) -> DayRecords:
        key = (user_id, day)
        bucket = self.get(key)
        if bucket is None:
            bucket = self[key] = DayRecords(user_id=user_id, date=day)
        return bucket

    def _tally(self, user_id: int, day: date) -> DayTally | None:
        if self.detail_from is None or day >= self.detail_from:
            return None
        key = (user_id, day)
        tally = self.tallies.get(key)
        if tally is None:
            tally = self.tallies[key] = DayTally([], [])
        return tally

    # A Span's fields rather than a Span, so that a look-back day builds none.
    def span(
        self,
        user_id: int,
        day: date,
        start: datetime,
        end: datetime,
        kind: str,
        source: str,
        ref: str,
    ) -> None:
        tally = self._tally(user_id, day)
        if tally is None:
            self.at(user_id, day).spans.append(Span(start, end, kind, source, ref))
        else:
            (tally.work if kind == "work" else tally.breaks).append((start, end))

    def absence(self, user_id: int, day: date, absence: AbsenceRecord) -> None:
        tally = self._tally(user_id, day)
        if tally is None:
            self.at(user_id, day).absences.append(absence)
        elif not absence.half_day:
            tally.full_day_absence = True

    def flag(self, user_id: int, day: date, flag: Flag) -> None:
        if self._tally(user_id, day) is None:
            self.at(user_id, day).flags.append(flag)

    def opened(self, user_id: int, day: date) -> None:
        """A running record counts on this date (its row says `open: true`)."""
        if self._tally(user_id, day) is None:
            self.at(user_id, day).open = True

    def touched(self, user_id: int, day: date) -> None:
        """The date has a record, even one that adds nothing (a running absence clock)."""
        if self._tally(user_id, day) is None:
            self.at(user_id, day)
