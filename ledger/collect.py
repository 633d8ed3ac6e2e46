"""Read the four sources' records of some users and dates into per-person-day buckets.

A fixed number of queries whatever the number of users and days (one per source table);
the maths happens in Python so that PostgreSQL and SQLite give the same answers. Every
record belongs to the local date (the user's zone) on which it starts; absences belong to
every local date they overlap. McTime's entries and clocks are read by `ledger.mctime`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

from accounts.models import User
from config.instants import from_micros, instant
from ledger.intervals import Interval, dates_touched, day_bounds, local_today, wall_clock
from ledger.mctime import clocks, time_entries
from ledger.records import AbsenceRecord, Buckets, Flag
from ledger.tallies import LocalDays, wall_micros
from ooo.models import OutOfOffice
from presences.models import Presence
from workingtimes.models import BREAK_SLOTS, DayType, WorkingTime, break_fields

# ProSonata accepts a total "within 0.01 h" of the times (36 seconds); so does the ledger.
TOTAL_TOLERANCE_SECONDS = 36

PROSONATA_ABSENCES = {
    DayType.VACATION: "vacation",
    DayType.SICKNESS: "sick",
    DayType.PUBLIC_HOLIDAY: "holiday",
    DayType.TRAINING: "training",
    DayType.OVERTIME_REDUCTION: "overtime_reduction",
    DayType.OTHER_LEAVE: "other_leave",
}


def utc_window(first: date, last: date) -> Interval:
    """Instants that can fall on local dates first..last in any zone (offsets stay within a
    day of UTC), for the index range scan; the exact local date is checked in Python."""
    return (
        datetime.combine(first - timedelta(days=1), time(0), tzinfo=UTC),
        datetime.combine(last + timedelta(days=2), time(0), tzinfo=UTC),
    )


def collect(
    *,
    users: Sequence[User],
    first: date,
    last: date,
    now: datetime,
    detail_from: date | None = None,
) -> Buckets:
    """Per (user id, local date) within [first, last]: the days that have any record.

    Dates before `detail_from` are read by the same rules into `Buckets.tallies` (net
    work and full-day absence only), for look-backs that need no more than that; their
    common records (closed presences, work entries and their breaks, work days) go
    there as integers without a datetime ever being built.
    """
    zones = {user.pk: user.zone for user in users}
    buckets = Buckets(detail_from)
    if not zones:
        return buckets
    ids = list(zones)
    lo, hi = utc_window(first, last)
    _presences(buckets, ids, zones, first, last, now)
    time_entries(buckets, ids, zones, first, last, lo, hi, LocalDays(first, last))
    clocks(buckets, ids, zones, first, last, now)
    _working_times(buckets, ids, zones, first, last)
    _out_of_office(buckets, ids, zones, first, last, lo, hi)
    return buckets


def _presences(buckets, ids, zones, first, last, now) -> None:  # type: ignore[no-untyped-def]
    rows = Presence.objects.filter(user_id__in=ids, date__range=(first, last)).values_list(
        "id", "user_id", "date", "from_time", "to_time"
    )
    for pk, user_id, day, from_time, to_time in rows:
        zone = zones[user_id]
        if day < buckets.cut and to_time is not None:
            span = (wall_micros(day, from_time, zone), wall_micros(day, to_time, zone))
            buckets.tally_span(user_id, day, span, "work")
            continue
        ref = f"moco:presence:{pk}"
        start = wall_clock(day, from_time, zone)
        if to_time is not None:
            buckets.span(user_id, day, start, wall_clock(day, to_time, zone), "work", "moco", ref)
            continue
        buckets.touched(user_id, day)
        today = local_today(zone, now)
        if day == today:
            # Still clocked in: counts up to now (nothing yet if it starts later today).
            buckets.opened(user_id, day)
            if start < now:
                buckets.span(user_id, day, start, now, "work", "moco", ref)
        elif day < today:
            buckets.flag(
                user_id,
                day,
                Flag(
                    "open_interval",
                    f"MOCO presence {pk} from {from_time:%H:%M} was never closed; "
                    "it counts nothing until it has an end.",
                ),
            )


def _working_times(buckets, ids, zones, first, last) -> None:  # type: ignore[no-untyped-def]
    break_columns = [name for slot in BREAK_SLOTS for name in break_fields(slot)]
    rows = WorkingTime.objects.filter(
        user_id__in=ids, working_date__range=(first, last)
    ).values_list(
        "id",
        "user_id",
        "working_date",
        "day_type",
        "half_holiday",
        "daily_time_start",
        "daily_time_end",
        "daily_time_total",
        *break_columns,
    )
    for pk, user_id, day, day_type, half, start, end, total, *times in rows:
        zone = zones[user_id]
        if day < buckets.cut and day_type == DayType.WORK:
            span = (wall_micros(day, start, zone), wall_micros(day, end, zone))
            buckets.tally_span(user_id, day, span, "work")
            for b_start, b_end in zip(times[::2], times[1::2], strict=True):
                if b_start is not None and b_end is not None:
                    span = (wall_micros(day, b_start, zone), wall_micros(day, b_end, zone))
                    buckets.tally_span(user_id, day, span, "break")
            continue
        ref = f"prosonata:working_time:{pk}"
        if day_type != DayType.WORK:
            kind = PROSONATA_ABSENCES.get(day_type, "other_leave")
            absence = AbsenceRecord(kind, "prosonata", ref, half_day=bool(half))
            buckets.absence(user_id, day, absence)
            continue
        begin, finish = wall_clock(day, start, zone), wall_clock(day, end, zone)
        buckets.span(user_id, day, begin, finish, "work", "prosonata", ref)
        paused = 0.0
        pairs = zip(times[::2], times[1::2], strict=True)
        for slot, (b_start, b_end) in zip(BREAK_SLOTS, pairs, strict=True):
            if b_start is None or b_end is None:
                continue
            b_begin, b_finish = wall_clock(day, b_start, zone), wall_clock(day, b_end, zone)
            paused += max(0.0, (b_finish - b_begin).total_seconds())
            slot_ref = f"{ref}:break{slot}"
            buckets.span(user_id, day, b_begin, b_finish, "break", "prosonata", slot_ref)
        worked = max(0.0, (finish - begin).total_seconds() - paused)
        if abs(float(total) * 3600 - worked) > TOTAL_TOLERANCE_SECONDS:
            buckets.flag(
                user_id,
                day,
                Flag(
                    "total_mismatch",
                    f"ProSonata record {pk} gives dailyTimeTotal {total:.2f} h, "
                    f"its times give {worked / 3600:.2f} h.",
                ),
            )


def _out_of_office(buckets, ids, zones, first, last, lo, hi) -> None:  # type: ignore[no-untyped-def]
    rows = (
        OutOfOffice.objects.filter(user_id__in=ids, is_active=True)
        .overlapping(lo, hi)
        .values_list("id", "user_id", instant("start_date"), instant("end_date"))
    )
    for pk, user_id, raw_start, raw_end in rows:
        zone = zones[user_id]
        start, end = from_micros(raw_start), from_micros(raw_end)
        for day in dates_touched(start, end, zone, first, last):
            day_start, day_end = day_bounds(day, zone)
            whole = (start is None or start <= day_start) and (end is None or end >= day_end)
            ref = f"huddle:out_of_office:{pk}"
            buckets.absence(user_id, day, AbsenceRecord("out_of_office", "huddle", ref, not whole))
