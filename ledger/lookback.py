"""The look-back's day totals computed by PostgreSQL in one query.

The §3 average needs, for 24 weeks before a range, each day's net work minutes and whether
it is a full day of absence. Read into Python that is hundreds of thousands of intervals
for a month of a thousand people; PostgreSQL's multiranges compute the same union in the
database: per user and local start date, `range_agg` of the work intervals minus
`range_agg` of the explicit breaks, by the rules of `ledger.collect`:

- wall-clock sources (MOCO presences, ProSonata work days and their breaks) read in the
  user's zone as `ledger.intervals.wall_clock` does: an ambiguous time is its first
  occurrence, a skipped one takes the offset before the gap (`WALL` below). `WALL` costs
  several zone conversions per time; on a date without a clock change (`plain`, all but
  a few a year) a time is the date's local midnight plus the time, one addition;
- McTime work entries and their breaks belong to the entry's local start date;
- a full-day absence is a ProSonata absence day that is not a half day, a McTime absence
  entry touching the date, or an active out-of-office covering the whole local day.

Running records (an open presence, a running clock) count only on today's or yesterday's
rows, so the query is used only for look-backs that end before those could fall into
them; other look-backs (and SQLite) are read by `ledger.collect` into tallies.
`tests/ledger/test_net_tally_property.py` compares both with the day rows' `work_minutes`.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta

from django.db import connection

from accounts.models import User
from clock.models import Category
from ledger.collect import utc_window
from ledger.compliance.types import DayTotal
from workingtimes.models import BREAK_SLOTS, DayType, break_fields

# `local` (a timestamp without zone) as an instant in `z.tz`, read as Python reads it with
# fold=0. PostgreSQL takes the offset before the gap for a skipped time, as Python does,
# but the later occurrence of an ambiguous one: when the offset three hours earlier
# differs (a clock change within the last three hours) and that offset gives a valid,
# earlier reading of the same wall time, that reading is the first occurrence.
WALL = """(CASE WHEN (({l} AT TIME ZONE z.tz) - interval '3 hours') AT TIME ZONE z.tz
             = {l} - interval '3 hours' THEN {l} AT TIME ZONE z.tz
        ELSE (SELECT CASE WHEN c < a AND c AT TIME ZONE z.tz = {l} THEN c ELSE a END
              FROM (SELECT {l} AT TIME ZONE z.tz AS a) AS pa,
              LATERAL (SELECT ({l} - ((pa.a - interval '3 hours') AT TIME ZONE z.tz
                  - (pa.a - interval '3 hours') AT TIME ZONE 'UTC')) AT TIME ZONE 'UTC' AS c
              ) AS pc) END)"""


def _wall(local: str) -> str:
    return WALL.format(l=f"({local})")


def _sql() -> str:
    slots = map(break_fields, BREAK_SLOTS)
    breaks = ", ".join(f"(false, w.{start}, w.{end})" for start, end in slots)
    day_start = _wall("(%(first)s::date + g.n) + time '00:00'")
    day_end = _wall("(%(first)s::date + g.n + 1) + time '00:00'")
    # Composed from constants only; every value is a query parameter.
    return f"""
