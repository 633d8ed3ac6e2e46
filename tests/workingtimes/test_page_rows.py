"""A list page's rows render exactly as WorkingTimeSerializer renders the same records.

The list endpoint renders `values_list(*PAGE_COLUMNS)` rows with `render_page_rows`
(no model instances, no DRF fields); single records keep the serializer. Both must give the
same data, key order and JSON bytes, over records with null breaks and creation dates,
every flag, totals from 0 to 24, non-ASCII and JSON-escaped text, users in zones with
half-hour and 45-minute offsets, a blank zone, and creation instants around DST changes.
"""

import datetime as dt
from datetime import UTC
from decimal import Decimal

import pytest
from rest_framework.renderers import JSONRenderer

from tests.factories import UserFactory, WorkingTimeFactory
from tests.rendering import assert_renders_alike
from tests.workingtimes.conftest import LIST_URL
from workingtimes.models import WorkingTime
from workingtimes.page_rows import PAGE_COLUMNS, render_page_rows
from workingtimes.serializers import WorkingTimeSerializer


@pytest.fixture
def records(db, admin) -> None:  # type: ignore[no-untyped-def]
    ada = UserFactory(username="ada", first_name="Ada 😀", last_name="Lovelace\u2028")
    zoe = UserFactory(
        username="zoë", first_name="", last_name='Quote"Back\\slash', timezone="Asia/Kathmandu"
    )
    newfoundland = UserFactory(username="nf", timezone="America/St_Johns")
    unzoned = UserFactory(username="unzoned", timezone="")
    WorkingTimeFactory(user=ada, created_via_api=True, home_office=True)
    WorkingTimeFactory(
        user=zoe,
        break1_start=None,
        break1_end=None,
        daily_time_total=Decimal("7.75"),
        half_holiday=True,
        comments="Überstunden\u2029\t<&>",
        edited_by=ada,
    )
    WorkingTimeFactory(
        user=newfoundland,
        day_type=1,
        daily_time_start=dt.time(0),
        daily_time_end=dt.time(0),
        break1_start=None,
        break1_end=None,
        daily_time_total=Decimal("0"),
        created_at=None,
    )
    WorkingTimeFactory(
        user=unzoned,
        daily_time_start=dt.time(0),
        daily_time_end=dt.time(23, 59, 59),
        break1_start=dt.time(1, 2, 3),
        break1_end=dt.time(2),
        break2_start=dt.time(3),
        break2_end=dt.time(4),
        break3_start=dt.time(5),
        break3_end=dt.time(6),
        break4_start=dt.time(7),
        break4_end=dt.time(8, 0, 59),
        daily_time_total=Decimal("24.00"),
        edited_by=admin,
        created_at=dt.datetime(2026, 3, 29, 1, 0, 0, 123456, tzinfo=UTC),  # Berlin's DST gap
    )
    for day, created in enumerate(
        [
            dt.datetime(2026, 10, 25, 0, 30, tzinfo=UTC),  # Berlin's repeated hour
            dt.datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
            dt.datetime(1900, 1, 1, 0, 0, tzinfo=UTC),
            dt.datetime(2999, 12, 31, 23, 59, 59, tzinfo=UTC),
        ]
    ):
        WorkingTimeFactory(
            user=zoe if day % 2 else newfoundland,
            working_date=dt.date(2026, 1, 1) + dt.timedelta(days=day),
            daily_time_total=Decimal("0.01"),
            created_at=created,
        )


def test_rows_render_as_the_serializer(records) -> None:  # type: ignore[no-untyped-def]
    instances = list(WorkingTime.objects.select_related("user").order_by("pk"))
    rows = list(WorkingTime.objects.order_by("pk").values_list(*PAGE_COLUMNS))

    from_rows = render_page_rows(rows)
    serialized = WorkingTimeSerializer(instances, many=True).data

    assert_renders_alike(from_rows, serialized)


def test_the_list_body_is_the_serializers(records, admin, prosonata) -> None:  # type: ignore[no-untyped-def]
    response = prosonata(admin).get(LIST_URL, {"orderBy": "userID DESC"})

    instances = WorkingTime.objects.select_related("user").order_by("-user_id", "id")
    expected = WorkingTimeSerializer(instances, many=True).data
    assert response.json()["data"] == expected
    body = JSONRenderer().render(expected)
    assert body[1:-1] in response.content  # the same bytes inside the envelope
    assert response.json()["meta"]["totalCount"] == len(expected)
