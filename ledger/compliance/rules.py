"""One function per rule: given what the engine measured on a day, a finding or None.

The engine does the measuring (work, breaks, stretches, rest, averages); these functions
only compare with the rule set's thresholds and word the finding, so each reads like the
paragraph it checks.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ledger.compliance.ruleset import RuleSet
from ledger.compliance.types import Finding, Rule, minutes_text


@dataclass(frozen=True)
class Stretch:
    """Work in a row: from a start after a qualifying break to the end before the next."""

    start: dt.datetime
    end: dt.datetime

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds()) // 60


@dataclass(frozen=True)
class Average:
    """§3 average over the weeks ending with the day's week (Monday to Sunday)."""

    first: dt.date
    last: dt.date
    work_minutes: int
    working_days: int


@dataclass(frozen=True)
class DayMeasure:
    """Everything a rule needs about one person-day, measured once by the engine."""

    date: dt.date
    zone: zoneinfo.ZoneInfo
    work_minutes: int
    qualifying_break_minutes: int
    longest_stretch: Stretch | None
    rest_seconds: int | None  # None: no earlier work, or this day continues it
    previous_end: dt.datetime | None
    first_start: dt.datetime
    holiday: str | None
    region: str
    average: Average | None

    def local(self, instant: dt.datetime) -> dt.datetime:
        return instant.astimezone(self.zone)


def _finding(day: DayMeasure, rules: RuleSet, rule: Rule, detail: str, **measured: Any) -> Finding:
    return Finding(
        date=day.date, rule=rule, detail=detail, measured=measured, rule_set=rules.version
    )


def daily_max(day: DayMeasure, rules: RuleSet) -> Finding | None:
    limit = rules["daily_max_minutes"]
    if day.work_minutes <= limit:
        return None
    detail = f"{minutes_text(day.work_minutes)} worked; at most {minutes_text(limit)} allowed"
    return _finding(
        day, rules, Rule.DAILY_MAX, detail, work_minutes=day.work_minutes, max_minutes=limit
    )


def average(day: DayMeasure, rules: RuleSet) -> Finding | None:
    avg, limit = day.average, rules["average_max_minutes"]
    # Integer comparison: total > limit * days, so no rounding decides a finding.
    if avg is None or avg.working_days == 0 or avg.work_minutes <= limit * avg.working_days:
        return None
    mean = avg.work_minutes / avg.working_days
    detail = (
        f"{minutes_text(int(mean))} average net work per working day (Monday to Saturday, "
        f"{avg.working_days} days) from {avg.first.isoformat()} to {avg.last.isoformat()}; "
        f"at most {minutes_text(limit)} allowed"
    )
    return _finding(
        day,
        rules,
        Rule.AVERAGE,
        detail,
        average_minutes=round(mean, 2),
        max_average_minutes=limit,
        work_minutes=avg.work_minutes,
        working_days=avg.working_days,
        weeks=rules["average_weeks"],
        period_start=avg.first.isoformat(),
        period_end=avg.last.isoformat(),
    )


def breaks(day: DayMeasure, rules: RuleSet) -> Finding | None:
    if day.work_minutes > rules["long_break_after_minutes"]:
        required = rules["long_break_minutes"]
    elif day.work_minutes > rules["break_after_minutes"]:
        required = rules["break_minutes"]
    else:
        return None
    if day.qualifying_break_minutes >= required:
        return None
    detail = (
        f"{minutes_text(day.work_minutes)} worked, "
        f"{minutes_text(day.qualifying_break_minutes)} of qualifying breaks; "
        f"{minutes_text(required)} required"
    )
    return _finding(
        day,
        rules,
        Rule.BREAK,
        detail,
        work_minutes=day.work_minutes,
        qualifying_break_minutes=day.qualifying_break_minutes,
        required_minutes=required,
    )


def stretch(day: DayMeasure, rules: RuleSet) -> Finding | None:
    longest, limit = day.longest_stretch, rules["stretch_max_minutes"]
    if longest is None or longest.minutes <= limit:
        return None
    start, end = day.local(longest.start), day.local(longest.end)
    detail = (
        f"{minutes_text(longest.minutes)} of work in a row from {start:%H:%M} to {end:%H:%M} "
        f"without a break of at least {rules['break_block_minutes']} min; "
        f"at most {minutes_text(limit)} allowed"
    )
    return _finding(
        day,
        rules,
        Rule.STRETCH,
        detail,
        stretch_minutes=longest.minutes,
        max_stretch_minutes=limit,
        start=start.isoformat(),
        end=end.isoformat(),
    )


def rest(day: DayMeasure, rules: RuleSet) -> Finding | None:
    required = rules["rest_minutes"]
    if day.rest_seconds is None or day.previous_end is None:
        return None
    if day.rest_seconds >= required * 60:
        return None
    rest_minutes = max(day.rest_seconds, 0) // 60
    previous_end, start = day.local(day.previous_end), day.local(day.first_start)
    detail = (
        f"{minutes_text(rest_minutes)} of rest between the end of the previous working day "
        f"({previous_end:%Y-%m-%d %H:%M}) and the start of this one ({start:%H:%M}); "
        f"{minutes_text(required)} required"
    )
    return _finding(
        day,
        rules,
        Rule.REST,
        detail,
        rest_minutes=rest_minutes,
        required_minutes=required,
        previous_end=previous_end.isoformat(),
        start=start.isoformat(),
    )


def sunday(day: DayMeasure, rules: RuleSet) -> Finding | None:
    if day.date.isoweekday() != 7 or day.work_minutes <= 0:
        return None
    detail = (
        f"{minutes_text(day.work_minutes)} worked on a Sunday; "
        "allowed only under an exception (§10 ArbZG)"
    )
    return _finding(day, rules, Rule.SUNDAY, detail, work_minutes=day.work_minutes)


def holiday(day: DayMeasure, rules: RuleSet) -> Finding | None:
    if day.holiday is None or day.work_minutes <= 0:
        return None
    detail = (
        f"{minutes_text(day.work_minutes)} worked on a public holiday ({day.holiday}, "
        f"{day.region}); allowed only under an exception (§10 ArbZG)"
    )
    return _finding(
        day,
        rules,
        Rule.HOLIDAY,
        detail,
        work_minutes=day.work_minutes,
        holiday=day.holiday,
        region=day.region,
    )


def over_8h(day: DayMeasure, rules: RuleSet) -> Finding | None:
    threshold = rules["record_after_minutes"]
    if day.work_minutes <= threshold:
        return None
    over = day.work_minutes - threshold
    detail = (
        f"{minutes_text(day.work_minutes)} worked; the {minutes_text(over)} beyond "
        f"{minutes_text(threshold)} must be recorded and the records kept for two years"
    )
    return _finding(
        day,
        rules,
        Rule.OVER_8H,
        detail,
        work_minutes=day.work_minutes,
        over_minutes=over,
        threshold_minutes=threshold,
    )


CHECKS: dict[Rule, Callable[[DayMeasure, RuleSet], Finding | None]] = {
    Rule.DAILY_MAX: daily_max,
    Rule.AVERAGE: average,
    Rule.BREAK: breaks,
    Rule.STRETCH: stretch,
    Rule.REST: rest,
    Rule.SUNDAY: sunday,
    Rule.HOLIDAY: holiday,
    Rule.OVER_8H: over_8h,
}
