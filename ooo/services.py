"""Writes for out-of-office settings. Each runs in one transaction and validates before it
writes; refusals are neutral (a model field and a reason), the Huddle edge words them."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.services import lock_user
from closing.services import ensure_span_open
from config.api.errors import InvalidInput
from config.api.reasons import END_BEFORE_START, TOO_LONG
from ooo.models import END_BEFORE_START_MESSAGE, MESSAGE_MAX_LENGTH, OutOfOffice, ends_before_start
from ooo.selectors import out_of_office_not_found


def check_out_of_office(*, start: datetime | None, end: datetime | None, message: str) -> None:
    """Huddle's rules for one setting; the API, the admin and the importer all ask here."""
    if ends_before_start(start, end):
        raise InvalidInput(END_BEFORE_START_MESSAGE, field="end_date", code=END_BEFORE_START)
    if len(message) > MESSAGE_MAX_LENGTH:
        raise InvalidInput(
            f"message has more than {MESSAGE_MAX_LENGTH} characters.",
            field="message",
            code=TOO_LONG,
        )


def _ensure_open(
    *, user: User, start: datetime | None, end: datetime | None, created: datetime | None
) -> None:
    """Refuse a change to a setting whose range touches a closed date of `user`.

    The range's local dates in the user's zone. Without a start, a setting counts from the
    day it was made (`created`; today for a new one); without an end, it runs on forever.
    """
    zone = user.zone
    first: date = (start or created or timezone.now()).astimezone(zone).date()
    last = end.astimezone(zone).date() if end is not None else None
    if last is not None and last < first:
        last = first
    ensure_span_open(user_id=user.pk, first=first, last=last)


@transaction.atomic
def create_out_of_office(
    *,
    user: User,
    is_active: bool,
    start_date: datetime | None = None,
    end_date: datetime | None = None,
    message: str = "",
) -> OutOfOffice:
    """A new setting; earlier ones stay as they are (Huddle: create never invalidates).

    Settings may overlap; the user lock serializes this write with closing a period.
    """
    check_out_of_office(start=start_date, end=end_date, message=message)
    lock_user(user_id=user.pk)
    _ensure_open(user=user, start=start_date, end=end_date, created=None)
    return OutOfOffice.objects.create(
        user=user, is_active=is_active, start_date=start_date, end_date=end_date, message=message
    )


def _locked_out_of_office(*, user: User, out_of_office_id: int) -> OutOfOffice:
    # Row lock: a concurrent DELETE between our read and save() would otherwise make save()
    # find no row to UPDATE and INSERT the setting again, resurrecting it.
    found = OutOfOffice.objects.select_for_update().filter(pk=out_of_office_id, user=user).first()
    if found is None:
        raise out_of_office_not_found(user=user, out_of_office_id=out_of_office_id)
    return found


@transaction.atomic
def update_out_of_office(
    *,
    user: User,
    out_of_office_id: int,
    is_active: bool,
    start_date: datetime | None = None,
    end_date: datetime | None = None,
    message: str = "",
) -> OutOfOffice:
    """Replace the setting `out_of_office_id` of `user` (PUT: omitted fields become empty)."""
    # The user lock: serialized with closing a period (then the row lock, as everywhere).
    lock_user(user_id=user.pk)
    setting = _locked_out_of_office(user=user, out_of_office_id=out_of_office_id)
    check_out_of_office(start=start_date, end=end_date, message=message)
    changed = (
        setting.is_active != is_active
        or setting.start_date != start_date
        or setting.end_date != end_date
        or setting.message != message
    )
    if changed:  # an identical PUT leaves no empty "update" audit entry behind
        # Both where the setting was and where it goes.
        for start, end in ((setting.start_date, setting.end_date), (start_date, end_date)):
            _ensure_open(user=user, start=start, end=end, created=setting.created_at)
        setting.is_active = is_active
        setting.start_date = start_date
        setting.end_date = end_date
        setting.message = message
        setting.save()
    return setting


@transaction.atomic
def delete_out_of_office(*, user: User, out_of_office_id: int) -> None:
    lock_user(user_id=user.pk)
    setting = _locked_out_of_office(user=user, out_of_office_id=out_of_office_id)
    _ensure_open(
        user=user, start=setting.start_date, end=setting.end_date, created=setting.created_at
    )
    setting.delete()
