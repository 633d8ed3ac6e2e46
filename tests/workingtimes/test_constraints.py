"""The database refuses what the services refuse, even for a direct write."""

from datetime import date, time
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from tests.factories import WorkingTimeFactory
from workingtimes.models import WorkingTime

T = time
NO_BREAK = {"break1_start": None, "break1_end": None}


@pytest.mark.parametrize(
    ("changes", "constraint"),
    [
        ({"daily_time_end": T(8, 0), **NO_BREAK}, "start_before_end"),
        ({"daily_time_end": T(7, 0), **NO_BREAK}, "start_before_end"),
        ({"day_type": 7}, "day_type_valid"),
        ({"daily_time_total": Decimal("24.01")}, "total_range"),
        ({"daily_time_total": Decimal("-0.01")}, "total_range"),
        ({"break1_end": None}, "break1_valid"),
        ({"break1_start": None}, "break1_valid"),
        ({"break1_start": T(12, 30), "break1_end": T(12, 0)}, "break1_valid"),
        ({"break1_start": T(12, 0), "break1_end": T(12, 0)}, "break1_valid"),
        ({"break2_start": T(7, 0), "break2_end": T(8, 30)}, "break2_valid"),
        ({"break3_start": T(16, 0), "break3_end": T(17, 0)}, "break3_valid"),
        ({"break4_start": T(13, 0)}, "break4_valid"),
        ({"break2_start": T(12, 15), "break2_end": T(12, 45)}, "breaks_disjoint"),
        ({"break4_start": T(11, 45), "break4_end": T(12, 15)}, "breaks_disjoint"),
        ({"break3_start": T(11, 0), "break3_end": T(13, 0)}, "breaks_disjoint"),
        (
            {
                "break2_start": T(14, 0),
                "break2_end": T(14, 30),
                "break3_start": T(14, 15),
                "break3_end": T(15, 0),
            },
            "breaks_disjoint",
        ),
    ],
)
def test_database_refuses_invalid_rows(member, changes: dict[str, Any], constraint: str):
    record = WorkingTimeFactory(user=member)  # 08:00-16:30, break1 12:00-12:30
    for field, value in changes.items():
        setattr(record, field, value)

    with (
        pytest.raises(IntegrityError, match=f"workingtimes_workingtime_{constraint}"),
        transaction.atomic(),
    ):
        record.save()


def test_database_allows_touching_breaks_and_breaks_at_the_edges(member):
    record = WorkingTimeFactory(
        user=member,
        break1_start=T(8, 0),
        break1_end=T(8, 15),
        break2_start=T(8, 15),
        break2_end=T(8, 30),
        break3_start=T(16, 0),
        break3_end=T(16, 30),
        break4_start=T(12, 0),
        break4_end=T(12, 30),
    )
    record.break1_start = T(8, 0)  # re-save to be sure an update passes as well
    record.save()


def test_database_allows_only_one_record_per_user_and_day(member, other_member):
    WorkingTimeFactory(user=member, working_date=date(2021, 3, 2))
    WorkingTimeFactory(user=other_member, working_date=date(2021, 3, 2))  # another user: fine

    with (
        pytest.raises(IntegrityError, match=r"workingtimes_workingtime_one_per_day|UNIQUE"),
        transaction.atomic(),
    ):
        WorkingTimeFactory(user=member, working_date=date(2021, 3, 2))

    assert WorkingTime.objects.filter(user=member).count() == 1
