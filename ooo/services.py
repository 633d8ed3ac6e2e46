"""Writes for OOO presences. Each runs in one transaction and validates before it writes."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from accounts.models import User
from config.api.errors import InvalidInput, NotFound
from ooo.models import MESSAGE_MAX_LENGTH, OutOfOffice


def check_presence(
    *, start: datetime | None, end: datetime | None, message: str, range_code: str
) -> None:
    """Huddle's rules for one OOO setting; the API, the admin and the importer all ask here."""
    if start is not None and end is not None and end < start:
        raise InvalidInput(
            "endDate must not be before startDate.", code=range_code, field="endDate"
        )
    if len(message) > MESSAGE_MAX_LENGTH:
        raise InvalidInput(
            f"message has more than {MESSAGE_MAX_LENGTH} characters.",
            code="MessageLengthLimitExceeded",
            field="message",
        )


@transaction.atomic
def create_presence(
    *,
    user: User,
    is_active: bool,
    start_date: datetime | None = None,
    end_date: datetime | None = None,
    message: str = "",
) -> OutOfOffice:
    """A new OOO setting; earlier ones stay as they are (Huddle: create never invalidates).

    No per-user invariant spans rows (settings may overlap), so no user lock is needed.
    """
    check_presence(start=start_date, end=end_date, message=message, range_code="DateRangeInvalid")
    return OutOfOffice.objects.create(
        user=user, is_active=is_active, start_date=start_date, end_date=end_date, message=message
    )


def _locked_presence(*, user: User, presence_id: int) -> OutOfOffice:
    # Row lock: a concurrent DELETE between our read and save() would otherwise make save()
    # find no row to UPDATE and INSERT the presence again, resurrecting it.
    presence = OutOfOffice.objects.select_for_update().filter(pk=presence_id, user=user).first()
    if presence is None:
        raise NotFound(
            f"Presence {presence_id} of user {user.pk} does not exist.", code="PresenceNotFound"
        )
    return presence


@transaction.atomic
def update_presence(
    *,
    user: User,
    presence_id: int,
    is_active: bool,
    start_date: datetime | None = None,
    end_date: datetime | None = None,
    message: str = "",
) -> OutOfOffice:
    """Replace the setting `presence_id` of `user` (PUT: omitted fields become empty)."""
    presence = _locked_presence(user=user, presence_id=presence_id)
    # Huddle's update table names one code for every date problem, the range included.
    check_presence(
        start=start_date, end=end_date, message=message, range_code="PresenceDateInvalid"
    )
    changed = (
        presence.is_active != is_active
        or presence.start_date != start_date
        or presence.end_date != end_date
        or presence.message != message
    )
    if changed:  # an identical PUT leaves no empty "update" audit entry behind
        presence.is_active = is_active
        presence.start_date = start_date
        presence.end_date = end_date
        presence.message = message
        presence.save()
    return presence


@transaction.atomic
def delete_presence(*, user: User, presence_id: int) -> None:
    presence = _locked_presence(user=user, presence_id=presence_id)
    presence.delete()
