"""Concurrent actions of one user are serialized by the user's row lock (PostgreSQL)."""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from http import HTTPStatus

import pytest
from django.db import connection
from rest_framework.test import APIClient

from clock.models import Clock, TimeEntry
from tests.clock.conftest import CLOCK_URL, at
from tests.factories import ClockBreakFactory, ClockFactory, UserFactory, raw_api_key

THREADS = 16


def run_together(keys: list[str], body: dict) -> Counter:  # type: ignore[type-arg]
    barrier = threading.Barrier(len(keys))

    def call(key: str) -> int:
        try:
            client = APIClient()
            client.credentials(HTTP_API_KEY=key)
            barrier.wait(timeout=30)
            return client.post(CLOCK_URL, body, format="json").status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(keys)) as pool:
        return Counter(pool.map(call, keys))


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_starts_leave_exactly_one_clock():
    user = UserFactory(username="racer")
    keys = [raw_api_key(user) for _ in range(THREADS)]  # before the threads start
    statuses = run_together(keys, {"action": "start", "dateTime": "2026-05-04T08:00:00+02:00"})
    assert statuses == {HTTPStatus.OK: 1, HTTPStatus.BAD_REQUEST: THREADS - 1}
    assert Clock.objects.filter(user=user).count() == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_stops_leave_exactly_one_entry():
    user = UserFactory(username="racer")
    clock = ClockFactory(user=user, started_at=at("2026-05-04T08:00:00+02:00"))
    ClockBreakFactory(clock=clock, started_at=at("2026-05-04T10:00:00+02:00"))
    keys = [raw_api_key(user) for _ in range(THREADS)]
    statuses = run_together(keys, {"action": "stop", "dateTime": "2026-05-04T12:00:00+02:00"})
    assert statuses == {HTTPStatus.OK: 1, HTTPStatus.BAD_REQUEST: THREADS - 1}
    assert not Clock.objects.filter(user=user).exists()
    entry = TimeEntry.objects.get(user=user)
    assert entry.breaks.count() == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_breaks_alternate_open_and_close():
    user = UserFactory(username="racer")
    ClockFactory(user=user, started_at=at("2026-05-04T08:00:00+02:00"))
    keys = [raw_api_key(user) for _ in range(THREADS)]
    # Every toggle at the same instant: the first opens a break, the second cannot close it
    # at that same instant; whatever the order, at most one break exists and it is open.
    statuses = run_together(keys, {"action": "break", "dateTime": "2026-05-04T10:00:00+02:00"})
    assert statuses == {HTTPStatus.OK: 1, HTTPStatus.BAD_REQUEST: THREADS - 1}
    clock = Clock.objects.get(user=user)
    assert [(b.started_at, b.ended_at) for b in clock.breaks.all()] == [
        (at("2026-05-04T10:00:00+02:00"), None)
    ]
