"""Writes for working times, and the checks every write (API, admin) goes through.

Values are handled by model field name; messages name the ProSonata wire field
(`dailyTimeTotal: …`), because that is what API clients send and read.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

from accounts.models import User
from accounts.services import lock_user
from config.api.errors import Forbidden, InvalidInput, NotFound
from workingtimes.models import BREAK_SLOTS, DayType, WorkingTime, break_fields
from workingtimes.selectors import DATA_NOT_FOUND

# Model field -> ProSonata field.
WIRE_NAMES: dict[str, str] = {
    "user": "userID",
    "user_id": "userID",
    "working_date": "workingDate",
    "daily_time_start": "dailyTimeStart",
    "daily_time_end": "dailyTimeEnd",
    "day_type": "dayType",
    "half_holiday": "halfHoliday",
    "home_office": "homeOffice",
    "daily_time_total": "dailyTimeTotal",
    "comments": "comments",
    **{
        field: f"break{slot}{part}"
        for slot in BREAK_SLOTS
        for field, part in zip(break_fields(slot), ("Start", "End"), strict=True)
    },
}

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
HUNDREDTH = Decimal("0.01")
# "Within 0.01 h": the total, in seconds, may differ from the worked time by 36 s.
TOLERANCE_SECONDS = 36
MAX_HOURS = Decimal(24)


class WorkingTimeInvalid(InvalidInput):
    """One or more fields break a rule; `errors` keeps them per model field (for the admin)."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        self.errors = errors
        message = "; ".join(f"{WIRE_NAMES.get(field, field)}: {text}" for field, text in errors)
        super().__init__(message, field=WIRE_NAMES.get(errors[0][0], errors[0][0]))


# --- checks -----------------------------------------------------------------------------


def clock(value: time) -> str:
    """08:18 (or 08:18:30 when there are seconds), for messages."""
    return value.strftime("%H:%M:%S" if value.second else "%H:%M")


def _microseconds(value: time) -> int:
    return ((value.hour * 60 + value.minute) * 60 + value.second) * 1_000_000 + value.microsecond


@functools.lru_cache(maxsize=4096)
def _steady(zone: ZoneInfo, day: date) -> bool:
    """Whether `zone`'s UTC offset holds all `day` (no clock change), so that wall-clock
    differences are real time. Checked at every hour and at the day's last second: offsets
    change at most a few times a year, and never twice within an hour."""
    offsets = {datetime.combine(day, time(hour), tzinfo=zone).utcoffset() for hour in range(24)}
    offsets.add(datetime.combine(day, time(23, 59, 59), tzinfo=zone).utcoffset())
    return len(offsets) == 1


