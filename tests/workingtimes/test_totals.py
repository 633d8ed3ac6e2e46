"""Timebridge checks dailyTimeTotal on work days: end - start - breaks, within 0.01 h."""

import datetime as dt
from http import HTTPStatus
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.factories import UserFactory
from tests.workingtimes.conftest import LIST_URL, snapshot
from workingtimes.models import WorkingTime
from workingtimes.services import worked_seconds


def _body(
    user_id: int, start: str, end: str, breaks: list[tuple[str, str]], total: Any, **extra: Any
) -> dict[str, Any]:
    body = {
        "userID": user_id,
        "workingDate": extra.pop("workingDate", "2021-03-02"),
        "dailyTimeStart": start,
        "dailyTimeEnd": end,
        "dailyTimeTotal": total,
        **extra,
    }
    for slot, (b_start, b_end) in enumerate(breaks, start=1):
        body[f"break{slot}Start"], body[f"break{slot}End"] = b_start, b_end
    return body


SPEC = ("08:18:00", "16:48:00", [("12:06:00", "12:51:00")])  # 7.75 h
DOC = ("09:15:00", "17:10:00", [("12:00:00", "12:30:00")])  # 7.41666… h


@pytest.mark.parametrize(
    ("day", "total"),
    [
        (SPEC, 7.75),
        (SPEC, 7.74),  # within 0.01 h
        (SPEC, 7.76),
        (SPEC, "7.7500"),
        (DOC, 7.42),  # the spec's GET example: rounded half up
        (DOC, 7.41),  # 0.0067 h below the exact value
        (("08:00:00", "16:00:00", []), 8),
        (
            (
                "08:00",
                "17:00",
                [("10:00", "10:15"), ("12:00", "12:45"), ("15:00", "15:05"), ("16:55", "17:00")],
            ),
            7.83,
        ),
        (("08:00:00", "08:00:30", []), 0.01),  # 30 s
        (("06:00:00", "18:00:00", [("12:00:00", "12:30:00"), ("12:30:00", "13:00:00")]), 11),
        (("00:00:00", "23:59:59", []), 24),
    ],
)
def test_work_day_total_matching_the_times_is_accepted(member, prosonata, day, total):
    response = prosonata(member).post(LIST_URL, _body(member.pk, *day, total), format="json")

    assert response.status_code == HTTPStatus.CREATED, response.json()


@pytest.mark.usefixtures("strict_totals")
@pytest.mark.parametrize(
    ("day", "total", "message"),
    [
        (SPEC, 7.5, "expected 7.75 (08:18-16:48 minus 45 min of breaks), got 7.50."),
        (SPEC, 7.73, "expected 7.75 (08:18-16:48 minus 45 min of breaks), got 7.73."),
        (SPEC, 8.5, "expected 7.75 (08:18-16:48 minus 45 min of breaks), got 8.50."),
        (DOC, 7.43, "expected 7.42 (09:15-17:10 minus 30 min of breaks), got 7.43."),
        (DOC, 7.4, "expected 7.42 (09:15-17:10 minus 30 min of breaks), got 7.40."),
        (
            ("08:00:00", "16:00:30", [("12:00:00", "12:00:45")]),
            9,
            "expected 8.00 (08:00-16:00:30 minus 0 min 45 s of breaks), got 9.00.",
        ),
    ],
)
def test_work_day_total_not_matching_is_refused_with_the_expected_value(
    member, prosonata, day, total, message
):
    response = prosonata(member).post(LIST_URL, _body(member.pk, *day, total), format="json")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {
        "meta": {"status": 400, "message": f"dailyTimeTotal: {message}"},
        "data": [],
    }
    assert not WorkingTime.objects.exists()


@pytest.mark.parametrize("day_type", [1, 2, 3, 4, 5, 6])
@pytest.mark.parametrize("total", [0, 4, 8, 24])
def test_other_day_types_keep_the_credited_total_as_given(member, prosonata, day_type, total):
    body = _body(member.pk, "08:00:00", "16:00:00", [], total, dayType=day_type)

    response = prosonata(member).post(LIST_URL, body, format="json")

    assert response.status_code == HTTPStatus.CREATED
    assert response.json()["data"]["dailyTimeTotal"] == total


