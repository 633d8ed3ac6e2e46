"""Lists people can read: durations, names, absences by when they happen."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from backoffice.display import hours_minutes
from tests.factories import (
    AdminFactory,
    OutOfOfficeFactory,
    PresenceFactory,
    TimeEntryBreakFactory,
    TimeEntryFactory,
    UserFactory,
)

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def staff(db, client):  # type: ignore[no-untyped-def]
    client.force_login(AdminFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(
    ("minutes", "shown"), [(0, "0:00"), (5, "0:05"), (465, "7:45"), (600, "10:00"), (-30, "-0:30")]
)
def test_hours_minutes(minutes, shown):  # type: ignore[no-untyped-def]
    assert hours_minutes(minutes) == shown


@pytest.mark.parametrize(
    ("day", "start", "end", "shown"),
    [
        (dt.date(2026, 3, 4), dt.time(8), dt.time(16, 30), "8:30"),
        # The night the clocks go forward: 01:00-04:00 wall clock is two hours of work.
        (dt.date(2026, 3, 29), dt.time(1), dt.time(4), "2:00"),
        (dt.date(2026, 10, 25), dt.time(1), dt.time(4), "4:00"),
        (dt.date(2026, 3, 4), dt.time(8), None, "open"),
    ],
)
def test_presence_list_shows_real_elapsed_duration(staff, day, start, end, shown):  # type: ignore[no-untyped-def]
    PresenceFactory(
        user=UserFactory(timezone="Europe/Berlin"), date=day, from_time=start, to_time=end
    )
    response = staff.get(reverse("admin:presences_presence_changelist"))
    row = response.context["cl"].result_list[0]
    assert response.context["cl"].model_admin.duration(row) == shown
    assert f'<td class="field-duration">{shown}</td>'.encode() in response.content


def test_time_entry_list_shows_net_duration_without_breaks(staff):  # type: ignore[no-untyped-def]
    start = dt.datetime(2026, 3, 4, 8, tzinfo=BERLIN)
    entry = TimeEntryFactory(starts_at=start, ends_at=start + dt.timedelta(hours=9))
    TimeEntryBreakFactory(
        entry=entry,
        starts_at=start + dt.timedelta(hours=4),
        ends_at=start + dt.timedelta(hours=4, minutes=45),
    )
    response = staff.get(reverse("admin:clock_timeentry_changelist"))
    assert b'<td class="field-net_duration">8:15</td>' in response.content


def test_out_of_office_is_listed_by_when_the_absence_happens(staff):  # type: ignore[no-untyped-def]
    user = UserFactory(first_name="Ada", last_name="Away")
    later = OutOfOfficeFactory(
        user=user,
        is_active=True,
        start_date=dt.datetime(2026, 8, 1, tzinfo=dt.UTC),
        end_date=dt.datetime(2026, 8, 14, tzinfo=dt.UTC),
    )
    sooner = OutOfOfficeFactory(
        user=user,
        is_active=True,
        start_date=dt.datetime(2026, 4, 1, tzinfo=dt.UTC),
        end_date=dt.datetime(2026, 4, 3, tzinfo=dt.UTC),
    )
    changelist = reverse("admin:ooo_outofoffice_changelist")

    response = staff.get(changelist)
    assert [o.pk for o in response.context["cl"].result_list] == [later.pk, sooner.pk]
    august = staff.get(changelist, {"start_date__year": "2026", "start_date__month": "8"})
    assert [o.pk for o in august.context["cl"].result_list] == [later.pk]
    assert "Ada Away: out of office 01.08.2026-14.08.2026" in str(later)
