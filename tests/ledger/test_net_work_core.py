"""net_work_by_day: the contract the compliance findings build on."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from ledger.selectors import net_work_by_day
from tests.factories import (
    PresenceFactory,
    TimeEntryBreakFactory,
    TimeEntryFactory,
    UserFactory,
    WorkingTimeFactory,
)

BERLIN = ZoneInfo("Europe/Berlin")


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=BERLIN)


@pytest.mark.django_db
def test_net_work_is_union_minus_breaks_per_user_and_date():
    user = UserFactory(timezone="Europe/Berlin")
    day = date(2026, 5, 4)
    PresenceFactory(user=user, date=day, from_time=time(8), to_time=time(12))
    entry = TimeEntryFactory(user=user, starts_at=at(day, 11), ends_at=at(day, 17))
    TimeEntryBreakFactory(entry=entry, starts_at=at(day, 13), ends_at=at(day, 13, 30))
    WorkingTimeFactory(
        user=user,
        working_date=day + timedelta(days=1),
        daily_time_start=time(9),
        daily_time_end=time(10),
        break1_start=None,
        break1_end=None,
    )

    result = net_work_by_day(users=[user], first=day, last=day + timedelta(days=2))

    assert sorted(result) == [(user.pk, day + timedelta(days=n)) for n in range(3)]
    first = result[(user.pk, day)]
    assert first.timezone == BERLIN
    assert first.intervals == [(at(day, 8), at(day, 13)), (at(day, 13, 30), at(day, 17))]
    assert result[(user.pk, day + timedelta(days=1))].intervals == [
        (at(day + timedelta(days=1), 9), at(day + timedelta(days=1), 10))
    ]
    assert result[(user.pk, day + timedelta(days=2))].intervals == []


@pytest.mark.django_db
def test_night_shift_belongs_to_the_date_it_starts_on():
    user = UserFactory(timezone="Europe/Berlin")
    day = date(2026, 5, 4)
    TimeEntryFactory(user=user, starts_at=at(day, 22), ends_at=at(day + timedelta(days=1), 6))

    result = net_work_by_day(users=[user], first=day, last=day + timedelta(days=1))

    assert result[(user.pk, day)].intervals == [(at(day, 22), at(day + timedelta(days=1), 6))]
    assert result[(user.pk, day + timedelta(days=1))].intervals == []


@pytest.mark.django_db
def test_net_work_by_day_runs_a_fixed_number_of_queries(django_assert_num_queries):
    users = UserFactory.create_batch(3)
    day = date(2026, 5, 4)
    for user in users:
        PresenceFactory(user=user, date=day)
        entry = TimeEntryFactory(user=user, starts_at=datetime(2026, 5, 4, 13, tzinfo=UTC))
        TimeEntryBreakFactory(entry=entry)
    with django_assert_num_queries(6):
        net_work_by_day(users=users, first=day, last=day, now=datetime(2026, 6, 1, tzinfo=UTC))
