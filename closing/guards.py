"""The back office's side of closed periods: which dates a record touches, as a form error.

The services refuse every write on a closed date (PeriodClosed). The admin asks the same
question earlier, so that an administrator gets a form error (model `clean()`) or no delete
button (`ClosedDatesDeleteGuard`), never an error page.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import User
from closing.services import ensure_span_open, local_span
from config.api.errors import PeriodClosed

Span = tuple[int, dt.date | None, dt.date | None]


def record_spans(obj: Any) -> list[Span]:
    """(user id, first, last) of the local dates a record touches; None bounds run on."""
    label = obj._meta.label_lower
    if label == "clock.timeentrybreak":
        return record_spans(obj.entry) if obj.entry_id is not None else []
    user_id = getattr(obj, "user_id", None)
    if user_id is None:
        return []
    if label == "presences.presence":
        return [(user_id, obj.date, obj.date)]
    if label == "workingtimes.workingtime":
        return [(user_id, obj.working_date, obj.working_date)]
    user = User.objects.get(pk=user_id)
    if label == "clock.timeentry":
        if obj.starts_at is None:
            return []
        first, last = local_span(user=user, starts_at=obj.starts_at, ends_at=obj.ends_at)
        return [(user_id, first, last)]
    if label == "ooo.outofoffice":
        # As ooo.services: no start counts from the day it was made, no end runs on.
        start = obj.start_date or obj.created_at or timezone.now()
        first = start.astimezone(user.zone).date()
        last = obj.end_date.astimezone(user.zone).date() if obj.end_date else None
        return [(user_id, first, max(first, last) if last else None)]
    return []


def closed_problem(obj: Any, *, stored_too: bool = True) -> str | None:
    """Why changing `obj` (as it is now, and as stored) is refused; None if it may change."""
    spans = record_spans(obj)
    if stored_too and obj.pk is not None:
        stored = type(obj)._default_manager.filter(pk=obj.pk).first()
        if stored is not None:
            spans += record_spans(stored)
    for user_id, first, last in spans:
        try:
            ensure_span_open(user_id=user_id, first=first, last=last)
        except PeriodClosed as exc:
            return exc.message
    return None


def ensure_instance_open(obj: Any) -> None:
    """For a model's `clean()`: the closed date as a form error."""
    problem = closed_problem(obj)
    if problem:
        raise ValidationError(problem)


class ClosedDatesDeleteGuard:
    """Admin mixin: no deleting a record on a closed date (single or bulk: Django asks
    `has_delete_permission` for every object it would delete)."""

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        allowed = super().has_delete_permission(request, obj)  # type: ignore[misc]
        return allowed and (obj is None or closed_problem(obj, stored_too=False) is None)
