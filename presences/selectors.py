"""Reads for presences: who sees which (docs/decisions.md)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet

from accounts.models import User
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
    viewer: User, conditions: dict[str, Any], order: Sequence[str]
) -> QuerySet[Presence]:
    """The presences `viewer` may see (as `presences_visible_to`) that meet `conditions`
    (`filter()` keyword arguments), in `order`: the list, read as rows (no select_related).

    One `filter()` call: a list page pays for every clone of its query.
    """
    if not viewer.is_admin:
        conditions = {**conditions, "user": viewer}
    return Presence.objects.filter(**conditions).order_by(*order)