@pytest.mark.parametrize("day_type", [0, 1])
@pytest.mark.parametrize("total", [-0.5, 24.01, 25, 1000, 1e30])
def test_total_outside_0_to_24_hours_is_refused(member, prosonata, day_type, total):
    body = _body(member.pk, "08:00:00", "16:00:00", [], total, dayType=day_type)
    before = snapshot()

    response = prosonata(member).post(LIST_URL, body, format="json")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["meta"]["message"].startswith("dailyTimeTotal: must be between 0 and 24")
    assert snapshot() == before


# Days of the clock changes in Europe/Berlin: 2021-03-28 (02:00 -> 03:00), 2021-10-31
# (03:00 -> 02:00). Times are wall-clock times; the total is the time really worked.
@pytest.mark.parametrize(
    ("working_date", "start", "end", "total"),
    [
        ("2021-03-28", "01:00:00", "05:00:00", 3),
        ("2021-10-31", "01:00:00", "05:00:00", 5),
        ("2021-03-28", "08:00:00", "16:00:00", 8),  # after the change: an ordinary day
        ("2021-10-31", "04:00:00", "12:00:00", 8),
    ],
)
def test_total_on_daylight_saving_days_counts_real_time(
    member, prosonata, working_date, start, end, total
):
    body = _body(member.pk, start, end, [], total, workingDate=working_date)

    response = prosonata(member).post(LIST_URL, body, format="json")

    assert response.status_code == HTTPStatus.CREATED, response.json()


@pytest.mark.usefixtures("strict_totals")
def test_wall_clock_total_on_the_spring_forward_day_is_explained(member, prosonata):
    body = _body(member.pk, "01:00:00", "05:00:00", [], 4, workingDate="2021-03-28")

    response = prosonata(member).post(LIST_URL, body, format="json")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["meta"]["message"] == (
        "dailyTimeTotal: expected 3.00 (01:00-05:00 minus 0 min of breaks; the clocks change "
        "on this day in Europe/Berlin), got 4.00."
    )


def test_daylight_saving_days_follow_the_users_zone(prosonata):
    # New York changed its clocks on 2021-03-14; Berlin's 2021-03-28 is an ordinary day there.
    new_york = UserFactory(timezone="America/New_York")
    client = prosonata(new_york)

    ordinary = client.post(
        LIST_URL,
        _body(new_york.pk, "01:00:00", "05:00:00", [], 4, workingDate="2021-03-28"),
        format="json",
    )
    changed = client.post(
        LIST_URL,
        _body(new_york.pk, "01:00:00", "05:00:00", [], 3, workingDate="2021-03-14"),
        format="json",
    )

    assert (ordinary.status_code, changed.status_code) == (HTTPStatus.CREATED, HTTPStatus.CREATED)


def _real_seconds(day: dt.date, start: dt.time, end: dt.time, zone: ZoneInfo) -> int:
    """Reference: both wall-clock times as instants (fold 0), subtracted."""
    begin = dt.datetime.combine(day, start, tzinfo=zone).astimezone(dt.UTC)
    finish = dt.datetime.combine(day, end, tzinfo=zone).astimezone(dt.UTC)
    return max(0, int((finish - begin).total_seconds()))


# Zones whose clocks change at 02:00/03:00 (Berlin), at midnight (Santiago, Havana), by half
# an hour (Lord Howe), never (UTC, Kolkata); years with and without leap day.
ZONES = ["Europe/Berlin", "America/Santiago", "America/Havana", "Australia/Lord_Howe"]


@pytest.mark.parametrize("zone", [*ZONES, "UTC", "Asia/Kolkata"])
@pytest.mark.parametrize("year", [2021, 2024])
def test_worked_time_is_real_time_on_every_day_of_the_year(zone, year):
    tz = ZoneInfo(zone)
    spans = [
        (dt.time(0, 0), dt.time(23, 59, 59)),
        (dt.time(1, 0), dt.time(5, 0)),
        (dt.time(1, 45, 30), dt.time(2, 45)),
        (dt.time(22, 0), dt.time(23, 30)),
    ]
    day, changed_days = dt.date(year, 1, 1), 0
    while day.year == year:
        for start, end in spans:
            values = {"working_date": day, "daily_time_start": start, "daily_time_end": end}
            worked, pauses = worked_seconds(values, zone=tz)
            assert (worked, pauses) == (_real_seconds(day, start, end, tz), 0), (day, start)
            wall = dt.datetime.combine(day, end) - dt.datetime.combine(day, start)
            changed_days += worked != int(wall.total_seconds())
        day += dt.timedelta(days=1)
    # The zones with clock changes do have days where real time is not wall-clock time.
    assert bool(changed_days) == (zone in ZONES)
