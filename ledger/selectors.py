"""Reads of the working-time ledger (computed on read from the four sources' records).

`net_work_by_day` is the stable core other parts of Timebridge build on (compliance
findings); `days_page` and `iter_days` serve the API and the exports.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from ledger.collect import collect
from ledger.compliance.findings import findings_from_records, lookback_range, read_for_findings
from ledger.days import DayRow, build_row, disagreement_minutes
from ledger.intervals import Interval
from ledger.keys import day_keys
from ledger.lookback import LookBackAhead, lookback_totals

# Users per batch when a whole range is streamed (exports): bounds memory and keeps the
# number of queries per batch constant.
STREAM_BATCH_USERS = 200


@dataclass(frozen=True)
class NetWork:
    """One user's net work on one local date."""

    user_id: int
    date: date
    timezone: ZoneInfo
    intervals: list[Interval]  # sorted, disjoint, half-open [start, end), aware datetimes


def net_work_by_day(
    *,
    users: Iterable[User],
    first: date,
    last: date,
    now: datetime | None = None,
) -> dict[tuple[int, date], NetWork]:
    """Net work per (user id, local date) for every user in `users` and every date in the
    inclusive range [first, last] (dates without work map to an empty list).

    Contract:
    - `intervals` are sorted, pairwise disjoint, half-open [start, end) aware datetimes:
      the union of all work intervals from MOCO presences, McTime productive time entries
      (and a running productive clock) and ProSonata work-day records, minus the union of
      all explicit breaks (McTime entry/clock breaks, ProSonata breaks 1-4).
    - A date's intervals are those of records that START on that local date in the user's
      zone (`timezone`); a night shift's intervals may therefore end after midnight.
    - Running records (an open presence or clock) count up to `now` (default: the current
      time) as on the ledger's day rows; forgotten ones count nothing.
    - A fixed number of queries, whatever the number of users and dates.
    """
    now = now or timezone.now()
    users = list(users)
    records = collect(users=users, first=first, last=last, now=now)
    result: dict[tuple[int, date], NetWork] = {}
    for user in users:
        day = first
        while day <= last:
            row = build_row(user, day, records.get((user.pk, day)))
            result[(user.pk, day)] = NetWork(user.pk, day, user.zone, row.net)
            day += timedelta(days=1)
    return result


def _rows(users: Sequence[User], keys: Sequence[tuple[int, date]], now: datetime) -> list[DayRow]:
    """Day rows for `keys` (all of whose users are in `users`), in the order of `keys`."""
    if not keys:
        return []
    by_id = {user.pk: user for user in users}
    first = min(day for _, day in keys)
    last = max(day for _, day in keys)
    needed = [by_id[i] for i in dict.fromkeys(user_id for user_id, _ in keys)]
    # One read over the wider range the compliance rules need serves rows and findings.
    records = read_for_findings(users=needed, first=first, last=last, now=now)
    findings = findings_from_records(users=needed, records=records, first=first, last=last)
    disagreement = disagreement_minutes()
    rows = [build_row(by_id[u], d, records.get((u, d)), disagreement=disagreement) for u, d in keys]
    for row in rows:
        row.violations = findings.get((row.user.pk, row.date), [])  # type: ignore[attr-defined]
    return rows


def _all_dates(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def days_count_and_page(
    *,
    users: QuerySet[User],
    first: date,
    last: date,
    include_empty: bool,
    offset: int,
    limit: int,
    now: datetime | None = None,
) -> tuple[int, list[DayRow]]:
    """(total number of rows, the rows [offset, offset + limit)), ordered by user id, date."""
    now = now or timezone.now()
    selected = list(users.order_by("pk"))
    if include_empty:
        dates = _all_dates(first, last)
        total = len(selected) * len(dates)
        keys = [
            (selected[n // len(dates)].pk, dates[n % len(dates)])
            for n in range(offset, min(total, offset + limit))
        ]
    else:
        all_keys = day_keys(zones={u.pk: u.zone for u in selected}, first=first, last=last)
        total = len(all_keys)
        keys = all_keys[offset : offset + limit]
    return total, _rows(selected, keys, now)


def iter_days(
    *,
    users: QuerySet[User],
    first: date,
    last: date,
    include_empty: bool,
    now: datetime | None = None,
) -> Iterator[DayRow]:
    """Every row of the range, user by user, computed in batches of users (for streaming);
    each batch's look-back is read while the previous batch is computed (`LookBackAhead`)."""
    now = now or timezone.now()
    selected = list(users.order_by("pk"))
    dates = _all_dates(first, last)
    disagreement = disagreement_minutes()
    batches = [
        selected[index : index + STREAM_BATCH_USERS]
        for index in range(0, len(selected), STREAM_BATCH_USERS)
    ]
    span = lookback_range(first, last)
    ahead = LookBackAhead(first=span[0], last=span[1], now=now) if span is not None else None
    try:
        for index, batch in enumerate(batches):
            if ahead is not None:
                # This batch's look-back (under way unless it is the first) and the next's.
                for upcoming in batches[index : index + 2]:
                    ahead.read_ahead(upcoming)
            records = read_for_findings(
                users=batch, first=first, last=last, now=now, look_back=ahead or lookback_totals
            )
            findings = findings_from_records(users=batch, records=records, first=first, last=last)
            for user in batch:
                for day in dates:
                    found = records.get((user.pk, day))
                    if found is not None or include_empty:
                        row = build_row(user, day, found, disagreement=disagreement)
                        row.violations = findings.get((user.pk, day), [])
                        yield row
    finally:
        if ahead is not None:
            ahead.close()
