"""The working-time admin's bulk delete goes through the service: the per-user lock."""

import threading
from http import HTTPStatus

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from accounts.services import lock_user
from tests.factories import UserFactory, WorkingTimeFactory
from tests.lockwait import wait_for_lock_waiter
from workingtimes.models import WorkingTime

LIST_URL = reverse("admin:workingtimes_workingtime_changelist")


def _bulk_delete(client: Client, ids: list[int]) -> int:
    return client.post(
        LIST_URL, {"action": "delete_selected", "_selected_action": ids, "post": "yes"}
    ).status_code


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_bulk_delete_waits_for_the_user_lock_that_api_writes_hold():
    office = UserFactory(username="office", is_staff=True, is_superuser=True)
    member = UserFactory(username="bob")
    records = [WorkingTimeFactory(user=member) for _ in range(2)]
    client = Client()
    client.force_login(office)
    result: dict[str, int] = {}
    lock_held, release = threading.Event(), threading.Event()

    def api_write_in_progress() -> None:
        # What every API write for this user does first, held open.
        try:
            with transaction.atomic():
                lock_user(user_id=member.pk)
                lock_held.set()
                release.wait(timeout=60)
        finally:
            connection.close()

    def delete() -> None:
        try:
            result["status"] = _bulk_delete(client, [r.pk for r in records])
        finally:
            connection.close()

    holder = threading.Thread(target=api_write_in_progress)
    holder.start()
    assert lock_held.wait(timeout=30)
    deleter = threading.Thread(target=delete)
    deleter.start()
    try:
        wait_for_lock_waiter()
        # Still waiting for the lock: nothing deleted yet.
        assert WorkingTime.objects.filter(user=member).count() == 2
    finally:
        release.set()
        holder.join(timeout=60)
        deleter.join(timeout=60)

    assert result["status"] == HTTPStatus.FOUND
    assert not WorkingTime.objects.filter(user=member).exists()
    assert WorkingTime.history.filter(history_type="-", history_user=office).count() == 2


def test_bulk_delete_records_who_deleted(client, db):
    office = UserFactory(username="office", is_staff=True, is_superuser=True)
    client.force_login(office)
    records = [WorkingTimeFactory() for _ in range(3)]

    assert _bulk_delete(client, [r.pk for r in records]) == HTTPStatus.FOUND

    assert not WorkingTime.objects.exists()
    assert WorkingTime.history.filter(history_type="-", history_user=office).count() == 3
