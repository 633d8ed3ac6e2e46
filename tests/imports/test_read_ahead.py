"""imports.pages.ReadAhead, and the runner reading a local import's next batch while the
database checks the current one (a live import's only when its turn comes)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest
from django.db import connection

from imports.client import SourceClient
from imports.models import ImportedRecord
from imports.pages import ReadAhead
from imports.runner import ImportRunner
from imports.sources import get_source
from presences.models import Presence

MOCO_USER = {"id": 4711, "firstname": "Ada", "lastname": "Lovelace"}


def counting(calls: list[str]) -> Callable[[str], str]:
    """A `read` that notes each item it reads."""

    def read(item: str) -> str:
        calls.append(item)
        return item.upper()

    return read


def failing_at(bad: str) -> Callable[[str], str]:
    def read(item: str) -> str:
        if item == bad:
            raise ValueError(f"cannot read {item}")
        return item.upper()

    return read


def source_failing_at(bad: str) -> Iterator[str]:
    yield "a"
    yield "b"
    raise ValueError(f"cannot read {bad}")


# --- ReadAhead ----------------------------------------------------------------------------
@pytest.mark.parametrize("items", [[], ["a"], ["a", "b", "c"]], ids=["empty", "one", "several"])
@pytest.mark.parametrize("early", [False, True], ids=["plain", "read-next-each-step"])
def test_read_ahead_yields_what_plain_reading_yields(items, early):
    """Iterating gives read(item) for each item, in order, whether or not each next item
    was read early."""
    pages = ReadAhead(items, str.upper)
    seen = []
    for page in pages:
        seen.append(page)
        if early:
            pages.read_next()

    assert seen == [item.upper() for item in items]


def test_read_next_reads_exactly_one_item_ahead_once():
    """read_next reads the next item only: a second call reads nothing until that item has
    been yielded, and yielding it reads nothing again."""
    calls: list[str] = []
    pages = ReadAhead(["a", "b", "c"], counting(calls))
    it = iter(pages)

    assert next(it) == "A"
    assert calls == ["a"]
    pages.read_next()
    pages.read_next()
    assert calls == ["a", "b"]
    assert next(it) == "B"
    assert calls == ["a", "b"]
    assert next(it) == "C"
    assert calls == ["a", "b", "c"]
    pages.read_next()  # nothing left to read
    assert list(it) == []
    assert calls == ["a", "b", "c"]


@pytest.mark.parametrize(
    "pages",
    [
        lambda: ReadAhead(["a", "b", "c", "d"], failing_at("c")),
        lambda: ReadAhead(source_failing_at("c"), str.upper),
    ],
    ids=["read-fails", "source-fails"],
)
def test_an_early_reads_error_is_raised_in_that_items_turn(pages):
    """An error of reading an item early (in `read`, or in the items' own iterator) is not
    raised by read_next but by the iteration, after the items before it were yielded."""
    pages = pages()
    it = iter(pages)
    assert [next(it), next(it)] == ["A", "B"]

    pages.read_next()  # reads "c", which fails
    pages.read_next()

    with pytest.raises(ValueError, match="cannot read c"):
        next(it)


# --- the runner ---------------------------------------------------------------------------
def page(*days: str) -> list[dict[str, Any]]:
    """A page in MOCO's list shape: one presence per day, 08:00-12:00, its id the date's."""
    return [
        {
            "id": int(day.replace("-", "")),
            "date": day,
            "from": "08:00",
            "to": "12:00",
            "is_home_office": False,
            "user": MOCO_USER,
            "created_at": "2018-10-17T09:33:46Z",
            "updated_at": "2018-10-17T09:33:46Z",
        }
        for day in days
    ]


PAGES = [
    ("page-1", page("2018-07-02", "2018-07-03")),
    ("page-2", page("2018-07-04")),
    ("page-3", page("2018-07-05")),
]


def taken(events: list[str], batches: Iterable[tuple[str, Any]]) -> Iterator[tuple[str, Any]]:
    """The batches, noting when the runner takes each."""
    for label, payload in batches:
        events.append(f"take {label}")
        yield label, payload


def written(label: str, records: int) -> str:
    """The runner's report line of a batch whose records were all created."""
    return f"{label}: {records} records — created {records}, updated 0, unchanged 0, skipped 0"


def runner(events: list[str], *, live: bool) -> ImportRunner:
    # Never contacted: the runner asks a live source only about users it cannot match or
    # create, and this one is created.
    client = SourceClient(base_url="http://127.0.0.1:9", api_key="x", dialect="moco")
    return ImportRunner(
        get_source("moco"), create_users=True, client=client if live else None, report=events.append
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("live", "expected"),
    [
        pytest.param(
            False,
            [
                "take page-1",
                "take page-2",  # read while page-1's COPY was checked
                written("page-1", 2),
                "take page-3",
                written("page-2", 1),
                written("page-3", 1),
            ],
            id="local",
            marks=pytest.mark.postgres_only,  # only PostgreSQL's COPY has the wait
        ),
        pytest.param(
            True,
            [
                "take page-1",
                written("page-1", 2),
                "take page-2",
                written("page-2", 1),
                "take page-3",
                written("page-3", 1),
            ],
            id="live",
        ),
    ],
)
def test_a_local_imports_next_batch_is_read_while_the_current_one_is_written(live, expected):
    """Without a client, the runner takes the next batch while the current one is being
    written (before its report line); with one, only after the current batch is done."""
    events: list[str] = []

    counts = runner(events, live=live).run(taken(events, PAGES))

    assert events == expected
    assert counts.created == 4
    assert Presence.objects.count() == 4


def batches_then_failure(events: list[str]) -> Iterator[tuple[str, Any]]:
    yield from taken(events, PAGES[:1])
    events.append("take page-2")
    raise RuntimeError("page-2 cannot be read")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("live", [False, True], ids=["local", "live"])
def test_when_taking_the_next_batch_fails_the_current_one_is_still_committed(live):
    """An error in taking the next batch (read ahead or not) leaves the batch before it
    written and committed, and then ends the run: run() raises it."""
    events: list[str] = []

    with pytest.raises(RuntimeError, match="page-2 cannot be read"):
        runner(events, live=live).run(batches_then_failure(events))

    assert written("page-1", 2) in events
    assert not connection.in_atomic_block
    assert list(Presence.objects.order_by("date").values_list("date", flat=True)) == [
        dt.date(2018, 7, 2),
        dt.date(2018, 7, 3),
    ]
    assert ImportedRecord.objects.count() == 2
