"""Findings for ledger day rows: the engine fed from the ledger's own net work.

The ledger computes net work on read, so findings are computed on read too, from the very
intervals the day rows show (one truth). A finding never touches a write path: the rules
engine only reads, and nothing here is called by a write service (warn, never block).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from accounts.models import User
from ledger.collect import collect
from ledger.compliance.engine import evaluate, lookahead_end, lookback_start
from ledger.compliance.ruleset import RuleSet, current_rule_set
from ledger.compliance.types import Finding, WorkDay
from ledger.days import DayRow, build_row

FindingsByDay = dict[tuple[int, date], list[Finding]]


def _full_day_absence(row: DayRow) -> bool:
    # An absence (leave, sickness, out of office) on a day without work is neutral in the
    # §3 average; a half day of leave, or a day worked anyway, is an ordinary Werktag.
    return row.work_minutes == 0 and any(not absence.half_day for absence in row.absences)


def findings_by_day(
    *,
    users: Sequence[User],
    first: date,
    last: date,
    now: datetime,
    rule_set: RuleSet | None = None,
) -> FindingsByDay:
    """Findings per (user id, local date) in [first, last], with the days around it the
    rules need (previous days for §5, the 24-week window up to the last week's Sunday for
    §3) read in the same fixed number of queries as the ledger's rows."""
    rules = rule_set or current_rule_set()
    by_id = {user.pk: user for user in users}
    if not by_id:
        return {}
    records = collect(
        users=list(by_id.values()),
        first=lookback_start(first, rules),
        last=lookahead_end(last, rules),
        now=now,
    )
    days: dict[int, list[WorkDay]] = defaultdict(list)
    for (user_id, day), found in records.items():
        row = build_row(by_id[user_id], day, found)
        days[user_id].append(
            WorkDay(
                date=day,
                timezone=row.timezone,
                intervals=tuple(row.net),
                full_day_absence=_full_day_absence(row),
            )
        )
    result: FindingsByDay = {}
    for user_id, user_days in days.items():
        user = by_id[user_id]
        per_date = evaluate(
            days=user_days,
            first=first,
            last=last,
            region=user.holiday_region or None,
            rule_set=rules,
        )
        result.update(((user_id, day), found) for day, found in per_date.items())
    return result


def attach_findings(rows: Iterable[DayRow], *, now: datetime) -> None:
    """Set `violations` on day rows (one page or one batch of users) in one computation."""
    rows = list(rows)
    if not rows:
        return
    users = list({row.user.pk: row.user for row in rows}.values())  # type: ignore[attr-defined]
    first = min(row.date for row in rows)
    last = max(row.date for row in rows)
    found = findings_by_day(users=users, first=first, last=last, now=now)
    for row in rows:
        row.violations = found.get((row.user.pk, row.date), [])  # type: ignore[attr-defined]