WITH z AS (SELECT * FROM unnest(%(ids)s::bigint[], %(zones)s::text[]) AS z(user_id, tz)),
-- Per zone and date: local midnight as an instant, where the UTC offset holds from three
-- hours before it (what WALL looks back) to the next midnight, so that every wall-clock
-- time of the date is midnight plus the time. Checked on the hour: tz data has no two
-- clock changes within an hour. Other dates (clock changes) are read through WALL.
plain AS (
    SELECT zones.tz, g.day, g.day::timestamp AT TIME ZONE zones.tz AS midnight
    FROM (SELECT DISTINCT tz FROM z) AS zones
    CROSS JOIN LATERAL (SELECT %(first)s::date + n FROM generate_series(0, %(span)s) AS n)
        AS g(day)
    WHERE NOT EXISTS (
        SELECT FROM generate_series(-3, 24) AS h
        WHERE (g.day::timestamp AT TIME ZONE zones.tz + h * interval '1 hour')
              AT TIME ZONE zones.tz <> g.day::timestamp + h * interval '1 hour')
),
walls AS (
    SELECT p.user_id, p.date AS day, true AS is_work, p.from_time AS t1, p.to_time AS t2
    FROM presences_presence p
    WHERE p.user_id = ANY(%(ids)s) AND p.date BETWEEN %(first)s AND %(last)s
      AND p.to_time IS NOT NULL
    UNION ALL
    SELECT w.user_id, w.working_date, s.is_work, s.t1, s.t2
    FROM workingtimes_workingtime w
    CROSS JOIN LATERAL (VALUES (true, w.daily_time_start, w.daily_time_end), {breaks})
        AS s(is_work, t1, t2)
    WHERE w.user_id = ANY(%(ids)s) AND w.working_date BETWEEN %(first)s AND %(last)s
      AND w.day_type = %(work_day)s AND s.t1 IS NOT NULL AND s.t2 IS NOT NULL
),
spans AS (
    SELECT s.user_id, s.day, s.is_work,
        CASE WHEN pl.day IS NULL THEN {_wall("s.day + s.t1")} ELSE pl.midnight + s.t1 END AS lo,
        CASE WHEN pl.day IS NULL THEN {_wall("s.day + s.t2")} ELSE pl.midnight + s.t2 END AS hi
    FROM walls s JOIN z USING (user_id) LEFT JOIN plain pl ON pl.tz = z.tz AND pl.day = s.day
    UNION ALL
    SELECT e.user_id, (e.starts_at AT TIME ZONE z.tz)::date, true, e.starts_at, e.ends_at
    FROM clock_timeentry e JOIN z USING (user_id)
    WHERE e.user_id = ANY(%(ids)s) AND e.is_valid AND e.category = %(productive)s
      AND e.starts_at < %(utc_hi)s AND e.ends_at > %(utc_lo)s
    UNION ALL
    SELECT e.user_id, (e.starts_at AT TIME ZONE z.tz)::date, false, b.starts_at, b.ends_at
    FROM clock_timeentrybreak b JOIN clock_timeentry e ON e.id = b.entry_id
    JOIN z ON z.user_id = e.user_id
    WHERE e.user_id = ANY(%(ids)s) AND e.is_valid AND e.category = %(productive)s
      AND e.starts_at >= %(utc_lo)s AND e.starts_at < %(utc_hi)s
),
net AS (
    SELECT user_id, day,
        coalesce(range_agg(tstzrange(lo, hi)) FILTER (WHERE is_work), '{{}}')
        - coalesce(range_agg(tstzrange(lo, hi)) FILTER (WHERE NOT is_work), '{{}}') AS net
    FROM spans WHERE lo < hi AND day BETWEEN %(first)s AND %(last)s
    GROUP BY user_id, day
),
absences AS (
    SELECT user_id, start_at, end_at, false AS whole_only FROM (
        SELECT user_id, starts_at AS start_at, ends_at AS end_at FROM clock_timeentry
        WHERE user_id = ANY(%(ids)s) AND is_valid AND category <> %(productive)s
          AND starts_at < %(utc_hi)s AND ends_at > %(utc_lo)s) AS mctime
    UNION ALL
    SELECT user_id, start_date, end_date, true FROM ooo_outofoffice
    WHERE user_id = ANY(%(ids)s) AND is_active
      AND (start_date IS NULL OR start_date <= %(utc_hi)s)
      AND (end_date IS NULL OR end_date >= %(utc_lo)s)
),
absent AS (
    SELECT user_id, working_date AS day FROM workingtimes_workingtime
    WHERE user_id = ANY(%(ids)s) AND working_date BETWEEN %(first)s AND %(last)s
      AND day_type <> %(work_day)s AND NOT half_holiday
    UNION
    SELECT a.user_id, %(first)s::date + g.n FROM absences a JOIN z USING (user_id)
    CROSS JOIN LATERAL generate_series(
        greatest(0, coalesce((a.start_at AT TIME ZONE z.tz)::date - %(first)s::date, 0)),
        least(%(last)s::date - %(first)s::date,
              coalesce((a.end_at AT TIME ZONE z.tz)::date - %(first)s::date, %(span)s))
    ) AS g(n)
    CROSS JOIN LATERAL (SELECT {day_start} AS day_start, {day_end} AS day_end) AS b
    WHERE (a.start_at IS NULL OR a.start_at < b.day_end)
      AND (a.end_at IS NULL OR a.end_at > b.day_start)
      AND (NOT a.whole_only OR ((a.start_at IS NULL OR a.start_at <= b.day_start)
                                AND (a.end_at IS NULL OR a.end_at >= b.day_end)))
)
SELECT user_id, day,
    coalesce((SELECT div(sum(extract(epoch FROM upper(r) - lower(r))), 60)
              FROM unnest(net.net) AS r), 0)::int,
    net.net IS NULL OR isempty(net.net),
    absent.user_id IS NOT NULL
