"""The checks every working-time write (API, admin, import) goes through.

Values and refusals name model fields (`daily_time_end: must be after daily_time_start …`);
the API words them with ProSonata's names at its edge, the admin next to its form fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import time
from decimal import Decimal
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from config.api.field_errors import FieldErrors, FieldReason
from workingtimes.models import BREAK_SLOTS, DayType, break_fields
from workingtimes.services.durations import (
    clock,
    elapsed_seconds,
    hours,
    minutes,
    worked_seconds,
)

# What a client may set; `user` and `working_date` only on creation.
EDITABLE_FIELDS: tuple[str, ...] = (
    "daily_time_start",
    "daily_time_end",
    "day_type",
    "half_holiday",
    "home_office",
    *(field for slot in BREAK_SLOTS for field in break_fields(slot)),
    "daily_time_total",
    "comments",
)
TIME_FIELDS = frozenset(
    ("daily_time_start", "daily_time_end", *(f for s in BREAK_SLOTS for f in break_fields(s)))
)

# The spec's defaults for the optional fields of a POST.
DEFAULTS: dict[str, Any] = {
    "day_type": DayType.WORK,
    "half_holiday": False,
    "home_office": False,
    **{field: None for slot in BREAK_SLOTS for field in break_fields(slot)},
    "comments": "",
}

# DayType.values builds a new list on every access; this check runs for every record.
DAY_TYPES = frozenset(DayType.values)
# "Within 0.01 h": the total, in seconds, may differ from the worked time by 36 s.
TOLERANCE_SECONDS = 36
MAX_HOURS = Decimal(24)
# The note kept with a record whose total disagrees with its times (`"warn"` policy). It is
# stored text, read in the back office as ProSonata clients know the field.
TOTAL_NOTE = "dailyTimeTotal: {reason}"


class WorkingTimeInvalid(FieldErrors):
    """One or more fields break a rule; `errors` keeps them per model field."""


Span = tuple[int, time, time]  # a break: its slot, start and end


def _day_errors(values: Mapping[str, Any]) -> list[FieldReason]:
    start, end = values["daily_time_start"], values["daily_time_end"]
    errors: list[FieldReason] = []
    if not start < end and not _credited_day(values):
        errors.append(
            (
                "daily_time_end",
                f"must be after daily_time_start ({clock(start)}), got {clock(end)}.",
            )
        )
    if values["day_type"] not in DAY_TYPES:
        errors.append(("day_type", "must be one of 0, 1, 2, 3, 4, 5, 6."))
    return errors


def _credited_day(values: Mapping[str, Any]) -> bool:
    # ProSonata clients send a day that is not a work day (vacation, sickness, …) as
    # 00:00:00-00:00:00 with the credited hours as its total.
    start, end = values["daily_time_start"], values["daily_time_end"]
    return values["day_type"] != DayType.WORK and start == end == time(0)


def _break_error(values: Mapping[str, Any], slot: int) -> FieldReason | None:
    """What is wrong with one break slot (None when it is empty or fine)."""
    start_field, end_field = break_fields(slot)
    b_start, b_end = values.get(start_field), values.get(end_field)
    if b_start is None and b_end is None:
        return None
    if b_start is None:
        return start_field, f"is required when {end_field} is given (a break has two ends)."
    if b_end is None:
        return end_field, f"is required when {start_field} is given (a break has two ends)."
    if not b_start < b_end:
        return end_field, f"must be after {start_field} ({clock(b_start)}), got {clock(b_end)}."
    start, end = values["daily_time_start"], values["daily_time_end"]
    day_ok = start < end or _credited_day(values)
    if day_ok and (b_start < start or b_end > end):
        return start_field, (
            f"break {clock(b_start)}-{clock(b_end)} lies outside the working day "
            f"{clock(start)}-{clock(end)}."
        )
    return None


def _break_errors(values: Mapping[str, Any]) -> list[FieldReason]:
    """Each break on its own, then the valid ones against each other (no overlaps)."""
    errors: list[FieldReason] = []
    breaks: list[Span] = []
    for slot in BREAK_SLOTS:
        error = _break_error(values, slot)
        if error is not None:
            errors.append(error)
            continue
        start_field, end_field = break_fields(slot)
        if values.get(start_field) is not None:
            breaks.append((slot, values[start_field], values[end_field]))
    breaks.sort(key=lambda item: item[1])
    for (slot_a, start_a, end_a), (slot_b, start_b, end_b) in pairwise(breaks):
        if start_b < end_a:
            errors.append(
                (
                    break_fields(slot_b)[0],
                    f"break {clock(start_b)}-{clock(end_b)} overlaps break{slot_a} "
                    f"{clock(start_a)}-{clock(end_a)}.",
                )
            )
    return errors


def _shape_errors(values: Mapping[str, Any]) -> list[FieldReason]:
    """Day, breaks and ranges; everything except the work-day total matching the times."""
    errors = [*_day_errors(values), *_break_errors(values)]
    total = values["daily_time_total"]
    if not Decimal(0) <= total <= MAX_HOURS:
        errors.append(("daily_time_total", f"must be between 0 and 24 hours, got {total}."))
    return errors


def _total_error(values: Mapping[str, Any], *, zone: ZoneInfo | None) -> FieldReason | None:
    """Timebridge checks what ProSonata takes on trust: a work day's total is its worked time."""
    if values["day_type"] != DayType.WORK:
        return None  # credited time (vacation, sickness, …): kept as given
    seconds, pauses = worked_seconds(values, zone=zone)
    total: Decimal = values["daily_time_total"]
    if abs(total * 3600 - seconds) <= TOLERANCE_SECONDS:
        return None
    start, end = values["daily_time_start"], values["daily_time_end"]
    explanation = f"{clock(start)}-{clock(end)} minus {minutes(pauses)} of breaks"
    wall = elapsed_seconds(values["working_date"], start, end, None)
    if zone is not None and wall != elapsed_seconds(values["working_date"], start, end, zone):
        explanation += f"; the clocks change on this day in {zone.key}"
    return (
        "daily_time_total",
        f"expected {hours(seconds)} ({explanation}), got {total:.2f}.",
    )


def check_working_time(
    values: Mapping[str, Any],
    *,
    zone: ZoneInfo | None,
    recompute_total: bool = False,
    total_check: str = "strict",
) -> dict[str, Any]:
    """Validate a complete set of values; returns them, with the total recomputed if asked.

    Raises WorkingTimeInvalid listing every broken rule. Shared by the API services, the
    admin form and the import, so all refuse the same things with the same words.
    A work day's total that disagrees with its times is refused (`total_check="strict"`)
    or kept and described in the returned `total_mismatch` (`"warn"`); the API follows
    the `PROSONATA_TOTAL_CHECK` setting.
    """
    result = dict(values)
    errors = _shape_errors(result)
    if errors:
        raise WorkingTimeInvalid(errors)
    if recompute_total and result["day_type"] == DayType.WORK:
        result["daily_time_total"] = hours(worked_seconds(result, zone=zone)[0])
    total_error = _total_error(result, zone=zone)
    if total_error and total_check != "warn":
        raise WorkingTimeInvalid([total_error])
    result["total_mismatch"] = TOTAL_NOTE.format(reason=total_error[1]) if total_error else ""
    return result


def api_total_check() -> str:
    """The API's policy for a work day's total that disagrees with its times."""
    return settings.PROSONATA_TOTAL_CHECK
