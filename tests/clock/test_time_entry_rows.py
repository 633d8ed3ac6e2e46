"""GET /times pages render rows exactly as TimeEntrySerializer renders the entries.

A page is read as tuples (clock.selectors.TimeEntryRows) and rendered by
`render_time_entry_rows`; single entries keep the serializer. Both are run over the same
entries, as data and as the JSON bytes the dialect sends: several users in zones with and
without DST (entries and breaks across the switches, half-hour and 45-minute offsets, the
site's zone for an empty `timezone`), sub-second instants, entries with and without
organization, breaks, creation type and comment, invalid clocking entries, every approval
status, non-ASCII and JSON-hostile comments.
"""

from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from typing import Any
from urllib.parse import urlencode

import pytest
from rest_framework.renderers import JSONRenderer

from accounts.models import User
from clock.models import ApprovalStatus, TimeEntry
from clock.selectors import time_entries_visible_to, with_render_data
from clock.serializers import TimeEntrySerializer, render_time_entry_rows
from tests.clock.conftest import TIMES_URL
from tests.factories import (
    OrganizationFactory,
    TimeEntryBreakFactory,
    TimeEntryFactory,
    UserFactory,
)
from tests.rendering import assert_renders_alike

# Europe's 2026 switches: 29 March 01:00 UTC (to summer time), 25 October 01:00 UTC (back).
SPRING = datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
AUTUMN = datetime(2026, 10, 25, 1, 0, tzinfo=UTC)


def drf_rendering(entries: list[TimeEntry]) -> dict[str, Any]:
    """The list as the serializer renders it: entries grouped per user, in order."""
    groups: dict[int, dict[str, Any]] = {}
    for entry in entries:
        group = groups.setdefault(entry.user_id, {"userId": str(entry.user.uuid), "times": []})
        group["times"].append(TimeEntrySerializer(entry).data)
    return {"timeEntries": list(groups.values())}


@pytest.fixture
def entries(db) -> None:  # type: ignore[no-untyped-def]
    berlin = UserFactory(username="berlin", timezone="Europe/Berlin")
    kathmandu = UserFactory(username="kathmandu", timezone="Asia/Kathmandu")
    newfoundland = UserFactory(username="newfoundland", timezone="America/St_Johns")
    site = UserFactory(username="site")
    User.objects.filter(pk=site.pk).update(timezone="")  # the site's zone
    organization = OrganizationFactory(name='Zürich "Büro" \\ 😀')
    statuses = list(ApprovalStatus.values)
    specs = [
        (berlin, SPRING - timedelta(hours=2), 4, organization),
        (berlin, AUTUMN - timedelta(hours=1, microseconds=1), 3, None),
        (kathmandu, SPRING + timedelta(days=1, microseconds=999_999), 1, organization),
        (newfoundland, AUTUMN + timedelta(hours=3), 10, None),
        (site, AUTUMN - timedelta(minutes=30), 2, organization),
        (site, SPRING - timedelta(minutes=59), 1, None),
    ]
    for index, (user, starts_at, hours, org) in enumerate(specs):
        entry = TimeEntryFactory(
            user=user,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=hours),
            organization=org,
            comment=["", "Überstunden\u2028\u2029\t", "</script>", '"a" \\ b'][index % 4],
            creation_type=[None, "times", "clock"][index % 3],
            approval_status=statuses[index % len(statuses)],
            time_type=["work", "sick", "clocking", "home_office"][index % 4],
            is_valid=index != 2,
        )
        if hours >= 2:
            TimeEntryBreakFactory(
                entry=entry,
                starts_at=starts_at + timedelta(minutes=50),
                ends_at=starts_at + timedelta(minutes=75, microseconds=5),
                automatic=True,
            )
            TimeEntryBreakFactory(entry=entry, starts_at=starts_at + timedelta(minutes=10))


def test_rows_render_as_the_serializer_renders(entries, admin) -> None:  # type: ignore[no-untyped-def]
    source = time_entries_visible_to(
        admin, starts_from=SPRING - timedelta(days=1), starts_before=AUTUMN + timedelta(days=1)
    )
    total, page = source.window(0, 20)
    assert total == len(page) == 6
    models = list(with_render_data(TimeEntry.objects.all()).order_by("user_id", "starts_at", "id"))

    fast = render_time_entry_rows(page)
    drf = drf_rendering(models)

    assert_renders_alike(fast, drf)
    # Breaks exist and are in order, so the comparison covered them.
    assert sum(len(item["breaks"]) for g in fast["timeEntries"] for item in g["times"]) == 8


def test_a_window_past_the_end_is_empty(entries, admin) -> None:  # type: ignore[no-untyped-def]
    source = time_entries_visible_to(
        admin, starts_from=SPRING - timedelta(days=1), starts_before=AUTUMN + timedelta(days=1)
    )
    assert source.window(20, 20) == (6, [])


def test_a_list_page_answers_what_the_serializer_renders(entries, mctime, admin) -> None:  # type: ignore[no-untyped-def]
    query = urlencode({"from": "2026-01-01T00:00:00+01:00", "to": "2027-01-01T00:00:00+01:00"})
    response = mctime(admin).get(f"{TIMES_URL}?{query}&page=1")

    assert response.status_code == HTTPStatus.OK
    models = list(with_render_data(TimeEntry.objects.all()).order_by("user_id", "starts_at", "id"))
    body = {
        "items": [{"message": "Success", "data": drf_rendering(models)}],
        "valid": True,
    }
    assert response.content == JSONRenderer().render(body)
