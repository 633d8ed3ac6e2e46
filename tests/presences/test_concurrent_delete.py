"""Simultaneous DELETEs of one MOCO presence on PostgreSQL: exactly one deletes it (204),
every other answers 404, as if they had come one after the other."""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from http import HTTPStatus

import pytest
from django.db import connection

from presences.models import Presence
from tests.factories import PresenceFactory, UserFactory
from tests.presences.conftest import detail_url

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

CALLERS = 8


@pytest.mark.parametrize("round_", range(3))
def test_simultaneous_deletes_of_one_presence_delete_it_once(moco, round_):
    user = UserFactory(username=f"deleter{round_}")
    presence = PresenceFactory(user=user)
    clients = [moco(user) for _ in range(CALLERS)]
    barrier = threading.Barrier(CALLERS)

    def delete(client) -> int:  # type: ignore[no-untyped-def]
        try:
            barrier.wait(timeout=30)
            return client.delete(detail_url(presence.pk)).status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=CALLERS) as pool:
        statuses = Counter(pool.map(delete, clients))

    assert statuses == {HTTPStatus.NO_CONTENT: 1, HTTPStatus.NOT_FOUND: CALLERS - 1}
    assert not Presence.objects.filter(pk=presence.pk).exists()
    assert Presence.history.filter(id=presence.pk, history_type="-").count() == 1
