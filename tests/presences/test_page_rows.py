"""A list page's rows render exactly as PresenceSerializer renders the same presences.

The list endpoint renders `values_list(*PAGE_COLUMNS)` rows with `render_page_rows`
(no model instances, no DRF fields); records and single-record responses keep the
serializer. Both must give the same data, key order and JSON bytes, over presences with
nulls, non-ASCII and JSON-escaped names, microseconds, years before 1000 and instants stored
from other offsets.
"""

import datetime as dt
from datetime import UTC
from zoneinfo import ZoneInfo

import pytest
from rest_framework.renderers import JSONRenderer

from presences.models import Presence
from presences.serializers import PAGE_COLUMNS, PresenceSerializer, render_page_rows
from tests.factories import PresenceFactory, UserFactory
from tests.presences.conftest import LIST_URL
from tests.rendering import assert_renders_alike

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def presences(db) -> None:  # type: ignore[no-untyped-def]
    ada = UserFactory(username="ada", first_name="Ada 😀", last_name="Lovelace\u2028")
    zoe = UserFactory(username="zoë", first_name="", last_name='Quote"Back\\slash\n')
    PresenceFactory(user=ada)
    PresenceFactory(user=ada, date=dt.date(2026, 5, 5), from_time=dt.time(0), to_time=None)
    PresenceFactory(
        user=zoe,
        date=dt.date(1900, 1, 1),
        from_time=dt.time(23, 59),
        to_time=None,
        is_home_office=True,
    )
    PresenceFactory(user=zoe, date=dt.date(2999, 12, 31), to_time=dt.time(23, 59))
    PresenceFactory(user=zoe, date=dt.date(2026, 3, 29), from_time=dt.time(2), to_time=None)
    stamps = [
        dt.datetime(2026, 3, 29, 1, 59, 59, 999999, tzinfo=UTC),  # Berlin's spring DST gap
        dt.datetime(2026, 10, 25, 2, 30, tzinfo=BERLIN),  # the repeated hour, first time
        dt.datetime(2026, 10, 25, 2, 30, tzinfo=BERLIN).replace(fold=1),
        dt.datetime(999, 12, 31, 23, 59, 59, tzinfo=UTC),  # strftime pads no such year
        dt.datetime(2026, 5, 4, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
    ]
    for presence, created, updated in zip(
        Presence.objects.order_by("pk"), stamps, reversed(stamps), strict=True
    ):
        # update(): auto_now would overwrite what save() stores.
        Presence.objects.filter(pk=presence.pk).update(created_at=created, updated_at=updated)


def test_rows_render_as_the_serializer(presences) -> None:  # type: ignore[no-untyped-def]
    records = list(Presence.objects.select_related("user").order_by("pk"))
    rows = list(Presence.objects.order_by("pk").values_list(*PAGE_COLUMNS))

    from_rows = render_page_rows(rows)
    serialized = PresenceSerializer(records, many=True).data

    assert_renders_alike(from_rows, serialized)


def test_the_list_body_is_the_serializers(presences, admin, moco) -> None:  # type: ignore[no-untyped-def]
    response = moco(admin).get(LIST_URL, {"sort_by": "created_at desc"})

    records = Presence.objects.select_related("user").order_by("-created_at", "date", "from_time")
    expected = PresenceSerializer(records, many=True).data
    assert response.content == JSONRenderer().render(expected)
    assert response["X-Total"] == str(len(expected))
