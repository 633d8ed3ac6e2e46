"""Reads for presences: who sees which (docs/decisions.md)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet

from accounts.models import User
from config.api.rows import LiteralRows
from presences.models import Presence


def presences_visible_to(viewer: User) -> QuerySet[Presence]:
    """Admins see everyone's presences; a member sees only their own (MOCO).

    `select_related("user")` because every rendered presence embeds its user: the list
    runs the same number of queries whatever its length.
    """
    presences = Presence.objects.select_related("user")
    if viewer.is_admin:
        return presences
    return presences.filter(user=viewer)


def presence_list_visible_to(
    viewer: User, conditions: dict[str, Any], order: Sequence[str], columns: Sequence[str]
) -> LiteralRows:
    """The presences `viewer` may see (as presences_visible_to) that meet `conditions`
    (`filter()` keyword arguments of presences.filters.list_conditions), in `order`, as
    rows of `columns` (field names, `user__…` for the user's), read with literal SQL."""
    if not viewer.is_admin:
        conditions = {**conditions, "user": viewer.pk}
    return LiteralRows(Presence, conditions, tuple(order), tuple(columns))
