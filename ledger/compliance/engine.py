"""The engine: measure each person-day once, then let every active rule judge it.

Pure: no database, no clock. The caller passes one user's days (the evaluated range plus
the look-back that `lookback_start` names) and gets findings per local date.
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from collections.abc import Iterable, Mapping

from ledger.compliance.public_holidays import holiday_name
from ledger.compliance.rules import CHECKS, Average, DayMeasure, Stretch
from ledger.compliance.ruleset import RuleSet, current_rule_set
from ledger.compliance.types import DayTotal, Finding, Rule, WorkDay

ONE_DAY = dt.timedelta(days=1)


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def context_start(first: dt.date) -> dt.date:
    """The earliest date whose intervals (not only its minutes) can change a finding on
    `first` or later: earlier days matter for §5 rest and for shifts that began before
    midnight, and two days cover any shift the sources can record."""
    return first - 2 * ONE_DAY


def lookback_start(first: dt.date, rule_set: RuleSet | None = None) -> dt.date:
    """The earliest date whose work can change a finding on `first` or later.

    The §3 average looks back to the Monday `average_weeks` - 1 weeks before `first`'s week
    (of those days only their totals matter, see `evaluate`'s `history`); §5 needs the
    previous days.
    """
    rules = rule_set or current_rule_set()
    previous = context_start(first)
    if Rule.AVERAGE not in rules.rules:
        return previous
    window = week_start(first) - dt.timedelta(weeks=rules["average_weeks"] - 1)
    return min(previous, window - ONE_DAY)


def lookahead_end(last: dt.date, rule_set: RuleSet | None = None) -> dt.date:
    """The latest date whose work can change a finding on `last` or earlier: the §3 average
    of a day covers its whole week, up to Sunday."""
    rules = rule_set or current_rule_set()
    if Rule.AVERAGE not in rules.rules:
        return last
    return week_start(last) + dt.timedelta(days=6)


def evaluate(
    *,
    days: Iterable[WorkDay],
    first: dt.date,
    last: dt.date,
    region: str | None = None,
    rule_set: RuleSet | None = None,
    history: Mapping[dt.date, DayTotal] | None = None,
) -> dict[dt.date, list[Finding]]:
    """Findings per local date in [first, last] for one user's days.

    Days outside [first, last] are context (earlier work for §5 rest and the §3 average).
    `history` gives further days by their totals only, for the §3 average: dates before
    `context_start(first)`, whose intervals no rule reads. Only dates with work carry
    findings; the lists follow the rule order of `Rule`.
    """
    rules = rule_set or current_rule_set()
    region = region or rules.holiday_region
    history = history or {}
    by_date: dict[dt.date, WorkDay] = {}
    for day in days:
        if day.date in by_date or day.date in history:
            raise ValueError(f"two entries for {day.date}")
        by_date[day.date] = day
    ordered = sorted(by_date.values(), key=lambda day: day.date)
    stretches = _longest_stretches(ordered, rules["break_block_minutes"] * 60)
    averages = _Averages(by_date, history, rules, region)
    block = rules["break_block_minutes"] * 60

    found: dict[dt.date, list[Finding]] = {}
    previous_end: dt.datetime | None = None
    for day in ordered:
        if not day.intervals:
            continue
        first_start = day.intervals[0][0]
        rest_seconds = None
        if previous_end is not None:
            gap = int((first_start - previous_end).total_seconds())
            # A gap shorter than a break continues the previous day's shift: a source that
            # cannot record across midnight (MOCO, ProSonata) cut it in two. No rest to judge.
            rest_seconds = gap if gap >= block else None
        day_end = day.intervals[-1][1]
        if first <= day.date <= last:
            measure = DayMeasure(
                date=day.date,
                zone=zoneinfo.ZoneInfo(day.timezone),
                work_minutes=averages.minutes[day.date],
                qualifying_break_minutes=_qualifying_break_seconds(day, block) // 60,
                longest_stretch=stretches.get(day.date),
                rest_seconds=rest_seconds,
                previous_end=previous_end,
                first_start=first_start,
                holiday=holiday_name(region, day.date),
                region=region,
                average=averages.ending_with_week_of(day.date),
            )
            findings = [
                finding
                for rule, check in CHECKS.items()
                if rule in rules.rules and (finding := check(measure, rules)) is not None
            ]
            if findings:
                found[day.date] = findings
        previous_end = day_end if previous_end is None else max(previous_end, day_end)
    return found


def _work_seconds(day: WorkDay) -> int:
    return int(sum((end - start).total_seconds() for start, end in day.intervals))


def _qualifying_break_seconds(day: WorkDay, block: int) -> int:
    """Gaps between the day's work intervals, counted only in blocks of at least 15 min."""
    total = 0
    for (_, end), (start, _) in zip(day.intervals, day.intervals[1:], strict=False):
        gap = int((start - end).total_seconds())
        if gap >= block:
            total += gap
    return total


def _longest_stretches(days: list[WorkDay], block: int) -> dict[dt.date, Stretch]:
    """Longest work-in-a-row per date, across midnight: a stretch belongs to its start's day.

    A gap shorter than a qualifying break does not end a stretch and its time counts in it:
    without a break of at least 15 minutes the person was never released from work.
    """
    timeline = sorted((start, end, day.date) for day in days for start, end in day.intervals)
    longest: dict[dt.date, Stretch] = {}

    def close(current: Stretch, owner: dt.date) -> None:
        if owner not in longest or current.minutes > longest[owner].minutes:
            longest[owner] = current

    current: Stretch | None = None
    owner: dt.date | None = None
    for start, end, date in timeline:
        if current is not None and (start - current.end).total_seconds() < block:
            current = Stretch(current.start, max(current.end, end))
            continue
        if current is not None and owner is not None:
            close(current, owner)
        current, owner = Stretch(start, end), date
    if current is not None and owner is not None:
        close(current, owner)
    return longest


def _week_number(day: dt.date) -> int:
    """Weeks counted from 0001-01-01, a Monday: a week's Monday to Sunday share a number."""
    return (day.toordinal() - 1) // 7


class _Averages:
    """§3 averages: each week's work and Werktage summed once in one pass over the days,
    a window of weeks summed from those (O(days), not O(days * weeks))."""

    def __init__(
        self,
        by_date: dict[dt.date, WorkDay],
        history: Mapping[dt.date, DayTotal],
        rules: RuleSet,
        region: str,
    ) -> None:
        self.rules, self.region = rules, region
        # The rules read the minutes of days with intervals; a history day (most of a
        # person's days) counts only in its week's sum.
        self.minutes = {day: _work_seconds(entry) // 60 for day, entry in by_date.items()}
        absent = [day for day, entry in by_date.items() if entry.full_day_absence]
        self.week_minutes: dict[int, int] = {}
        for day, minutes in self.minutes.items():
            week = _week_number(day)
            self.week_minutes[week] = self.week_minutes.get(week, 0) + minutes
        for day, total in history.items():
            week = _week_number(day)
            self.week_minutes[week] = self.week_minutes.get(week, 0) + total.work_minutes
            if total.full_day_absence:
                absent.append(day)
        # A full day of leave or sickness on a Werktag is neutral (EU Directive 2003/88
        # art. 16): neither work nor a day.
        self.absent_werktage: dict[int, int] = {}
        for day in absent:
            week = _week_number(day)
            if day in _werktage(region, week_start(day)):
                self.absent_werktage[week] = self.absent_werktage.get(week, 0) + 1
        self.cache: dict[int, Average] = {}

    def ending_with_week_of(self, day: dt.date) -> Average:
        last_week = _week_number(day)
        if last_week not in self.cache:
            count = self.rules["average_weeks"]
            work = working_days = 0
            for week in range(last_week - count + 1, last_week + 1):
                monday = dt.date.fromordinal(week * 7 + 1)
                work += self.week_minutes.get(week, 0)
                working_days += len(_werktage(self.region, monday))
                working_days -= self.absent_werktage.get(week, 0)
            monday = week_start(day)
            first = monday - dt.timedelta(weeks=count - 1)
            last = monday + dt.timedelta(days=6)
            self.cache[last_week] = Average(first, last, work, working_days)
        return self.cache[last_week]


@functools.lru_cache(maxsize=4096)
def _werktage(region: str, monday: dt.date) -> frozenset[dt.date]:
    """Werktage of the week: Monday to Saturday that are not public holidays (the same for
    every person of a region, so computed once per week and region)."""
    days = (monday + dt.timedelta(days=n) for n in range(6))
    return frozenset(day for day in days if holiday_name(region, day) is None)
