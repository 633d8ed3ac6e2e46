"""Imports meet closed periods: a record on a closed date is a conflict, its batch fails."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clock.models import TimeEntry
from closing.services import create_closure, reopen_closure
from closing.verify import verify
from ooo.models import OutOfOffice
from presences.models import Presence
from tests.closing.conftest import snapshot
from tests.factories import AdminFactory, UserFactory
from tests.imports import test_huddle_import as huddle
from tests.imports import test_mctime_import as mctime
from tests.imports import test_moco_import as moco
from tests.imports import test_prosonata_import as prosonata
from workingtimes.models import WorkingTime

pytestmark = pytest.mark.django_db

MARCH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))


# (source, external user id, a batch with one record on 2026-03-05 and one in April)
IMPORTS = {
    "moco": (
        moco.MOCO_USER["id"],
        [
            moco.presence(1, "2026-04-02", "08:00", "12:00"),
            moco.presence(2, "2026-03-05", "08:00", "12:00"),
        ],
        Presence,
    ),
    "prosonata": (
        3,
        prosonata.page(prosonata.record(1, "2026-04-02"), prosonata.record(2, "2026-03-05")),
        WorkingTime,
    ),
    "mctime": (
        mctime.SOURCE_USER,
        mctime.page(
            mctime.entry(0, "2026-04-02", "08:00", "12:00"),
            mctime.entry(1, "2026-03-05", "08:00", "12:00"),
        ),
        TimeEntry,
    ),
    "huddle": (
        123,
        huddle.page(
            huddle.entity(123, 1, startDate="2026-04-02T08:00:00+02:00", endDate=None),
            huddle.entity(
                123,
                2,
                startDate="2026-03-30T08:00:00+02:00",
                endDate="2026-04-01T08:00:00+02:00",
            ),
        ),
        OutOfOffice,
    ),
}


def close(user):  # type: ignore[no-untyped-def]
    return create_closure(
        actor=None, from_date=MARCH[0], to_date=MARCH[1], reason="payroll", user_ids=[user.pk]
    )


@pytest.mark.parametrize("source", IMPORTS)
def test_import_record_on_a_closed_date_is_a_conflict_and_its_batch_fails(
    source, map_user, run_import, write_json
):
    external_id, payload, _model = IMPORTS[source]
    user = UserFactory(username=f"{source}-target")
    map_user(source, external_id, user)
    close(user)
    before = snapshot()

    result = run_import(source, write_json("batch.json", payload))

    assert result.counts()["failed"] == 1
    assert result.counts()["created"] == 0
    conflict = [line for line in result.lines if "FAILED" in line]
    assert len(conflict) == 1
    assert "conflict" in conflict[0]
    assert "is in a closed period (2026-03-01 to 2026-03-31" in conflict[0]
    assert snapshot() == before


@pytest.mark.parametrize("source", IMPORTS)
def test_import_after_reopening_writes_the_batch_with_chained_history(
    source, map_user, run_import, write_json
):
    external_id, payload, model = IMPORTS[source]
    user = UserFactory(username=f"{source}-target")
    map_user(source, external_id, user)
    reopen_closure(closure_id=close(user).pk, actor=AdminFactory(), reason="late import")

    result = run_import(source, write_json("batch.json", payload))

    assert result.counts()["created"] == 2
    assert model.objects.filter(user=user).count() == 2
    # The COPY path computed the same chain hashes a saved history row gets.
    assert verify(user.pk) == []


def _changed(source: str, payload):  # type: ignore[no-untyped-def]
    """The same batch with the first record changed at the source."""
    payload = json.loads(json.dumps(payload))
    if source == "moco":
        payload[0]["to"] = "12:30"
    elif source == "prosonata":
        payload["data"][0]["comments"] = "changed"
    elif source == "mctime":
        payload["items"][0]["data"]["timeEntries"][0]["times"][0]["comment"] = "changed"
    else:
        payload["presenceEntities"][0]["message"] = "changed"
    return payload


@pytest.mark.parametrize("source", IMPORTS)
def test_imported_updates_keep_every_chain_verifiable(source, map_user, run_import, write_json):
    external_id, payload, _model = IMPORTS[source]
    user = UserFactory(username=f"{source}-target")
    map_user(source, external_id, user)
    run_import(source, write_json("first.json", payload))

    result = run_import(source, write_json("second.json", _changed(source, payload)))

    assert result.counts()["updated"] == 1
    assert verify() == []


def _presences_in(month: int, first_id: int, count: int) -> list[dict]:
    """`count` half-hour presences in `month` of 2026, none overlapping another."""
    return [
        moco.presence(
            first_id + n,
            f"2026-{month:02d}-{1 + n % 28:02d}",
            f"{8 + n // 28:02d}:00",
            f"{8 + n // 28:02d}:30",
        )
        for n in range(count)
    ]


@pytest.mark.postgres_only  # SQLite splits a wide bulk INSERT by its variable limit
def test_the_closed_period_check_reads_once_per_batch_not_once_per_record(
    map_user, run_import, write_json
):
    user = UserFactory(username="moco-target")
    map_user("moco", moco.MOCO_USER["id"], user)
    close(user)  # March is closed; the batches are later
    run_import("moco", write_json("warm-up.json", _presences_in(4, 900, 1)))

    counts = []
    for month, first_id, records in ((5, 1000, 5), (6, 2000, 50)):
        path = write_json(f"batch-{month}.json", _presences_in(month, first_id, records))
        with CaptureQueriesContext(connection) as queries:
            result = run_import("moco", path)
        assert result.counts()["created"] == records, result.lines
        counts.append(len(queries))

    assert counts[0] == counts[1]
