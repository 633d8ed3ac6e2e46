"""Changes to one existing record: the API's PUT and DELETE, the admin's delete."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from accounts.models import User
from accounts.services import reread_under_user_lock
from closing.services import ensure_dates_open
from config.api.errors import NotFound
from config.api.field_errors import FieldErrors
from workingtimes.models import WorkingTime
from workingtimes.selectors import DATA_NOT_FOUND
from workingtimes.services.checks import (
    EDITABLE_FIELDS,
    TIME_FIELDS,
    api_total_check,
    check_working_time,
)
from workingtimes.services.day import edited_by

MOVE_INSTEAD = "delete the record and create a new one instead."


def _locked_current(working_time: WorkingTime) -> WorkingTime:
    """The record re-read under its user's lock; 404 when a concurrent write removed it."""
    # Race: a concurrent PUT/POST of the same user could change or replace the record
    # between our read and our write; lock, then re-read.
    current = reread_under_user_lock(working_time, WorkingTime.objects.select_related("user"))
    if current is None:
        raise NotFound(f"{DATA_NOT_FOUND} No working time with workingTimeID {working_time.pk}.")
    ensure_dates_open(user_id=current.user_id, dates=[current.working_date])
    return current


def _ensure_day_stays(current: WorkingTime, changes: Mapping[str, Any]) -> None:
    """ProSonata: a record keeps its user and day; moving one is delete and re-create."""
    if "user_id" in changes and changes["user_id"] != current.user_id:
        raise FieldErrors.one(
            "user_id",
            f"cannot be changed (record belongs to user {current.user_id}); {MOVE_INSTEAD}",
        )
    if "working_date" in changes and changes["working_date"] != current.working_date:
        raise FieldErrors.one(
            "working_date",
            f"cannot be changed (record is for {current.working_date:%Y-%m-%d}); {MOVE_INSTEAD}",
        )


@transaction.atomic
def update_working_time(
    *, working_time: WorkingTime, actor: User, changes: Mapping[str, Any]
) -> WorkingTime:
    """Change some fields of a record the caller may see (the caller checks that).

    `user` and `working_date` stay (ProSonata: delete and re-create to move a day). A work day
    whose times change without a new total gets its total recomputed.
    """
    current = _locked_current(working_time)
    _ensure_day_stays(current, changes)
    edits = {field: changes[field] for field in EDITABLE_FIELDS if field in changes}
    before = {field: getattr(current, field) for field in ("working_date", *EDITABLE_FIELDS)}
    recompute = "daily_time_total" not in edits and any(
        field in edits for field in (*TIME_FIELDS, "day_type")
    )
    values = check_working_time(
        {**before, **edits},
        zone=current.user.zone,
        recompute_total=recompute,
        total_check=api_total_check(),
    )
    if all(values[field] == before[field] for field in EDITABLE_FIELDS):
        return current  # nothing changes: no write, no history entry
    for field in EDITABLE_FIELDS:
        setattr(current, field, values[field])
    current.total_mismatch = values["total_mismatch"]
    current.edited_by = edited_by(actor, current.user_id)
    current._history_user = actor  # type: ignore[attr-defined]
    current.save()
    return current


@transaction.atomic
def delete_working_time(*, working_time: WorkingTime, actor: User) -> None:
    """Delete a record the caller may see (the API's selectors and the admin decide who)."""
    # Race: a concurrent POST may have replaced the record already (_locked_current).
    current = _locked_current(working_time)
    current._history_user = actor  # type: ignore[attr-defined]
    current.delete()
