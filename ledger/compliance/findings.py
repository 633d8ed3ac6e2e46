"""Findings for ledger day rows: the engine fed from the ledger's own net work.

The ledger computes net work on read, so findings are computed on read too, from the very
intervals the day rows show (one truth). The ledger reads the sources once over the wider
range the rules need (`records_window`), so a page with findings costs no extra queries.
A finding never touches a write path: nothing here is called by a write service (warn,
never block).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime

from accounts.models import User
from ledger.collect import collect
from ledger.compliance.engine import (
    ONE_DAY,
    context_start,
    evaluate,
    lookahead_end,
    lookback_start,
)
from ledger.compliance.ruleset import RuleSet, current_rule_set
from ledger.compliance.types import DayTotal, Finding, WorkDay
from ledger.days import day_net, net_of
from ledger.lookback import lookback_applies, lookback_totals
from ledger.records import Buckets, DayRecords
from ledger.tallies import MICROSECONDS_PER_MINUTE, DayTally

FindingsByDay = dict[tuple[int, date], list[Finding]]


def records_window(first: date, last: date, rule_set: RuleSet | None = None) -> tuple[date, date]:
    """The dates whose records can change a finding in [first, last]: previous days for §5,
    the 24-week window of §3 back to its Monday and on to the last week's Sunday."""
    rules = rule_set or current_rule_set()
    return lookback_start(first, rules), lookahead_end(last, rules)


def read_for_findings(
    *,
    users: Sequence[User],
    first: date,
    last: date,
    now: datetime,
    rule_set: RuleSet | None = None,
    look_back: Callable[..., dict[tuple[int, date], DayTotal] | None] = lookback_totals,
) -> Buckets:
    """One read of the sources over `records_window(first, last)`: day records from
    `context_start(first)` on (rows and every rule), and before that only day totals for
    the §3 average, computed by PostgreSQL (`look_back`: `lookback_totals` or a
    `LookBackAhead`) or tallied from the records where it does not apply."""
    lo, hi = records_window(first, last, rule_set)
    detail_from = context_start(first)
    before = detail_from - ONE_DAY
    if lo < detail_from and lookback_applies(users=users, last=before, now=now):
        records = collect(users=users, first=detail_from, last=hi, now=now)
        # Asked for after the records: a look-back read ahead (`LookBackAhead`) runs meanwhile.
        totals = look_back(users=users, first=lo, last=before, now=now)
        if totals is not None:
            records.totals = totals
            return records
    return collect(users=users, first=lo, last=hi, now=now, detail_from=detail_from)


def lookback_range(
    first: date, last: date, rule_set: RuleSet | None = None
) -> tuple[date, date] | None:
    """The dates `read_for_findings(first, last)` reads as day totals only, or None."""
    lo, _ = records_window(first, last, rule_set)
    detail_from = context_start(first)
    return (lo, detail_from - ONE_DAY) if lo < detail_from else None


def _work_day(day: date, zone: str, records: DayRecords) -> WorkDay:
    # The very net intervals of the day row (`build_row`), computed once for both.
    net = day_net(records)
    # An absence (leave, sickness, out of office) on a day without work is neutral in the
    # §3 average; a half day of leave, or a day worked anyway, is an ordinary Werktag.
    absent = not net and any(not absence.half_day for absence in records.absences)
    return WorkDay(date=day, timezone=zone, intervals=tuple(net), full_day_absence=absent)


def day_total(tally: DayTally) -> DayTotal:
    """A tallied day's net minutes, by the same net work (`net_of`, here on integer
    microseconds) and the same whole minutes as a day row's `work_minutes` (`seconds`
    floors the same microsecond sum), and the same neutral absence as `_work_day`."""
    net = net_of(tally.work, tally.breaks)  # type: ignore[arg-type]
    worked = sum(end - start for start, end in net) // MICROSECONDS_PER_MINUTE
    return DayTotal(worked, not net and tally.full_day_absence)


def findings_from_records(
    *,
    users: Sequence[User],
    records: Buckets | Mapping[tuple[int, date], DayRecords],
    first: date,
    last: date,
    rule_set: RuleSet | None = None,
) -> FindingsByDay:
    """Findings per (user id, local date) in [first, last] from records that cover
    `records_window(first, last)` (a narrower read simply sees less history); tallied
    days (`read_for_findings`) count in the §3 average."""
    rules = rule_set or current_rule_set()
    by_id = {user.pk: user for user in users}
    days: dict[int, list[WorkDay]] = defaultdict(list)
    for (user_id, day), found in records.items():
        if user_id not in by_id:
            continue
        days[user_id].append(_work_day(day, by_id[user_id].zone.key, found))
    history: dict[int, dict[date, DayTotal]] = defaultdict(dict)
    totals = getattr(records, "totals", None) or {}
    for (user_id, day), tally in getattr(records, "tallies", {}).items():
        if user_id in by_id:
            history[user_id][day] = day_total(tally)
    for (user_id, day), total in totals.items():
        if user_id in by_id:
            history[user_id][day] = total
    result: FindingsByDay = {}
    for user_id, user_days in days.items():
        user = by_id[user_id]
        per_date = evaluate(
            days=user_days,
            first=first,
            last=last,
            region=user.holiday_region or None,
            rule_set=rules,
            history=history.get(user_id),
        )
        result.update(((user_id, day), found) for day, found in per_date.items())
    return result


def findings_by_day(
    *,
    users: Sequence[User],
    first: date,
    last: date,
    now: datetime,
    rule_set: RuleSet | None = None,
) -> FindingsByDay:
    """Findings per (user id, local date) in [first, last]: one read of the sources over
    `records_window`, a fixed number of queries whatever the users and dates."""
    rules = rule_set or current_rule_set()
    if not users:
        return {}
    records = read_for_findings(users=list(users), first=first, last=last, now=now, rule_set=rules)
    return findings_from_records(
        users=users, records=records, first=first, last=last, rule_set=rules
    )
