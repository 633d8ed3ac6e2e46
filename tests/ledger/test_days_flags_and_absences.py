"""Flags and absences of a day row, each source on its own."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.factories import (
    ClockFactory,
    OutOfOfficeFactory,
    PresenceFactory,
    TimeEntryFactory,
    WorkingTimeFactory,
)

BERLIN = ZoneInfo("Europe/Berlin")
DAY = date(2026, 3, 2)
RANGE = {"from": "2026-03-02", "to": "2026-03-02"}


def at(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=BERLIN)


def one_row(days, as_user, **params):  # type: ignore[no-untyped-def]
    body = days(as_user, **{**RANGE, **params}).json()
    assert body["count"] == 1, body
    return body["results"][0]


def codes(row) -> list[str]:  # type: ignore[no-untyped-def]
    return [flag["code"] for flag in row["flags"]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("entry_end", "limit", "expected"),
    [
        (time(16, 15), 15, []),  # 15 min apart: not more than the limit
        (time(16, 16), 15, ["sources_disagree"]),
        (time(16, 16), 20, []),
        (time(16, 0), 0, []),
    ],
)
def test_sources_disagree_beyond_the_configured_minutes(
    days, member, settings, entry_end, limit, expected
):
    settings.LEDGER_DISAGREEMENT_MINUTES = limit
    PresenceFactory(user=member, date=DAY, from_time=time(8), to_time=time(16))
    TimeEntryFactory(user=member, starts_at=at(8), ends_at=at(entry_end.hour, entry_end.minute))

    row = one_row(days, member)

    assert codes(row) == expected
    if expected:
        assert "MOCO 480 min" in row["flags"][0]["detail"]


@pytest.mark.django_db
def test_one_source_alone_never_disagrees(days, member):
    PresenceFactory(user=member, date=DAY, from_time=time(8), to_time=time(9))
    PresenceFactory(user=member, date=DAY, from_time=time(10), to_time=time(18))

    row = one_row(days, member)

    assert (row["work_minutes"], row["break_minutes"], codes(row)) == (540, 60, [])
    assert row["sources"] == {"moco": 540}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day_type", "kind"),
    [
        (1, "vacation"),
        (2, "sick"),
        (3, "holiday"),
        (4, "training"),
        (5, "overtime_reduction"),
        (6, "other_leave"),
    ],
)
@pytest.mark.parametrize("half_holiday", [False, True])
def test_prosonata_absence_kinds_and_work_on_them(days, member, day_type, kind, half_holiday):
    record = WorkingTimeFactory(
        user=member, working_date=DAY, day_type=day_type, half_holiday=half_holiday
    )
    PresenceFactory(user=member, date=DAY, from_time=time(8), to_time=time(10))

    row = one_row(days, member)

    assert row["absences"] == [
        {
            "kind": kind,
            "source": "prosonata",
            "ref": f"prosonata:working_time:{record.pk}",
            "half_day": half_holiday,
        }
    ]
    # An absence record's times are not work; a full-day absence with work is flagged.
    assert row["work_minutes"] == 120
    assert codes(row) == ([] if half_holiday else ["work_on_absence"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("time_type", "kind"),
    [
        ("vacation", "vacation"),
        ("sick", "sick"),
        ("special_leave", "paid_leave"),
        ("parental_leave", "unpaid_leave"),
        ("bad_weather", "unproductive"),
    ],
)
def test_mctime_absence_entries_and_work_inside_them(days, member, time_type, kind):
    entry = TimeEntryFactory(user=member, starts_at=at(8), ends_at=at(12), time_type=time_type)
    PresenceFactory(user=member, date=DAY, from_time=time(12), to_time=time(14))

    row = one_row(days, member)

    assert row["absences"] == [
        {
            "kind": kind,
            "source": "mctime",
            "ref": f"mctime:time_entry:{entry.pk}",
            "half_day": False,
        }
    ]
    assert row["work_minutes"] == 120
    assert codes(row) == []  # work after the absence, not inside it

    PresenceFactory(user=member, date=DAY, from_time=time(11), to_time=time(12))
    assert codes(one_row(days, member)) == ["work_on_absence"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "end", "half_day"),
    [
        (None, None, False),
        (at(0), at(0, day=DAY + timedelta(days=1)), False),
        (at(0) - timedelta(days=3), None, False),
        (at(13), None, True),
        (None, at(12), True),
    ],
)
def test_huddle_out_of_office_covering_the_day(days, member, start, end, half_day):
    absence = OutOfOfficeFactory(user=member, start_date=start, end_date=end)
    PresenceFactory(user=member, date=DAY, from_time=time(8), to_time=time(9))

    row = one_row(days, member)

    assert row["absences"] == [
        {
            "kind": "out_of_office",
            "source": "huddle",
            "ref": f"huddle:out_of_office:{absence.pk}",
            "half_day": half_day,
        }
    ]
    assert codes(row) == ([] if half_day else ["work_on_absence"])


@pytest.mark.django_db
def test_inactive_or_distant_out_of_office_is_no_absence(days, member):
    OutOfOfficeFactory(user=member, is_active=False)
    OutOfOfficeFactory(user=member, start_date=at(0, day=DAY + timedelta(days=1)))
    OutOfOfficeFactory(user=member, end_date=at(0))  # ends at the day's first instant

    assert days(member, **RANGE).json()["count"] == 0


@pytest.mark.django_db
@pytest.mark.parametrize(("total", "flagged"), [("7.50", False), ("7.51", False), ("7.00", True)])
def test_total_mismatch_when_a_prosonata_total_contradicts_its_times(days, member, total, flagged):
    WorkingTimeFactory(
        user=member,
        working_date=DAY,
        daily_time_start=time(8),
        daily_time_end=time(16),
        daily_time_total=Decimal(total),
    )

    row = one_row(days, member)

    assert row["work_minutes"] == 450
    assert codes(row) == (["total_mismatch"] if flagged else [])


@pytest.mark.django_db
def test_open_presence_counts_up_to_now_today_and_is_flagged_on_an_earlier_day(days, member):
    PresenceFactory(user=member, date=DAY - timedelta(days=1), from_time=time(9), to_time=None)
    PresenceFactory(user=member, date=DAY, from_time=time(8), to_time=None)

    with time_machine.travel(at(10, 30), tick=False):
        rows = days(member, **{"from": "2026-03-01", "to": "2026-03-02"}).json()["results"]

    forgotten, today = rows
    assert (forgotten["work_minutes"], forgotten["open"], codes(forgotten)) == (
        0,
        False,
        ["open_interval"],
    )
    assert (today["work_minutes"], today["open"], codes(today)) == (150, True, [])
    assert today["last_end"] == "2026-03-02T10:30:00+01:00"


@pytest.mark.django_db
def test_running_clock_counts_on_the_day_it_started_a_forgotten_one_counts_nothing(
    days, member, other_member
):
    ClockFactory(user=member, started_at=at(22, day=DAY - timedelta(days=1)))
    ClockFactory(user=other_member, started_at=at(1, day=DAY - timedelta(days=1)))

    with time_machine.travel(at(2), tick=False):
        night = one_row(days, member, **{"from": "2026-03-01", "to": "2026-03-01"})
        # Started 25 hours ago: a forgotten clock, not a night shift.
        forgotten = one_row(days, other_member, **{"from": "2026-03-01", "to": "2026-03-01"})

    assert (night["work_minutes"], night["open"], codes(night)) == (240, True, [])
    assert (forgotten["work_minutes"], forgotten["open"], codes(forgotten)) == (
        0,
        False,
        ["open_interval"],
    )


@pytest.mark.django_db
def test_night_shift_stays_with_the_day_it_began(days, member):
    TimeEntryFactory(user=member, starts_at=at(22), ends_at=at(6, day=DAY + timedelta(days=1)))

    rows = days(member, **{"from": "2026-03-02", "to": "2026-03-03"}).json()["results"]

    assert [(r["date"], r["work_minutes"], r["last_end"]) for r in rows] == [
        ("2026-03-02", 480, "2026-03-03T06:00:00+01:00")
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 3, 29), 60 * 5),  # spring forward: 00:00-06:00 is five real hours
        (date(2026, 10, 25), 60 * 7),  # fall back: seven
        (date(2026, 3, 30), 60 * 6),
    ],
)
def test_dst_days_use_real_elapsed_time_in_every_source(days, member, day, expected):
    PresenceFactory(user=member, date=day, from_time=time(0), to_time=time(6))
    TimeEntryFactory(
        user=member,
        starts_at=datetime.combine(day, time(0), tzinfo=BERLIN),
        ends_at=datetime.combine(day, time(6), tzinfo=BERLIN),
    )
    WorkingTimeFactory(
        user=member,
        working_date=day,
        daily_time_start=time(0),
        daily_time_end=time(6),
        break1_start=None,
        break1_end=None,
        daily_time_total=Decimal(expected) / 60,
    )

    row = one_row(days, member, **{"from": day.isoformat(), "to": day.isoformat()})

    assert row["work_minutes"] == expected
    assert row["sources"] == {"moco": expected, "mctime": expected, "prosonata": expected}
    assert codes(row) == []


@pytest.mark.django_db
def test_day_is_the_users_own_local_date(days, member):
    member.timezone = "America/New_York"
    member.save()
    # 03:00 UTC on 3 March is still 2 March in New York.
    TimeEntryFactory(
        user=member,
        starts_at=datetime(2026, 3, 3, 3, tzinfo=UTC),
        ends_at=datetime(2026, 3, 3, 4, tzinfo=UTC),
    )

    rows = days(member, **{"from": "2026-03-02", "to": "2026-03-03"}).json()["results"]

    assert [(r["date"], r["timezone"], r["first_start"]) for r in rows] == [
        ("2026-03-02", "America/New_York", "2026-03-02T22:00:00-05:00")
    ]
