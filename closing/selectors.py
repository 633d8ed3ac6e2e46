"""Reads of closures."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from closing.models import Closure


def closures(
    *, user_id: int | None, from_date: dt.date | None, to_date: dt.date | None
) -> QuerySet[Closure]:
    """Closures covering `user_id` (None: all) that overlap `from_date`..`to_date`."""
    qs = Closure.objects.prefetch_related("periods").order_by("-from_date", "-id")
    if user_id is not None:
        qs = qs.filter(periods__user_id=user_id)
    if from_date is not None:
        qs = qs.filter(to_date__gte=from_date)
    if to_date is not None:
        qs = qs.filter(from_date__lte=to_date)
    return qs
