"""Writes of a whole day's record: the API's POST (replace the day) and the admin's save."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from accounts.models import User
from accounts.services import lock_user
from closing.services import ensure_dates_open
from workingtimes.models import WorkingTime
from workingtimes.selectors import ensure_may_write_for
from workingtimes.services.checks import (
    DEFAULTS,
    EDITABLE_FIELDS,
    WorkingTimeInvalid,
    api_total_check,
    check_working_time,
)

REPLACED = "Replaced by a new record for the same day (POST)."


def edited_by(actor: User, user_id: int) -> User | None:
    # ProSonata's editedByUserID: set when someone other than the user wrote the record.
    return None if actor.pk == user_id else actor


@transaction.atomic
def replace_working_day(
    *, user: User, actor: User, data: Mapping[str, Any], via_api: bool = True
) -> WorkingTime:
    """Create `user`'s record for `data["working_date"]`, replacing any record of that day.

    ProSonata: an existing record of that user and day is deleted, then the new one is
    created. Both steps are one transaction and both appear in the history.
    """
    ensure_may_write_for(actor=actor, user_id=user.pk)
    values = check_working_time({**DEFAULTS, **data}, zone=user.zone, total_check=api_total_check())
    # Race: two POSTs for one user and day would both find no record (or the same old one)
    # and both insert; the lock makes the second wait and then replace the first.
    lock_user(user_id=user.pk)
    ensure_dates_open(user_id=user.pk, dates=[values["working_date"]])
    existing = WorkingTime.objects.filter(user=user, working_date=values["working_date"]).first()
    if existing is not None:
        existing._history_user = actor  # type: ignore[attr-defined]
        existing._change_reason = REPLACED  # type: ignore[attr-defined]
        existing.delete()
    working_time = WorkingTime(
        user=user,
        edited_by=edited_by(actor, user.pk),
        created_via_api=via_api,
        **{field: values[field] for field in ("working_date", *EDITABLE_FIELDS)},
        total_mismatch=values["total_mismatch"],
    )
    working_time._history_user = actor  # type: ignore[attr-defined]
    working_time.save()
    return working_time


def _ensure_stored_dates_open(working_time: WorkingTime) -> None:
    """An edit changes the record where it is to be and where it was (its stored user and day)."""
    ensure_dates_open(user_id=working_time.user_id, dates=[working_time.working_date])
    stored = WorkingTime.objects.filter(pk=working_time.pk).values_list("user_id", "working_date")
    for stored_user_id, stored_day in stored:
        ensure_dates_open(user_id=stored_user_id, dates=[stored_day])


@transaction.atomic
def save_working_time(*, working_time: WorkingTime, actor: User) -> WorkingTime:
    """Save a record edited as a whole (the admin form): same checks as the API.

    Records created here are not `workingTimeViaApi`.
    """
    # Race: another write for this user and day between the form's checks and our save.
    lock_user(user_id=working_time.user_id)
    _ensure_stored_dates_open(working_time)
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
    working_time.edited_by = edited_by(actor, working_time.user_id)
    working_time._history_user = actor  # type: ignore[attr-defined]
    working_time.save()
    return working_time
