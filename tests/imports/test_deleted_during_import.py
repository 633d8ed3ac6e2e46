"""A row deleted through the API while an import updates it fails that batch, with a
report naming the record, never a traceback (PostgreSQL: real threads, real row locks).

The deletion runs the API's own service in another thread and keeps its transaction open
until the import waits for the lock it holds, then commits: the import has already seen
the row (its ledger check ran before), and must now notice it is gone.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection, transaction

from accounts.models import User
from imports.models import ImportedRecord
from ooo import services as ooo_services
from ooo.models import OutOfOffice
from presences import services as presence_services
from presences.models import Presence
from tests.factories import UserFactory
from tests.imports.test_huddle_import import entity
from tests.imports.test_huddle_import import page as huddle_page
from tests.imports.test_moco_import import MOCO_USER, presence
from tests.imports.test_prosonata_import import page as prosonata_page
from tests.imports.test_prosonata_import import record
from tests.lockwait import wait_for_lock_waiter
from workingtimes import services as workingtime_services
from workingtimes.models import WorkingTime

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def _delete_presence(user: User, pk: int) -> None:
    presence_services.delete_presence(presence=Presence.objects.get(pk=pk), actor=user)


def _delete_working_time(user: User, pk: int) -> None:
    workingtime_services.delete_working_time(
        working_time=WorkingTime.objects.get(pk=pk), actor=user
    )


def _delete_ooo(user: User, pk: int) -> None:
    ooo_services.delete_out_of_office(user=user, out_of_office_id=pk)


CASES: dict[str, tuple[int, object, object, Callable[[User, int], None], str]] = {
    # source: (external user id, first payload, changed payload, API delete, noun in report)
    "moco": (
        MOCO_USER["id"],
        [presence(1, "2018-07-03", "07:30", "12:00")],
        [presence(1, "2018-07-03", "07:30", "12:30")],
        _delete_presence,
        "presence",
    ),
    "prosonata": (
        3,
        prosonata_page(record(11, "2021-03-02")),
        prosonata_page(record(11, "2021-03-02", comments="changed")),
        _delete_working_time,
        "working time",
    ),
    "huddle": (
        123,
        huddle_page(entity(123, 456)),
        huddle_page(entity(123, 456, message="changed")),
        _delete_ooo,
        "OOO presence",
    ),
}


@pytest.mark.parametrize("source", list(CASES))
def test_row_deleted_through_the_api_during_an_import_fails_the_batch_clearly(
    source, map_user, run_import, write_json
):
    external_id, first, changed, delete, noun = CASES[source]
    user = UserFactory(username=f"{source}-user")
    map_user(source, external_id, user)
    assert run_import(source, write_json("first.json", first)).exit_code == 0
    (entry,) = ImportedRecord.objects.filter(source=source)
    object_id = int(entry.object_id)
    deleted, done = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def delete_through_the_api() -> None:
        try:
            with transaction.atomic():
                delete(user, object_id)
                deleted.set()
                wait_for_lock_waiter()  # the import, blocked by this transaction's locks
        except BaseException as exc:  # reported to the test thread below
            errors.append(exc)
            deleted.set()
        finally:
            connection.close()
            done.set()

    deleter = threading.Thread(target=delete_through_the_api)
    deleter.start()
    assert deleted.wait(timeout=30)
    result = run_import(source, write_json("changed.json", changed))
    deleter.join(timeout=60)

    assert not errors, errors
    assert result.exit_code == 1
    failures = [line for line in result.lines if line.startswith("FAILED")]
    assert len(failures) == 1, result.lines
    assert f"{noun} {object_id}" in failures[0]
    assert "was deleted while the batch was being imported" in failures[0]
    assert not any("Traceback" in line for line in result.lines)
    # The deletion stands; the import neither resurrected the row nor half-wrote the batch.
    model = {"moco": Presence, "prosonata": WorkingTime, "huddle": OutOfOffice}[source]
    assert not model.objects.filter(pk=object_id).exists()
    assert not model.objects.filter(user=user).exists()
