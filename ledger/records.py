"""What the ledger reads from the sources, before any maths: spans, absences, flags,
bucketed per (user, local date)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from ledger.intervals import Interval
from ledger.tallies import DayTally, Micros, micros


@dataclass(slots=True)
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
    # Net work of `spans`, once computed (`ledger.days.day_net`): the day row and its
    # findings share it rather than each computing it again.
    net: list[Interval] | None = None


class Buckets(dict[tuple[int, date], DayRecords]):
    """Records per (user id, local date). Dates before `detail_from` (a look-back that only
    its net minutes serve) go to `tallies` instead: the same records by the same rules,
    as integer intervals (`ledger.tallies`), without the objects a day row needs."""

    def __init__(self, detail_from: date | None = None) -> None:
        super().__init__()
        self.detail_from = detail_from
        # Dates before this are tallied (date.min: none).
        self.cut = detail_from or date.min
        self.tallies: dict[tuple[int, date], DayTally] = {}
        # Day totals computed without records (`ledger.lookback`), for the same purpose.
        self.totals: dict[tuple[int, date], object] = {}

    def at(self, user_id: int, day: date) -> DayRecords:
        key = (user_id, day)
        bucket = self.get(key)
        if bucket is None:
            bucket = self[key] = DayRecords(user_id=user_id, date=day)
        return bucket

    def _tally(self, user_id: int, day: date) -> DayTally | None:
        if day >= self.cut:
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
        if day < self.cut:
            self.tally_span(user_id, day, (micros(start), micros(end)), kind)
            return
        # `at` inlined: this runs for every record of an export.
        key = (user_id, day)
        bucket = self.get(key)
        if bucket is None:
            bucket = self[key] = DayRecords(user_id=user_id, date=day)
        bucket.spans.append(Span(start, end, kind, source, ref))

    def tally_span(self, user_id: int, day: date, span: Micros, kind: str) -> None:
        """A look-back span (`day` before `cut`) straight from integers: the hot path of
        the 24-week read, no datetime built."""
        key = (user_id, day)
        tally = self.tallies.get(key)
        if tally is None:
            tally = self.tallies[key] = DayTally([], [])
        (tally.work if kind == "work" else tally.breaks).append(span)

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