FROM net FULL JOIN absent USING (user_id, day)
"""  # noqa: S608


def lookback_totals(
    *, users: Sequence[User], first: date, last: date, now: datetime
) -> dict[tuple[int, date], DayTotal] | None:
    """Per (user id, local date) in [first, last]: net minutes and full-day absence, or
    None where the query does not apply (`lookback_applies`) and the caller reads the
    records instead."""
    if not lookback_applies(users=users, last=last, now=now):
        return None
    utc_lo, utc_hi = utc_window(first, last)
    params = {
        "ids": [user.pk for user in users],
        "zones": [user.zone.key for user in users],
        "first": first,
        "last": last,
        "span": (last - first).days,
        "utc_lo": utc_lo,
        "utc_hi": utc_hi,
        "productive": str(Category.PRODUCTIVE),
        "work_day": int(DayType.WORK),
    }
    with connection.cursor() as cursor:
        cursor.execute(_sql(), params)
        return {
            (user_id, day): DayTotal(minutes, empty and absent)
            for user_id, day, minutes, empty, absent in cursor.fetchall()
        }


def lookback_applies(*, users: Sequence[User], last: date, now: datetime) -> bool:
    """Whether `lookback_totals` computes a look-back ending `last`: not on SQLite, not
    for one reaching the last days (where running records count), not for a zone the
    database's own tz data lacks."""
    if connection.vendor != "postgresql" or last >= now.astimezone(UTC).date() - timedelta(days=3):
        return False
    return {user.zone.key for user in users} <= database_zones()


_ZONES: dict[str, frozenset[str]] = {}


def database_zones() -> frozenset[str]:
    """The time zones PostgreSQL knows (its tz data may differ from Python's), read once
    per process and database."""
    key = connection.settings_dict["NAME"]
    if key not in _ZONES:
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM pg_timezone_names")
            _ZONES[key] = frozenset(name for (name,) in cursor.fetchall())
    return _ZONES[key]


class LookBackAhead:
    """`lookback_totals` for batches of users, each read one batch ahead on a second
    database connection: PostgreSQL computes the next batch's look-back while this process
    computes the current batch's rows (an export's two halves overlap on two cores).

    Called like `lookback_totals`; a call for a batch `read_ahead` did not start is read
    in turn. Only on PostgreSQL and outside a transaction: another connection cannot see
    a transaction's own writes (each query of an export outside one reads its own snapshot
    anyway). `close()` ends the thread and closes its connection.
    """

    def __init__(self, *, first: date, last: date, now: datetime) -> None:
        self.first, self.last, self.now = first, last, now
        self.pending: dict[tuple[int, ...], Future[dict[tuple[int, date], DayTotal] | None]] = {}
        use = connection.vendor == "postgresql" and not connection.in_atomic_block
        self.pool = ThreadPoolExecutor(max_workers=1) if use else None

    def read_ahead(self, users: Sequence[User]) -> None:
        """Start reading `users`' look-back (unless it is under way already)."""
        if self.pool is not None and _ids(users) not in self.pending:
            self.pending[_ids(users)] = self.pool.submit(
                lookback_totals, users=users, first=self.first, last=self.last, now=self.now
            )

    def __call__(
        self, *, users: Sequence[User], first: date, last: date, now: datetime
    ) -> dict[tuple[int, date], DayTotal] | None:
        future = self.pending.pop(_ids(users), None)
        if future is not None and (first, last, now) == (self.first, self.last, self.now):
            return future.result()
        return lookback_totals(users=users, first=first, last=last, now=now)

    def close(self) -> None:
        if self.pool is None:
            return
        for future in self.pending.values():
            future.cancel()
        self.pending.clear()
        # Submitted, so that it runs in the thread and closes the thread's own connection.
        self.pool.submit(_close_connection)
        self.pool.shutdown(wait=True)
        self.pool = None


def _ids(users: Sequence[User]) -> tuple[int, ...]:
    return tuple(user.pk for user in users)


def _close_connection() -> None:
    connection.close()
