"""A closure and a write for the same user serialize (PostgreSQL, real threads).

Either the write lands before the closure (the closure waits for it), or it comes after
and is refused (the write waits for the closure, then sees it). Requests go through the
real API, each thread with its own client and database connection.
"""

import datetime as dt
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from http import HTTPStatus

import pytest
from django.db import connection, transaction

from closing.models import Closure
from closing.services import create_closure
from presences.models import Presence
from presences.services import create_presence
from tests.closing.conftest import CLOSURES_URL
from tests.factories import AdminFactory, UserFactory

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

PRESENCES_URL = "/api/v1/users/presences"
CLOSE = {"from": "2026-03-01", "to": "2026-03-31", "reason": "March payroll"}
WAIT = 1.0  # how long the first transaction holds its locks


def in_thread(work):  # type: ignore[no-untyped-def]
    def run(*args):  # type: ignore[no-untyped-def]
        try:
            return work(*args)
        finally:
            connection.close()

    return run


def test_a_closure_waits_for_a_write_in_progress_which_then_stands(api_client):
    admin, member = AdminFactory(), UserFactory()
    closer = api_client(admin, "timebridge")
    holding = threading.Event()

    @in_thread
    def write() -> None:
        with transaction.atomic():
            create_presence(user=member, date=dt.date(2026, 3, 5), from_time=dt.time(8))
            holding.set()
            time.sleep(WAIT)

    @in_thread
    def close() -> tuple[int, float]:
        assert holding.wait(10)
        started = time.monotonic()
        response = closer.post(CLOSURES_URL, {**CLOSE, "users": [member.pk]}, format="json")
        return response.status_code, time.monotonic() - started

    with ThreadPoolExecutor(max_workers=2) as pool:
        writing = pool.submit(write)
        closing = pool.submit(close)
        writing.result(timeout=30)
        status, waited = closing.result(timeout=30)

    assert status == HTTPStatus.CREATED
    assert waited >= WAIT * 0.8  # it waited for the write's lock
    assert Presence.objects.filter(user=member, date=dt.date(2026, 3, 5)).count() == 1


def test_a_write_waits_for_a_closure_in_progress_and_is_then_refused(api_client):
    admin, member = AdminFactory(), UserFactory()
    writer = api_client(member, "moco")
    holding = threading.Event()

    @in_thread
    def close() -> None:
        with transaction.atomic():
            create_closure(
                actor=admin,
                from_date=dt.date(2026, 3, 1),
                to_date=dt.date(2026, 3, 31),
                reason="March payroll",
                user_ids=[member.pk],
            )
            holding.set()
            time.sleep(WAIT)

    @in_thread
    def write() -> tuple[int, float]:
        assert holding.wait(10)
        started = time.monotonic()
        response = writer.post(
            PRESENCES_URL, {"date": "2026-03-05", "from": "08:00"}, format="json"
        )
        return response.status_code, time.monotonic() - started

    with ThreadPoolExecutor(max_workers=2) as pool:
        closing = pool.submit(close)
        writing = pool.submit(write)
        closing.result(timeout=30)
        status, waited = writing.result(timeout=30)

    assert status == HTTPStatus.LOCKED
    assert waited >= WAIT * 0.8
    assert not Presence.objects.filter(user=member).exists()


def test_simultaneous_closures_and_writes_leave_no_write_after_a_closure(api_client):
    """Many users, each with a closure and a write released together: every write either
    landed (created before its user's closure) or was refused; none slipped in after."""
    admin = AdminFactory()
    members = [UserFactory() for _ in range(6)]
    closer = api_client(admin, "timebridge")
    writers = [api_client(m, "moco") for m in members]
    barrier = threading.Barrier(len(members) * 2)

    @in_thread
    def close(member) -> int:  # type: ignore[no-untyped-def]
        barrier.wait(timeout=30)
        response = closer.post(CLOSURES_URL, {**CLOSE, "users": [member.pk]}, format="json")
        return response.status_code

    @in_thread
    def write(client) -> int:  # type: ignore[no-untyped-def]
        barrier.wait(timeout=30)
        body = {"date": "2026-03-05", "from": "08:00"}
        return client.post(PRESENCES_URL, body, format="json").status_code

    with ThreadPoolExecutor(max_workers=len(members) * 2) as pool:
        closes = [pool.submit(close, m) for m in members]
        writes = [pool.submit(write, c) for c in writers]
        close_statuses = [f.result(timeout=60) for f in closes]
        write_statuses = [f.result(timeout=60) for f in writes]

    assert Counter(close_statuses) == {HTTPStatus.CREATED: len(members)}
    assert set(write_statuses) <= {HTTPStatus.CREATED, HTTPStatus.LOCKED}
    for member, status in zip(members, write_statuses, strict=True):
        presence = Presence.objects.filter(user=member).first()
        closure = Closure.objects.get(periods__user=member)
        if status == HTTPStatus.CREATED:
            assert presence.created_at <= closure.created_at
        else:
            assert presence is None
