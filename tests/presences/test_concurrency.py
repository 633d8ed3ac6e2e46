"""Simultaneous touches on PostgreSQL: the user's row lock serializes them.

Real threads, each with its own client and database connection, released together by a
barrier. Time is frozen (tick=False) so every touch happens "in the same minute": a double
tap must come out exactly as taps one after the other would.
"""

import datetime as dt
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from http import HTTPStatus

import pytest
import time_machine
from django.db import connection

from presences.models import Presence
from tests.factories import PresenceFactory, UserFactory
from tests.presences.conftest import TOUCH_URL, intervals

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

NOW = dt.datetime(2026, 5, 4, 7, 30, 20, tzinfo=dt.UTC)  # 09:30 in Berlin
TAPS = 16


def touch_all_at_once(clients) -> list[int]:  # type: ignore[no-untyped-def]
    barrier = threading.Barrier(len(clients))

    def tap(client) -> int:  # type: ignore[no-untyped-def]
        try:
            barrier.wait(timeout=30)
            return client.post(TOUCH_URL).status_code
        finally:
            connection.close()

    with (
        time_machine.travel(NOW, tick=False),
        ThreadPoolExecutor(max_workers=len(clients)) as pool,
    ):
        return list(pool.map(tap, clients))


@pytest.mark.parametrize(
    ("taps", "morning_open", "statuses", "expected"),
    [
        # open, discard, open, discard, … → nothing left
        (TAPS, False, {200: TAPS // 2, 204: TAPS // 2}, []),
        (TAPS + 1, False, {200: TAPS // 2 + 1, 204: TAPS // 2}, [("2026-05-04", "09:30", None)]),
        # close the 08:00 presence, then open, discard, open, … → one open at 09:30
        (
            TAPS,
            True,
            {200: 1 + TAPS // 2, 204: TAPS // 2 - 1},
            [("2026-05-04", "08:00", "09:30"), ("2026-05-04", "09:30", None)],
        ),
    ],
)
def test_simultaneous_touches_of_one_user_equal_sequential_touches(
    api_client, taps, morning_open, statuses, expected
):
    user = UserFactory()
    if morning_open:
        PresenceFactory(user=user, from_time=dt.time(8), to_time=None)
    clients = [api_client(user, "moco") for _ in range(taps)]  # keys made before the threads

    results = touch_all_at_once(clients)

    assert Counter(results) == statuses
    assert intervals(user) == expected
    assert Presence.objects.filter(user=user, to_time__isnull=True).count() <= 1


def test_simultaneous_touches_of_different_users_all_succeed(api_client):
    users = [UserFactory() for _ in range(TAPS)]
    clients = [api_client(user, "moco") for user in users]

    results = touch_all_at_once(clients)

    assert results == [HTTPStatus.OK] * TAPS
    for user in users:
        assert intervals(user) == [("2026-05-04", "09:30", None)]
