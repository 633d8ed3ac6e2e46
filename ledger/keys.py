"""Which (user, local date) pairs have any record: the rows of `/days` before paging.

Reads only keys (user, date or instant), one query per source, so that a page of the ledger
costs the same queries and little memory whatever the range. The rules match
`ledger.collect` exactly: work by the date it starts on, absences on every date they touch.
"""

from __future__ import annotations

from datetime import date

from clock.models import Category, Clock, TimeEntry
from config.instants import from_micros, instant
from ledger.collect import utc_window
from ledger.intervals import dates_touched
from ooo.models import OutOfOffice
from presences.models import Presence
from workingtimes.models import WorkingTime


def day_keys(*, zones: dict, first: date, last: date) -> list[tuple[int, date]]:
    """Sorted (user id, date) pairs within [first, last] that have any record."""
    if not zones:
        return []
    ids = list(zones)
    lo, hi = utc_window(first, last)
    keys: set[tuple[int, date]] = set()
    keys.update(
        Presence.objects.filter(user_id__in=ids, date__range=(first, last))
        .values_list("user_id", "date")
        .distinct()
    )
    keys.update(
        WorkingTime.objects.filter(user_id__in=ids, working_date__range=(first, last))
        .values_list("user_id", "working_date")
        .distinct()
    )
    entries = TimeEntry.objects.filter(
        user_id__in=ids, is_valid=True, starts_at__lt=hi, ends_at__gt=lo
    ).values_list("user_id", instant("starts_at"), instant("ends_at"), "category")
    for user_id, raw_start, raw_end, category in entries:
        zone = zones[user_id]
        starts_at, ends_at = from_micros(raw_start), from_micros(raw_end)
        if category == Category.PRODUCTIVE:
            day = starts_at.astimezone(zone).date()
            if first <= day <= last:
                keys.add((user_id, day))
        else:
            keys.update((user_id, d) for d in dates_touched(starts_at, ends_at, zone, first, last))
    for user_id, started_at in Clock.objects.filter(user_id__in=ids).values_list(
        "user_id", "started_at"
    ):
        day = started_at.astimezone(zones[user_id]).date()
        if first <= day <= last:
            keys.add((user_id, day))
    absences = (
        OutOfOffice.objects.filter(user_id__in=ids, is_active=True)
        .overlapping(lo, hi)
        .values_list("user_id", instant("start_date"), instant("end_date"))
    )
    for user_id, start, end in absences:
        keys.update(
            (user_id, d)
            for d in dates_touched(
                from_micros(start), from_micros(end), zones[user_id], first, last
            )
        )
    return sorted(keys)
