"""Closed periods in imports: a record on a closed date is a conflict; its batch fails.

Imports write with COPY, past the services, so the batch check asks the same question the
services ask, under the same user locks (taken in id order, as a closure takes them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from django.utils import timezone

from accounts.models import User
from closing.services import ClosedSpans, local_span
from config.api.errors import PeriodClosed
from imports.sources.base import Prepared


def _date_span(field: str) -> Callable[[User, Callable[[str], Any]], tuple]:
    def span(user: User, get: Callable[[str], Any]) -> tuple[dt.date | None, dt.date | None]:
        return get(field), get(field)

    return span


def _entry_span(user: User, get: Callable[[str], Any]) -> tuple[dt.date, dt.date]:
    return local_span(user=user, starts_at=get("starts_at"), ends_at=get("ends_at"))


def _absence_span(user: User, get: Callable[[str], Any]) -> tuple[dt.date, dt.date | None]:
    # As ooo.services: no start counts from the day it was made, no end runs on.
    start, end = get("start_date"), get("end_date")
    first = (start or get("created_at") or timezone.now()).astimezone(user.zone).date()
    last = end.astimezone(user.zone).date() if end is not None else None
    return first, (max(first, last) if last is not None else None)


# The user's local dates a record (its values, or a stored row) touches, per model.
_SPANS: dict[str, Callable[[User, Callable[[str], Any]], tuple]] = {
    "presences.presence": _date_span("date"),
    "workingtimes.workingtime": _date_span("working_date"),
    "clock.timeentry": _entry_span,
    "ooo.outofoffice": _absence_span,
}


def closed_reasons(model: Any, creates: Sequence[Prepared], updates: Sequence[Prepared]) -> dict:
    """{source id: why} for every record whose old or new dates are closed.

    Locks the batch's users (and the stored rows' users) first, in id order, then reads
    their closed periods in one query.
    """
    label = model._meta.label_lower
    span_of = _SPANS.get(label)
    if span_of is None:  # a new source must add its rule, whether or not anything is closed
        raise ValueError(f"no closed-period rule for {label}")
    stored = {
        str(row.pk): row
        for row in model._default_manager.filter(pk__in=[p.object_id for p in updates])
    }
    user_ids = {p.user.pk for p in [*creates, *updates]} | {r.user_id for r in stored.values()}
    users = {
        user.pk: user
        for user in User.objects.select_for_update().filter(pk__in=sorted(user_ids)).order_by("pk")
    }
    closed = ClosedSpans(users)
    if not closed:  # the common case: nothing closed, no record to check
        return {}
    reasons: dict[str, str] = {}
    for prepared in [*creates, *updates]:
        checks = [(prepared.user, prepared.values.get)]
        row = stored.get(str(prepared.object_id)) if prepared.object_id else None
        if row is not None:
            checks.append((users[row.user_id], lambda name, row=row: getattr(row, name)))
        for user, get in checks:
            first, last = span_of(user, get)
            try:
                closed.ensure_open(user_id=user.pk, first=first, last=last)
            except PeriodClosed as exc:
                reasons[prepared.record.source_id] = f"conflict: user {user.pk}: {exc.message}"
                break
    return reasons
