"""The parameter-less list's literal SQL (config/api/rows.py, LiteralRows) finds, counts and
orders exactly what the ORM does, for admins and members, on every page."""

import datetime as dt
from datetime import UTC

import pytest

from tests.factories import UserFactory, WorkingTimeFactory
from workingtimes.models import WorkingTime
from workingtimes.page_rows import PAGE_COLUMNS
from workingtimes.selectors import working_time_rows_visible_to, working_times_visible_to


@pytest.fixture
def records(db, member, other_member, admin):  # type: ignore[no-untyped-def]
    zoned = UserFactory(timezone="America/St_Johns")
    for n, user in enumerate([member, other_member, zoned, member] * 3):
        WorkingTimeFactory(
            user=user,
            working_date=dt.date(2021, 3, 1) + dt.timedelta(days=n),
            edited_by=admin if n % 2 else None,
            created_at=None if n % 5 == 0 else dt.datetime(2021, 3, 1, n, tzinfo=UTC),
        )


@pytest.mark.parametrize("viewer", ["admin", "member"])
def test_literal_sql_matches_the_orm(records, member, admin, viewer) -> None:  # type: ignore[no-untyped-def]
    user = admin if viewer == "admin" else member
    rows = working_time_rows_visible_to(user, PAGE_COLUMNS)
    expected = list(working_times_visible_to(user).values_list(*PAGE_COLUMNS))
    assert expected
    assert WorkingTime.objects.count() > len(expected) or viewer == "admin"
    for offset, limit in [(0, 100), (0, 1), (2, 3), (len(expected), 5), (50, 5)]:
        total, page = rows.window(offset, limit)
        assert total == len(expected)
        assert page == expected[offset : offset + limit], (offset, limit)
