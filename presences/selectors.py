"""Reads for presences: who sees which (docs/decisions.md)."""

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
