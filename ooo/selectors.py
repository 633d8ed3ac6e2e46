"""Reads for out-of-office settings: one, a user's, a range, the audit pages.

Who may see which user, team or workspace is decided in accounts.selectors.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from accounts.models import User
from config.api.errors import NotFound
from config.api.rows import LiteralRows
from config.instants import instant
from ooo.models import OutOfOffice


def out_of_office_not_found(*, user: User, out_of_office_id: int | None) -> NotFound:
    return NotFound(
        f"Presence {out_of_office_id} of user {user.pk} does not exist.", field="presence"
    )


# An item of `presenceEntities` (ooo.serializers.render_presence_rows), column by column:
# id, user id, active, start and end, message. The instants come as epoch microseconds
# where the database sends them so (config.instants), else as datetimes.
_PRESENCE_COLUMNS = ("id", "user_id", "is_active", "start_date", "end_date", "message")


def out_of_office_rows_of_user(*, user: User) -> LiteralRows:
    """The user's settings, newest first (as `OutOfOffice.objects.newest_first()`), as
    presence rows read with literal SQL: the hottest Huddle list."""
    return LiteralRows(OutOfOffice, {"user": user.pk}, ("-created_at", "-id"), _PRESENCE_COLUMNS)


def out_of_office_rows_in_range(
    *, start: datetime | None, end: datetime | None, **filters: Any
) -> QuerySet:
    """The settings matching `filters` that overlap [start, end], newest first, as presence
    rows (the columns of `out_of_office_rows_of_user`)."""
    settings = out_of_offices_in_range(start=start, end=end, **filters)
    return settings.annotate(
        start_us=instant("start_date"), end_us=instant("end_date")
    ).values_list("id", "user_id", "is_active", "start_us", "end_us", "message")


def out_of_office_of_user(*, user: User, out_of_office_id: int | None) -> OutOfOffice:
    """The setting `{presenceId}` of `{userId}`; another user's id is not found."""
    found = (
        OutOfOffice.objects.filter(pk=out_of_office_id, user=user).first()
        if out_of_office_id is not None
        else None
    )
    if found is None:
        raise out_of_office_not_found(user=user, out_of_office_id=out_of_office_id)
    return found


def out_of_offices_in_range(
    *, start: datetime | None, end: datetime | None, **filters: Any
) -> QuerySet[OutOfOffice]:
    return OutOfOffice.objects.filter(**filters).overlapping(start, end).newest_first()


def audit_records_of_user(*, user: User) -> QuerySet:
    """Every history record of the user's settings (deleted ones too), newest first."""
    return OutOfOffice.history.filter(user_id=user.pk).order_by("-history_date", "-history_id")


def previous_records(records: list[Any]) -> dict[int, Any]:
    """For each update record on the page, the record just before it (to diff against).

    One query for the whole page (not one per record): every earlier record of the
    settings updated on this page, then the nearest one per record in Python.
    """
    updates = [r for r in records if r.history_type == "~"]
    if not updates:
        return {}
    earlier = OutOfOffice.history.filter(
        id__in={r.id for r in updates}, history_id__lt=max(r.history_id for r in updates)
    ).order_by("history_id")
    by_setting: dict[int, list[Any]] = {}
    for record in earlier:
        by_setting.setdefault(record.id, []).append(record)
    result = {}
    for record in updates:
        candidates = [c for c in by_setting.get(record.id, []) if c.history_id < record.history_id]
        result[record.history_id] = candidates[-1] if candidates else None
    return result
