"""One answer per person and day: net work, breaks, absences and flags from the records.

Net work is a union, never a sum: the work intervals of all sources are merged, then the
explicit breaks of all sources are cut out. Each source's own figure (`sources`) is its
own work minus its own breaks, so disagreements stay visible.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from operator import attrgetter
from zoneinfo import ZoneInfo

from django.conf import settings

from ledger.intervals import Interval, overlaps, seconds, subtract, union
from ledger.records import AbsenceRecord, DayRecords, Flag, Span

SOURCE_NAMES = {"moco": "MOCO", "mctime": "McTime", "prosonata": "ProSonata"}


@dataclass
class DayRow:
    user: object  # accounts.User
    date: date
    timezone: str
    zone: ZoneInfo | None = None
    net: list[Interval] = field(default_factory=list)
    work_minutes: int = 0
    break_minutes: int = 0
    first_start: datetime | None = None
    last_end: datetime | None = None
    open: bool = False
    spans: list[Span] = field(default_factory=list)
    absences: list[AbsenceRecord] = field(default_factory=list)
    sources: dict[str, int] = field(default_factory=dict)
    flags: list[Flag] = field(default_factory=list)
    violations: list = field(default_factory=list)  # ledger.compliance Findings


_span_order = attrgetter("start", "end")
FLAG_ORDER = {"open_interval": 0, "sources_disagree": 1, "total_mismatch": 2, "work_on_absence": 3}


def net_of(work: list[Interval], breaks: list[Interval]) -> list[Interval]:
    """Net work: the union of the work intervals minus the union of the explicit breaks.

    The one definition of net work; day rows and look-back tallies both go through it.
    """
    merged = union(work)
    return subtract(merged, union(breaks)) if breaks else merged


def net_intervals(spans: list[Span]) -> list[Interval]:
    return net_of(
        [(s.start, s.end) for s in spans if s.kind == "work"],
        [(s.start, s.end) for s in spans if s.kind == "break"],
    )


def day_net(records: DayRecords) -> list[Interval]:
    """The day's net work, computed once per read: its row and its findings both use it."""
    if records.net is None:
        records.net = net_intervals(records.spans)
    return records.net


def disagreement_minutes() -> int:
    return int(getattr(settings, "LEDGER_DISAGREEMENT_MINUTES", 15))


def build_row(  # type: ignore[no-untyped-def]
    user, day: date, records: DayRecords | None, *, disagreement: int | None = None
) -> DayRow:
    """The row of `user`'s local `day`. `disagreement`: `disagreement_minutes()`, which a
    caller building many rows reads once (a setting looked up per row costs)."""
    zone = user.zone
    row = DayRow(user=user, date=day, timezone=zone.key, zone=zone)
    if records is None:
        return row
    # Sources are collected in a fixed order, so equal (start, end) pairs keep a stable one.
    spans = sorted(records.spans, key=_span_order)
    row.spans = spans
    row.absences = records.absences
    row.open = records.open
    row.flags = list(records.flags)
    row.net = day_net(records)
    work_seconds = seconds(row.net)
    row.work_minutes = work_seconds // 60
    if row.net:
        row.first_start = row.net[0][0].astimezone(zone)
        row.last_end = row.net[-1][1].astimezone(zone)
        # Subtract the UTC instants: same-zone datetimes subtract by wall clock (DST days).
        span_seconds = int((row.net[-1][1] - row.net[0][0]).total_seconds())
        row.break_minutes = (span_seconds - work_seconds) // 60
    # Each source's own work and breaks (a span is one or the other), in one pass.
    work: dict[str, list[Interval]] = {}
    breaks: dict[str, list[Interval]] = {}
    for span in spans:
        kind = work if span.kind == "work" else breaks
        kind.setdefault(span.source, []).append((span.start, span.end))
    working = [s for s in SOURCE_NAMES if s in work]
    if len(work.keys() | breaks.keys()) == 1 and working:
        row.sources[working[0]] = row.work_minutes  # one source: its figure is the answer
    else:
        for source in working:
            row.sources[source] = seconds(net_of(work[source], breaks.get(source, []))) // 60
    _flag(row, disagreement_minutes() if disagreement is None else disagreement)
    return row


def _flag(row: DayRow, limit: int) -> None:
    if len(row.sources) >= 2:
        spread = max(row.sources.values()) - min(row.sources.values())
        if spread > limit:
            figures = ", ".join(f"{SOURCE_NAMES[k]} {v} min" for k, v in row.sources.items())
            row.flags.append(
                Flag("sources_disagree", f"{figures}: {spread} min apart (more than {limit}).")
            )
    if row.work_minutes > 0:
        conflicting = [
            absence.ref
            for absence in row.absences
            if (absence.span is None and not absence.half_day)
            or (absence.span is not None and any(overlaps(absence.span, n) for n in row.net))
        ]
        if conflicting:
            row.flags.append(
                Flag(
                    "work_on_absence",
                    f"{row.work_minutes} min of work on an absence ({', '.join(conflicting)}).",
                )
            )
    if len(row.flags) > 1:
        row.flags.sort(key=lambda f: (FLAG_ORDER.get(f.code, 9), f.detail))
