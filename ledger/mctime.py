"""McTime's records read into the ledger's buckets (`ledger.collect`): valid time entries
(work spans, their breaks, absence entries) and running clocks. Every record belongs to the
local date (the user's zone) on which it starts; absence entries to every date they touch.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import connection
from django.db.models import F, TextField
from django.db.models.functions import Cast

from clock.models import (
    CATEGORY_BY_TIME_TYPE,
    Category,
    Clock,
    TimeEntry,
    TimeEntryBreak,
)
from config.instants import from_micros, instant
from ledger.intervals import dates_touched, local_today
from ledger.records import AbsenceRecord, Flag
from ledger.tallies import micros


def text_id():  # type: ignore[no-untyped-def]
    """McTime's UUID ids only go into refs: on PostgreSQL read as text, no UUID object
    built and formatted per entry (its text form is Python's str() of the UUID; SQLite
    stores the hex digits only, so there the UUID is read as it is)."""
    return Cast("id", TextField()) if connection.vendor == "postgresql" else F("id")


# A running clock older than this on a past date is a forgotten clock-out, not a night shift.
RUNNING_CLOCK_HORIZON = timedelta(hours=24)


def time_entries(buckets, ids, zones, first, last, lo, hi, local_days) -> None:  # type: ignore[no-untyped-def]
    rows = TimeEntry.objects.filter(
        user_id__in=ids, is_valid=True, starts_at__lt=hi, ends_at__gt=lo
    ).values_list(text_id(), "user_id", instant("starts_at"), instant("ends_at"), "category")
    cut = buckets.cut
    tallied = first < cut  # some dates are only tallied (a look-back read in Python)
    for pk, user_id, raw_start, raw_end, category in rows:
        zone = zones[user_id]
        if tallied and category == Category.PRODUCTIVE:
            start = micros(raw_start)
            day = local_days.of(start, zone)
            if first <= day < cut:
                buckets.tally_span(user_id, day, (start, micros(raw_end)), "work")
                continue
        starts_at, ends_at = from_micros(raw_start), from_micros(raw_end)
        if category == Category.PRODUCTIVE:
            day = starts_at.astimezone(zone).date()
            if first <= day <= last:
                ref = f"mctime:time_entry:{pk}"
                buckets.span(user_id, day, starts_at, ends_at, "work", "mctime", ref)
            continue
        for day in dates_touched(starts_at, ends_at, zone, first, last):
            buckets.absence(
                user_id,
                day,
                AbsenceRecord(
                    kind=str(category),
                    source="mctime",
                    ref=f"mctime:time_entry:{pk}",
                    half_day=False,
                    span=(starts_at, ends_at),
                ),
            )
    # A break belongs to its entry's day, even past midnight (the shift's day).
    breaks = TimeEntryBreak.objects.filter(
        entry__user_id__in=ids,
        entry__is_valid=True,
        entry__category=Category.PRODUCTIVE,
        entry__starts_at__gte=lo,
        entry__starts_at__lt=hi,
    ).values_list(
        text_id(),
        "entry__user_id",
        instant("entry__starts_at"),
        instant("starts_at"),
        instant("ends_at"),
    )
    for pk, user_id, entry_start, raw_start, raw_end in breaks:
        if tallied:
            day = local_days.of(micros(entry_start), zones[user_id])
            if first <= day < cut:
                span = (micros(raw_start), micros(raw_end))
                buckets.tally_span(user_id, day, span, "break")
                continue
        starts_at, ends_at = from_micros(raw_start), from_micros(raw_end)
        day = from_micros(entry_start).astimezone(zones[user_id]).date()  # type: ignore[union-attr]
        if first <= day <= last:
            ref = f"mctime:time_entry_break:{pk}"
            buckets.span(user_id, day, starts_at, ends_at, "break", "mctime", ref)


def clocks(buckets, ids, zones, first, last, now) -> None:  # type: ignore[no-untyped-def]
    # Clocks with their breaks in one query (a clock without breaks: one row of None).
    clocks: dict[int, tuple[int, datetime, str]] = {}
    breaks: dict[int, list[tuple[datetime, datetime | None, int]]] = {}
    for (
        pk,
        user_id,
        started_at,
        time_type,
        break_pk,
        break_start,
        break_end,
    ) in Clock.objects.filter(user_id__in=ids).values_list(
        "id",
        "user_id",
        "started_at",
        "time_type",
        "breaks__id",
        "breaks__started_at",
        "breaks__ended_at",
    ):
        clocks[pk] = (user_id, started_at, time_type)
        if break_pk is not None:
            breaks.setdefault(pk, []).append((break_start, break_end, break_pk))
    for pk, (user_id, started_at, time_type) in clocks.items():
        zone = zones[user_id]
        day = started_at.astimezone(zone).date()
        if not first <= day <= last:
            continue
        buckets.touched(user_id, day)
        if CATEGORY_BY_TIME_TYPE.get(time_type) != Category.PRODUCTIVE:
            continue  # a running absence clock: no work, and not yet an absence entry
        if day < local_today(zone, now) and now - started_at >= RUNNING_CLOCK_HORIZON:
            buckets.flag(
                user_id,
                day,
                Flag(
                    "open_interval",
                    f"McTime clock running since {started_at.astimezone(zone):%Y-%m-%d %H:%M} "
                    "was never stopped; it counts nothing until it is.",
                ),
            )
            continue
        buckets.opened(user_id, day)
        ref = f"mctime:clock:{pk}"
        if started_at < now:
            buckets.span(user_id, day, started_at, now, "work", "mctime", ref)
        for break_start, break_end, break_pk in breaks.get(pk, []):
            end = break_end if break_end is not None else now
            ref = f"mctime:clock_break:{break_pk}"
            buckets.span(user_id, day, break_start, end, "break", "mctime", ref)
