"""Values the compliance engine takes and gives: person-days of net work in, findings out."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from typing import Any, NamedTuple

UTC = dt.UTC


class Rule(enum.StrEnum):
    """Rule ids as they appear on the wire; the order here is the order of findings on a day."""

    DAILY_MAX = "ARBZG_3_DAILY_MAX"
    AVERAGE = "ARBZG_3_AVERAGE"
    BREAK = "ARBZG_4_BREAK"
    STRETCH = "ARBZG_4_STRETCH"
    REST = "ARBZG_5_REST"
    SUNDAY = "ARBZG_9_SUNDAY"
    HOLIDAY = "ARBZG_9_HOLIDAY"
    OVER_8H = "ARBZG_16_OVER_8H"


class Severity(enum.StrEnum):
    VIOLATION = "violation"
    NOTICE = "notice"


PARAGRAPHS: dict[Rule, str] = {
    Rule.DAILY_MAX: "§3 ArbZG",
    Rule.AVERAGE: "§3 ArbZG",
    Rule.BREAK: "§4 ArbZG",
    Rule.STRETCH: "§4 ArbZG",
    Rule.REST: "§5 ArbZG",
    Rule.SUNDAY: "§9 ArbZG",
    Rule.HOLIDAY: "§9 ArbZG",
    Rule.OVER_8H: "§16(2) ArbZG",
}

SEVERITIES: dict[Rule, Severity] = {
    Rule.DAILY_MAX: Severity.VIOLATION,
    Rule.AVERAGE: Severity.VIOLATION,
    Rule.BREAK: Severity.VIOLATION,
    Rule.STRETCH: Severity.VIOLATION,
    Rule.REST: Severity.VIOLATION,
    # §10 allows Sunday and holiday work in many trades; Timebridge cannot tell, so a notice.
    Rule.SUNDAY: Severity.NOTICE,
    Rule.HOLIDAY: Severity.NOTICE,
    Rule.OVER_8H: Severity.NOTICE,
}

Interval = tuple[dt.datetime, dt.datetime]


@dataclass(frozen=True)
class WorkDay:
    """One person-day: its local date, the user's IANA zone and its net work.

    `intervals` are aware half-open [start, end) intervals of net work (breaks already
    removed); the gaps between them are breaks. The engine normalises them (UTC, sorted,
    overlaps merged), so a caller that passes overlapping sources still counts a minute once.
    `full_day_absence` marks a day of leave or sickness, which is neutral in the §3 average.
    """

    date: dt.date
    timezone: str
    intervals: tuple[Interval, ...] = ()
    full_day_absence: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "intervals", normalise(self.intervals))


class DayTotal(NamedTuple):
    """A look-back day as the §3 average needs it, without its intervals: net minutes, and
    whether it is a full day of absence without work (neutral in the average)."""

    work_minutes: int
    full_day_absence: bool = False


def normalise(intervals: Any) -> tuple[Interval, ...]:
    """Sort, convert to UTC (aware arithmetic in one zone ignores DST) and merge overlaps."""
    spans = []
    for start, end in intervals:
        if start.tzinfo is None or end.tzinfo is None:
            raise ValueError("work intervals must be aware datetimes")
        start_utc, end_utc = start.astimezone(UTC), end.astimezone(UTC)
        if end_utc > start_utc:
            spans.append((start_utc, end_utc))
    spans.sort()
    merged: list[Interval] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)


@dataclass(frozen=True)
class Finding:
    """One rule's finding on one local date, in the shape the API and exports carry."""

    date: dt.date
    rule: Rule
    detail: str
    measured: dict[str, Any]
    rule_set: str
    paragraph: str = field(init=False)
    severity: Severity = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "paragraph", PARAGRAPHS[self.rule])
        object.__setattr__(self, "severity", SEVERITIES[self.rule])

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": str(self.rule),
            "paragraph": self.paragraph,
            "severity": str(self.severity),
            "detail": self.detail,
            "measured": dict(self.measured),
            "rule_set": self.rule_set,
        }


def minutes_text(minutes: int) -> str:
    """'6 h 30 min', '6 h', '20 min' — the wording of every finding's detail."""
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours} h {rest} min"
    if hours:
        return f"{hours} h"
    return f"{rest} min"
