"""List endpoints run a constant number of queries, whatever the amount of data."""

from datetime import timedelta
from urllib.parse import urlencode

import pytest

from tests.clock.conftest import CLOCK_URL, TIMES_URL, at
from tests.factories import (
    ClockBreakFactory,
    ClockFactory,
    OrganizationFactory,
    TimeEntryBreakFactory,
    TimeEntryFactory,
    UserFactory,
)

START = at("2026-05-04T08:00:00+02:00")


def make_clocks(count: int) -> None:
    for _ in range(count):
        clock = ClockFactory(started_at=START, organization=OrganizationFactory())
        ClockBreakFactory(clock=clock, ended_at=START + timedelta(minutes=10))
        ClockBreakFactory(clock=clock, started_at=START + timedelta(minutes=20))


def make_entries(count: int, users: int) -> None:
    people = [UserFactory() for _ in range(users)]
    for index in range(count):
        starts_at = START + timedelta(days=index)
        entry = TimeEntryFactory(
            user=people[index % users], starts_at=starts_at, organization=OrganizationFactory()
        )
        TimeEntryBreakFactory(entry=entry)
        TimeEntryBreakFactory(entry=entry, starts_at=starts_at + timedelta(hours=2))


@pytest.mark.parametrize("count", [1, 7])
def test_clock_list_query_count_is_constant(mctime, admin, django_assert_num_queries, count):
    make_clocks(count)
    client = mctime(admin)
    # Warm-up: the key's last-used time is written at most once a minute.
    client.get(CLOCK_URL)
    with django_assert_num_queries(4):
        response = client.get(CLOCK_URL)
    assert len(response.json()["items"]) == count


@pytest.mark.parametrize(("count", "users"), [(1, 1), (15, 4)])
def test_times_list_query_count_is_constant(mctime, admin, django_assert_num_queries, count, users):
    make_entries(count, users)
    client = mctime(admin)
    url = f"{TIMES_URL}?" + urlencode(
        {"from": "2026-05-01T00:00:00+02:00", "to": "2026-06-01T00:00:00+02:00"}
    )
    client.get(url)  # warm-up (last-used write)
    with django_assert_num_queries(4):
        response = client.get(url)
    groups = response.json()["items"][0]["data"]["timeEntries"]
    assert sum(len(g["times"]) for g in groups) == count
    assert len(groups) == users
