""" "Now" for a user: read once per operation, in the user's own time zone (docs/decisions.md)."""

from datetime import datetime

from django.utils import timezone

from accounts.models import User


def local_now(user: User, *, at: datetime | None = None) -> datetime:
    """The instant `at` (default: now) as an aware datetime in the user's time zone, to the
    second: the APIs carry whole seconds, so a stored fraction could never be sent back."""
    return timezone.localtime(at or timezone.now(), user.zone).replace(microsecond=0)
