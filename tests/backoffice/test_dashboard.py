"""The admin index is a dashboard: who is in, what was forgotten, what waits for someone."""

import datetime as dt
from http import HTTPStatus

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from clock.models import ApprovalStatus
from tests.factories import (
    AdminFactory,
    ClockFactory,
    OutOfOfficeFactory,
    PresenceFactory,
    TimeEntryFactory,
    UserFactory,
)

NOW = dt.datetime(2026, 3, 4, 10, 30, tzinfo=dt.UTC)  # 11:30 in Berlin
INDEX = reverse("admin:index")


@pytest.fixture
def staff(db, client):  # type: ignore[no-untyped-def]
    client.force_login(AdminFactory(username="root", is_staff=True, is_superuser=True))
    return client


def panel(response, title: str):  # type: ignore[no-untyped-def]
    return next(p for p in response.context["dashboard"] if str(p.title) == title)


def names(p) -> list[str]:  # type: ignore[no-untyped-def]
    return [row.who for row in p.rows]


@time_machine.travel(NOW, tick=False)
def test_dashboard_shows_open_presences_and_forgotten_clock_outs(staff):  # type: ignore[no-untyped-def]
    anna = UserFactory(first_name="Anna", last_name="Schmidt")
    ben = UserFactory(first_name="Ben", last_name="Weber")
    PresenceFactory(user=anna, date=dt.date(2026, 3, 4), from_time=dt.time(8), to_time=None)
    PresenceFactory(user=ben, date=dt.date(2026, 3, 3), from_time=dt.time(9), to_time=None)
    PresenceFactory(user=ben, date=dt.date(2026, 3, 4), from_time=dt.time(8), to_time=dt.time(9))

    response = staff.get(INDEX)

    assert response.status_code == HTTPStatus.OK
    open_now = panel(response, "In right now: open MOCO presences")
    assert (open_now.count, names(open_now)) == (1, ["Anna Schmidt"])
    assert open_now.rows[0].what == "since 08:00"
    forgotten = panel(response, "Forgotten clock-outs")
    assert (forgotten.count, names(forgotten)) == (1, ["Ben Weber"])
    assert forgotten.rows[0].what == "open since 03.03.2026 09:00"
    assert staff.get(forgotten.list_url).status_code == HTTPStatus.OK
    assert staff.get(forgotten.rows[0].url).status_code == HTTPStatus.OK


@time_machine.travel(NOW, tick=False)
def test_dashboard_shows_running_clocks_and_those_left_overnight(staff):  # type: ignore[no-untyped-def]
    early = UserFactory(first_name="Eva", last_name="Early")
    late = UserFactory(first_name="Lars", last_name="Late")
    ClockFactory(user=early, started_at=NOW - dt.timedelta(hours=2))
    ClockFactory(user=late, started_at=NOW - dt.timedelta(days=1))

    response = staff.get(INDEX)

    running = panel(response, "In right now: running McTime clocks")
    assert running.count == 2
    assert sorted(names(running)) == ["Eva Early", "Lars Late"]
    overnight = panel(response, "Clocks running since before today")
    assert names(overnight) == ["Lars Late"]
    assert overnight.rows[0].what == "since 03.03. 11:30"
    assert b"Eva Early" in response.content


@time_machine.travel(NOW, tick=False)
def test_dashboard_lists_entries_under_approval_and_todays_out_of_office(staff):  # type: ignore[no-untyped-def]
    worker = UserFactory(first_name="Wim", last_name="Worker")
    away = UserFactory(first_name="Ada", last_name="Away")
    TimeEntryFactory(user=worker, approval_status=ApprovalStatus.UNDER_APPROVAL)
    TimeEntryFactory(
        user=worker,
        approval_status=ApprovalStatus.NOT_APPROVED_YET,
        starts_at=NOW - dt.timedelta(days=1),
        ends_at=NOW - dt.timedelta(days=1, hours=-2),
    )
    OutOfOfficeFactory(
        user=away,
        is_active=True,
        start_date=NOW - dt.timedelta(days=1),
        end_date=NOW + dt.timedelta(days=1),
        message="Conference",
    )
    OutOfOfficeFactory(
        user=worker,
        is_active=True,
        start_date=NOW + dt.timedelta(days=3),
        end_date=NOW + dt.timedelta(days=4),
    )

    response = staff.get(INDEX)

    waiting = panel(response, "Time entries waiting for approval")
    assert (waiting.count, names(waiting)) == (1, ["Wim Worker"])
    away_today = panel(response, "Out of office today")
    assert (away_today.count, names(away_today)) == (1, ["Ada Away"])
    assert away_today.rows[0].what == "Conference"
    assert staff.get(away_today.list_url).status_code == HTTPStatus.OK


def test_empty_dashboard_says_so(staff):  # type: ignore[no-untyped-def]
    response = staff.get(INDEX)
    assert response.status_code == HTTPStatus.OK
    assert b"No clock is running." in response.content
    assert all(p.count == 0 for p in response.context["dashboard"])


def test_dashboard_query_count_does_not_grow_with_records(staff, django_assert_max_num_queries):  # type: ignore[no-untyped-def]
    for _ in range(3):
        ClockFactory(user=UserFactory())
    with django_assert_max_num_queries(30) as few:
        staff.get(INDEX)
    for _ in range(20):
        ClockFactory(user=UserFactory(), started_at=timezone.now() - dt.timedelta(days=2))
        PresenceFactory(user=UserFactory(), date=timezone.localdate(), to_time=None)
    with django_assert_max_num_queries(len(few.captured_queries)):
        staff.get(INDEX)


def test_dashboard_is_for_staff_only(client, db):  # type: ignore[no-untyped-def]
    response = client.get(INDEX)
    assert response.status_code == HTTPStatus.FOUND
    assert reverse("admin:login") in response["Location"]


@time_machine.travel(NOW, tick=False)
def test_dashboard_lists_this_weeks_arbzg_violations(staff):  # type: ignore[no-untyped-def]
    long_day = UserFactory(first_name="Lena", last_name="Lang", timezone="Europe/Berlin")
    fine = UserFactory(first_name="Otto", last_name="Ok", timezone="Europe/Berlin")
    # Monday of this week: 11 h without a break; last week's long day is not this week's.
    PresenceFactory(
        user=long_day, date=dt.date(2026, 3, 2), from_time=dt.time(7), to_time=dt.time(18)
    )
    PresenceFactory(
        user=long_day, date=dt.date(2026, 2, 24), from_time=dt.time(7), to_time=dt.time(19)
    )
    PresenceFactory(user=fine, date=dt.date(2026, 3, 2), from_time=dt.time(8), to_time=dt.time(12))

    response = staff.get(INDEX)

    findings = panel(response, "ArbZG violations this week")
    assert set(names(findings)) == {"Lena Lang"}
    rules = {row.what.split(" ")[1].rstrip(":") for row in findings.rows}
    assert {"ARBZG_3_DAILY_MAX", "ARBZG_4_BREAK"} <= rules
    assert all(row.what.startswith("02.03.") for row in findings.rows)
    assert staff.get(findings.rows[0].url).status_code == HTTPStatus.OK
    assert staff.get(findings.list_url).status_code == HTTPStatus.OK
