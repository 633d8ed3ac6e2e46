"""Helpers for the McTime clock tests: clients, instants, and a snapshot of a user's data."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from clock.models import Clock, TimeEntry

CLOCK_URL = "/api/v2/auth/clock"
TIMES_URL = "/api/v2/auth/times"


def at(text: str) -> datetime:
    """An aware instant from ISO 8601 with offset."""
    value = datetime.fromisoformat(text)
    assert value.tzinfo is not None
    return value


def success(data: Any) -> dict[str, Any]:
    return {"items": [{"message": "Success", "data": data}], "valid": True}


def failure(message: str, data: Any = None) -> dict[str, Any]:
    return {"items": [{"message": message, "data": data}], "valid": False}


def snapshot(user: User) -> dict[str, Any]:
    """Everything clock-related of `user`, to prove an error changed nothing."""
    clocks = [
        (
            c.started_at,
            c.time_type,
            c.comment,
            c.organization_id,
            [(b.started_at, b.ended_at) for b in c.breaks.order_by("started_at")],
        )
        for c in Clock.objects.filter(user=user)
    ]
    entries = [
        (
            e.pk,
            e.starts_at,
            e.ends_at,
            e.time_type,
            e.comment,
            e.organization_id,
            e.approval_status,
            e.creation_type,
            e.is_valid,
            [(b.pk, b.starts_at, b.ends_at) for b in e.breaks.order_by("starts_at")],
        )
        for e in TimeEntry.objects.filter(user=user).order_by("starts_at")
    ]
    return {"clocks": clocks, "entries": entries}


def entry_spans(user: User) -> list[tuple[str, str, str | None, bool]]:
    """(from, to, creationType, valid) of the user's entries, in the user's zone."""
    return [
        (
            e.starts_at.astimezone(user.zone).isoformat(),
            e.ends_at.astimezone(user.zone).isoformat(),
            e.creation_type,
            e.is_valid,
        )
        for e in TimeEntry.objects.filter(user=user).order_by("starts_at")
    ]


@pytest.fixture
def mctime(api_client) -> Callable[[User | None], APIClient]:  # type: ignore[no-untyped-def]
    """mctime(user) -> a client sending `user`'s key in McTime's `API_KEY` header."""

    def make(user: User | None) -> APIClient:
        return api_client(user, "mctime")

    return make
