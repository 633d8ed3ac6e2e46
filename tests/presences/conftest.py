"""Shared pieces of the MOCO presence tests."""

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from presences.models import Presence

LIST_URL = "/api/v1/users/presences"
TOUCH_URL = "/api/v1/users/presences/touch"


def detail_url(pk: int) -> str:
    return f"{LIST_URL}/{pk}"


def snapshot() -> tuple[list[dict[str, Any]], int]:
    """Every presence and the size of the history: equal before and after = unchanged."""
    rows = list(Presence.objects.order_by("pk").values())
    return rows, Presence.history.count()


def intervals(user: User) -> list[tuple[str, str, str | None]]:
    """The user's presences as (date, from, to) strings, in order."""
    return [
        (
            p.date.isoformat(),
            p.from_time.strftime("%H:%M"),
            p.to_time.strftime("%H:%M") if p.to_time else None,
        )
        for p in Presence.objects.filter(user=user).order_by("date", "from_time")
    ]


@pytest.fixture
def moco(api_client) -> Callable[..., APIClient]:  # type: ignore[no-untyped-def]
    """moco(user, **headers) -> a client sending a fresh key of `user` MOCO's way."""

    def make(user: User | None, **headers: str) -> APIClient:
        return api_client(user, "moco", **headers)

    return make