def _elapsed_seconds(day: date, start: time, end: time, zone: ZoneInfo | None) -> int:
    """Real time between two wall-clock times of `day` in `zone`.

    On the days the clocks change, 01:00-05:00 is 3 or 5 hours, not 4. Without a zone (an
    admin form before a user is chosen) the wall-clock difference is used.
    """
    if zone is None or _steady(zone, day):
        return max(0, (_microseconds(end) - _microseconds(start)) // 1_000_000)
    begin = datetime.combine(day, start, tzinfo=zone).astimezone(UTC)
    finish = datetime.combine(day, end, tzinfo=zone).astimezone(UTC)
    # A time inside the spring-forward gap maps past the gap; never count a negative span.
    return max(0, int((finish - begin).total_seconds()))


def worked_seconds(values: Mapping[str, Any], *, zone: ZoneInfo | None) -> tuple[int, int]:
    """(worked seconds, break seconds) of a day whose times are already known to be valid."""
    day = values["working_date"]
    span = _elapsed_seconds(day, values["daily_time_start"], values["daily_time_end"], zone)
    pauses = 0
    for slot in BREAK_SLOTS:
        start_field, end_field = break_fields(slot)
        start, end = values.get(start_field), values.get(end_field)
        if start is not None and end is not None:
            pauses += _elapsed_seconds(day, start, end, zone)
    return max(0, span - pauses), pauses


def hours(seconds: int) -> Decimal:
    """Seconds as hours, rounded half up to two decimals (7.41666 h -> 7.42)."""
    return (Decimal(seconds) / 3600).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def _minutes(seconds: int) -> str:
    whole, rest = divmod(seconds, 60)
    return f"{whole} min {rest} s" if rest else f"{whole} min"


def _shape_errors(values: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Day, breaks and ranges; everything except the work-day total."""
    errors: list[tuple[str, str]] = []
    start, end = values["daily_time_start"], values["daily_time_end"]
    day_ok = start < end
    # ProSonata clients send a day that is not a work day (vacation, sickness, …) as
    # 00:00:00-00:00:00 with the credited hours as its total.
    credited_day = values["day_type"] != DayType.WORK and start == end == time(0)
    if not day_ok and not credited_day:
        errors.append(
            ("daily_time_end", f"must be after dailyTimeStart ({clock(start)}), got {clock(end)}.")
        )
    if values["day_type"] not in DAY_TYPES:
        errors.append(("day_type", "must be one of 0, 1, 2, 3, 4, 5, 6."))
    breaks: list[tuple[int, time, time]] = []
    for slot in BREAK_SLOTS:
        start_field, end_field = break_fields(slot)
        b_start, b_end = values.get(start_field), values.get(end_field)
        if b_start is None and b_end is None:
            continue
        if b_start is None or b_end is None:
            missing, given = (
                (start_field, f"break{slot}End")
                if b_start is None
                else (end_field, f"break{slot}Start")
            )
            errors.append((missing, f"is required when {given} is given (a break has two ends)."))
            continue
        if not b_start < b_end:
            errors.append(
                (
                    end_field,
                    f"must be after break{slot}Start ({clock(b_start)}), got {clock(b_end)}.",
                )
            )
            continue
        if (day_ok or credited_day) and (b_start < start or b_end > end):
            errors.append(
                (
                    start_field,
                    f"break {clock(b_start)}-{clock(b_end)} lies outside the working day "
                    f"{clock(start)}-{clock(end)}.",
                )
            )
            continue
        breaks.append((slot, b_start, b_end))
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
    total = values["daily_time_total"]
    if not Decimal(0) <= total <= MAX_HOURS:
        errors.append(("daily_time_total", f"must be between 0 and 24 hours, got {total}."))
    return errors


def _total_error(values: Mapping[str, Any], *, zone: ZoneInfo | None) -> tuple[str, str] | None:
    """Timebridge checks what ProSonata takes on trust: a work day's total is its worked time."""
    if values["day_type"] != DayType.WORK:
        return None  # credited time (vacation, sickness, …): kept as given
    seconds, pauses = worked_seconds(values, zone=zone)
    total: Decimal = values["daily_time_total"]
    if abs(total * 3600 - seconds) <= TOLERANCE_SECONDS:
        return None
    start, end = values["daily_time_start"], values["daily_time_end"]
    explanation = f"{clock(start)}-{clock(end)} minus {_minutes(pauses)} of breaks"
    wall = _elapsed_seconds(values["working_date"], start, end, None)
    if zone is not None and wall != _elapsed_seconds(values["working_date"], start, end, zone):
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
    result["total_mismatch"] = f"dailyTimeTotal: {total_error[1]}" if total_error else ""
    return result


def api_total_check() -> str:
    """The API's policy for a work day's total that disagrees with its times."""
    return settings.PROSONATA_TOTAL_CHECK


def ensure_may_act_for(*, acting_user: User, owner: User) -> None:
    if not acting_user.is_admin and acting_user.pk != owner.pk:
        raise Forbidden(
            "userID: only administrators may record working times of other users.",
            field="userID",
        )


def _edited_by(acting_user: User, owner_id: int) -> User | None:
    # ProSonata's editedByUserID: set when someone other than the owner wrote the record.
    return None if acting_user.pk == owner_id else acting_user


# --- writes -------------------------------------------------------------------------------


@transaction.atomic
def replace_working_day(
    *, user: User, acting_user: User, data: Mapping[str, Any], via_api: bool = True
) -> WorkingTime:
    """Create `user`'s record for `data["working_date"]`, replacing any record of that day.

    ProSonata: an existing record of that user and day is deleted, then the new one is
    created. Both steps are one transaction and both appear in the history.
    """
    ensure_may_act_for(acting_user=acting_user, owner=user)
    values = check_working_time({**DEFAULTS, **data}, zone=user.zone, total_check=api_total_check())
    # Race: two POSTs for one user and day would both find no record (or the same old one)
    # and both insert; the lock makes the second wait and then replace the first.
    lock_user(user_id=user.pk)
    existing = WorkingTime.objects.filter(user=user, working_date=values["working_date"]).first()
    if existing is not None:
        existing._history_user = acting_user  # type: ignore[attr-defined]
        existing._change_reason = "Replaced by a new record for the same day (POST)."  # type: ignore[attr-defined]
        existing.delete()
    working_time = WorkingTime(
        user=user,
        edited_by=_edited_by(acting_user, user.pk),
        created_via_api=via_api,
        **{field: values[field] for field in ("working_date", *EDITABLE_FIELDS)},
        total_mismatch=values["total_mismatch"],
    )
    working_time._history_user = acting_user  # type: ignore[attr-defined]
    working_time.save()
    return working_time


@transaction.atomic
def update_working_time(
    *, working_time: WorkingTime, acting_user: User, changes: Mapping[str, Any]
) -> WorkingTime:
    """Change some fields of a record the caller may see (the caller checks that).

    `user` and `working_date` stay (ProSonata: delete and re-create to move a day). A work day
    whose times change without a new total gets its total recomputed.
    """
    owner = working_time.user
    # Race: a concurrent PUT/POST of the same user could change or replace the record
    # between our read and our write; lock, then re-read.
    lock_user(user_id=owner.pk)
    current = WorkingTime.objects.select_related("user").filter(pk=working_time.pk).first()
    if current is None:
        raise NotFound(f"{DATA_NOT_FOUND} No working time with workingTimeID {working_time.pk}.")
    if "user_id" in changes and changes["user_id"] != current.user_id:
        raise InvalidInput(
            f"userID: cannot be changed (record belongs to user {current.user_id}); "
            "delete the record and create a new one instead.",
            field="userID",
        )
    if "working_date" in changes and changes["working_date"] != current.working_date:
        raise InvalidInput(
            f"workingDate: cannot be changed (record is for {current.working_date:%Y-%m-%d}); "
            "delete the record and create a new one instead.",
            field="workingDate",
        )
    edits = {field: changes[field] for field in EDITABLE_FIELDS if field in changes}
    before = {field: getattr(current, field) for field in ("working_date", *EDITABLE_FIELDS)}
    recompute = "daily_time_total" not in edits and any(
        field in edits for field in (*TIME_FIELDS, "day_type")
    )
    values = check_working_time(
        {**before, **edits},
        zone=owner.zone,
        recompute_total=recompute,
        total_check=api_total_check(),
    )
    if all(values[field] == before[field] for field in EDITABLE_FIELDS):
        return current  # nothing changes: no write, no history entry
    for field in EDITABLE_FIELDS:
        setattr(current, field, values[field])
    current.total_mismatch = values["total_mismatch"]
    current.edited_by = _edited_by(acting_user, owner.pk)
    current._history_user = acting_user  # type: ignore[attr-defined]
    current.save()
    return current


@transaction.atomic
def delete_working_time(*, working_time: WorkingTime, acting_user: User) -> None:
    """Delete a record the caller may see (the API's selectors and the admin decide who)."""
    # Race: a concurrent POST may have replaced the record already; lock, then re-read.
    lock_user(user_id=working_time.user_id)
    current = WorkingTime.objects.filter(pk=working_time.pk).first()
    if current is None:
        raise NotFound(f"{DATA_NOT_FOUND} No working time with workingTimeID {working_time.pk}.")
    current._history_user = acting_user  # type: ignore[attr-defined]
    current.delete()


@transaction.atomic
def save_working_time(*, working_time: WorkingTime, acting_user: User) -> WorkingTime:
    """Save a record edited as a whole (the admin form): same checks as the API.

    Records created here are not `workingTimeViaApi`.
    """
    # Race: another write for this user and day between the form's checks and our save.
    lock_user(user_id=working_time.user_id)
    values = {field: getattr(working_time, field) for field in ("working_date", *EDITABLE_FIELDS)}
    # Strict here: a person at the form can correct the total (or leave it to be computed).
    working_time.total_mismatch = check_working_time(values, zone=working_time.user.zone)[
        "total_mismatch"
    ]
    clash = WorkingTime.objects.filter(
        user_id=working_time.user_id, working_date=working_time.working_date
    ).exclude(pk=working_time.pk)
    if clash.exists():
        raise WorkingTimeInvalid(
            [("working_date", "this user already has a working time for this day.")]
        )
    working_time.edited_by = _edited_by(acting_user, working_time.user_id)
    working_time._history_user = acting_user  # type: ignore[attr-defined]
    working_time.save()
    return working_time
