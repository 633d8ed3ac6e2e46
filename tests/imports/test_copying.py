"""imports.copying: a binary COPY whose Python work runs while the server still checks the rows,
whose errors are Django's, and which leaves the connection usable whatever the work does."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence

import psycopg
import pytest
from django.db import IntegrityError, connection, transaction
from psycopg import errors, postgres
from psycopg.pq import TransactionStatus

from imports.copying import copy_rows, in_spare_time

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db]

INT4, FLOAT8 = postgres.types["int4"].oid, postgres.types["float8"].oid
PAUSE = 0.1  # seconds the server spends checking each row of the slow COPY
WAYS = ["meanwhile", "in_spare_time"]  # how copy_rows is given its work


@pytest.fixture(autouse=True)
def table() -> None:
    """`copied`: a temporary table with a primary key and a CHECK on `n`, whose check of a
    row sleeps for as long as the row's `pause` says (the test's transaction drops both)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION pg_temp.checked_after(pause float8) RETURNS boolean "
            "LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(pause); RETURN true; END $$"
        )
        cursor.execute(
            "CREATE TEMPORARY TABLE copied (id integer PRIMARY KEY, n integer NOT NULL "
            "CHECK (n >= 0), pause float8 NOT NULL DEFAULT 0 "
            "CHECK (pg_temp.checked_after(pause)))"
        )


def copy(rows: Sequence[tuple], *, meanwhile: Callable[[], None] | None = None) -> None:
    """copy_rows into `copied`: rows of (id, n), or of (id, n, pause)."""
    columns = ("id", "n", "pause")[: len(rows[0])]
    types = (INT4, INT4, FLOAT8)[: len(columns)]
    copy_rows("copied", columns, types, rows, meanwhile=meanwhile)


def copy_doing(way: str, work: Callable[[], None], rows: Sequence[tuple]) -> None:
    """copy() with `work` as its `meanwhile`, or as the spare-time work of its block, or
    (way "none") without it."""
    if way == "none":
        copy(rows)
    elif way == "meanwhile":
        copy(rows, meanwhile=work)
    else:
        with in_spare_time(work):
            copy(rows)


def copied() -> list[tuple[int, int]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, n FROM copied ORDER BY id")
        return cursor.fetchall()


def fail(message: str) -> Callable[[], None]:
    def work() -> None:
        raise RuntimeError(message)

    return work


@pytest.fixture
def observer() -> Iterator[psycopg.Connection]:
    """A second connection to the test database, independent of Django's."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as other:
        yield other


@pytest.mark.parametrize("way", WAYS)
def test_the_rows_are_copied_and_the_work_runs_once(way):
    """The rows are in the table after the COPY, and its work ran exactly once."""
    calls: list[str] = []

    copy_doing(way, lambda: calls.append("work"), [(1, 10), (2, 20), (3, 30)])

    assert copied() == [(1, 10), (2, 20), (3, 30)]
    assert calls == ["work"]


@pytest.mark.parametrize("way", WAYS)
def test_the_work_runs_while_the_server_still_checks_the_rows(way, observer):
    """When the work runs, Django's backend is still busy with the COPY (checking its rows,
    in pg_sleep), as another connection sees in pg_stat_activity; the COPY as a whole still
    takes the server's checking time."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    seen: list[tuple[str, str, str]] = []

    def look() -> None:
        seen.append(
            observer.execute(
                "SELECT state, wait_event, query FROM pg_stat_activity WHERE pid = %s", [pid]
            ).fetchone()
        )

    rows = [(i, i, PAUSE) for i in range(1, 5)]
    started = time.monotonic()
    copy_doing(way, look, rows)
    elapsed = time.monotonic() - started

    [(state, wait_event, query)] = seen
    assert (state, wait_event) == ("active", "PgSleep")
    assert query.startswith('COPY "copied"')
    assert elapsed >= len(rows) * PAUSE
    assert copied() == [(i, i) for i in range(1, 5)]


@pytest.mark.parametrize("way", ["none", *WAYS])
@pytest.mark.parametrize(
    ("rows", "cause"),
    [([(1, 1), (1, 2)], errors.UniqueViolation), ([(1, 1), (2, -1)], errors.CheckViolation)],
    ids=["duplicate-key", "check"],
)
def test_a_refused_copy_raises_djangos_integrity_error(way, rows, cause):
    """A constraint violation is Django's IntegrityError (psycopg's as its cause), with or
    without work; the work still ran, and the connection serves the next query."""
    copy([(9, 9)])
    calls: list[str] = []

    with pytest.raises(IntegrityError) as raised, transaction.atomic():
        copy_doing(way, lambda: calls.append("work"), rows)

    assert isinstance(raised.value.__cause__, cause)
    assert calls == ([] if way == "none" else ["work"])
    assert copied() == [(9, 9)]


@pytest.mark.parametrize("way", WAYS)
def test_an_error_of_the_work_propagates_after_the_copy_completed(way):
    """The work's error reaches the caller once the server's answer has been read: the rows
    are copied, the transaction is open and sound, and the next query runs in it."""
    with pytest.raises(RuntimeError, match="hashing failed"):
        copy_doing(way, fail("hashing failed"), [(1, 10), (2, 20)])

    assert connection.connection.info.transaction_status == TransactionStatus.INTRANS
    assert copied() == [(1, 10), (2, 20)]


@pytest.mark.parametrize("way", WAYS)
def test_a_refused_copy_raises_its_own_error_rather_than_the_works(way):
    """When both the work and the COPY fail, the COPY's error is raised: the data failed
    first. The connection serves the next query."""
    with pytest.raises(IntegrityError), transaction.atomic():
        copy_doing(way, fail("hashing failed"), [(1, 1), (1, 2)])

    assert copied() == []


def test_spare_time_work_runs_in_the_first_copy_of_its_block_only():
    """The block's work runs once, in its first COPY, after that COPY's own `meanwhile`;
    the block's later COPYs run only their own."""
    events: list[str] = []

    with in_spare_time(lambda: events.append("read ahead")):
        copy([(1, 1)], meanwhile=lambda: events.append("link 1"))
        assert events == ["link 1", "read ahead"]
        copy([(2, 2)], meanwhile=lambda: events.append("link 2"))

    assert events == ["link 1", "read ahead", "link 2"]
    assert copied() == [(1, 1), (2, 2)]


@pytest.mark.parametrize("copies_in_block", [0, 1])
def test_spare_time_work_is_not_left_over_for_a_copy_after_its_block(copies_in_block):
    """Work the block's COPYs did not take does not run at all: not after the block either."""
    events: list[str] = []

    with in_spare_time(lambda: events.append("read ahead")):
        for i in range(copies_in_block):
            copy([(i, i)])
    copy([(7, 7)])

    assert events == ["read ahead"] * copies_in_block
    assert len(copied()) == copies_in_block + 1


def test_a_nested_block_restores_the_outer_blocks_work():
    """An inner block's work is the one its COPY runs; after it, the outer block's work
    (not yet taken) runs in the next COPY, once."""
    events: list[str] = []

    with in_spare_time(lambda: events.append("outer")):
        with in_spare_time(lambda: events.append("inner")):
            copy([(1, 1)])
        assert events == ["inner"]
        copy([(2, 2)])
        copy([(3, 3)])

    assert events == ["inner", "outer"]
