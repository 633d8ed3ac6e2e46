"""Reads for working times: who sees which records, and the users a record may belong to."""

from __future__ import annotations

from collections.abc import Sequence
from http import HTTPStatus

from django.db.models import QuerySet

from accounts.models import User
from config.api.errors import Forbidden, NotFound
from config.api.field_errors import FieldErrors
from config.api.ids import MAX_ID
from config.api.rows import LiteralRows
from workingtimes.models import WorkingTime

DATA_NOT_FOUND = "Data not found."


def working_times_visible_to(viewer: User) -> QuerySet[WorkingTime]:
    """ProSonata: administrators see everyone's working times, everybody else only their own.

    (Stricter than accounts' users_visible_to: team mates do not see each other's days.)
    Ordered by workingTimeID, the default order of the list.
    """
    queryset = WorkingTime.objects.select_related("user").order_by("id")
    if viewer.is_admin:
        return queryset
    return queryset.filter(user=viewer)


def working_time_rows_visible_to(viewer: User, columns: Sequence[str]) -> LiteralRows:
    """The list without filters, read with literal SQL (config/api/rows.py): the records
    `viewer` may see (as working_times_visible_to), by workingTimeID, as rows of `columns`."""
    conditions = {} if viewer.is_admin else {"user": viewer.pk}
    return LiteralRows(WorkingTime, conditions, ("id",), tuple(columns))


def working_time_for(viewer: User, pk: int) -> WorkingTime:
    """The record `pk` if `viewer` may see it; otherwise 404, whether or not it exists."""
    working_time = None
    if pk <= MAX_ID:  # larger numbers are no id (and overflow SQLite's integers)
        working_time = working_times_visible_to(viewer).filter(pk=pk).first()
    if working_time is None:
        raise NotFound(f"{DATA_NOT_FOUND} No working time with workingTimeID {pk}.")
    return working_time


def ensure_may_write_for(*, actor: User, user_id: int) -> None:
    """Members write their own records; administrators anyone's."""
    if not actor.is_admin and actor.pk != user_id:
        raise FieldErrors.one(
            "user_id",
            "only administrators may record working times of other users.",
            status=HTTPStatus.FORBIDDEN,
            code=Forbidden.default_code,
        )


def user_for_new_record(actor: User, user_id: int) -> User:
    """The user a POST records for: oneself, or anyone for administrators."""
    if user_id == actor.pk:
        return actor
    # Refused before looking the id up, so members learn nothing about other ids.
    ensure_may_write_for(actor=actor, user_id=user_id)
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise FieldErrors.one("user_id", f"there is no user with id {user_id}.")
    return user
