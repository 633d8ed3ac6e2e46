"""Bulk actions of the back office, through the services: forgotten clock-outs, whole weeks."""

import datetime as dt
from http import HTTPStatus
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from clock.models import ApprovalStatus, Clock, CreationType, TimeEntry
from presences.models import Presence
from tests.factories import (
    AdminFactory,
    ClockFactory,
    PresenceFactory,
    TimeEntryFactory,
    UserFactory,
)

BERLIN = ZoneInfo("Europe/Berlin")
NOW = dt.datetime(2026, 3, 4, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def staff(db, client):  # type: ignore[no-untyped-def]
    client.force_login(AdminFactory(username="root", is_staff=True, is_superuser=True))
    return client


def run_action(client, changelist: str, action: str, ids, **data):  # type: ignore[no-untyped-def]
    return client.post(
        reverse(changelist),
        {"action": action, ACTION_CHECKBOX_NAME: [str(i) for i in ids], **data},
        follow=True,
    )


@time_machine.travel(NOW, tick=False)
def test_close_forgotten_presences_asks_for_an_end_time_then_closes_them(staff):  # type: ignore[no-untyped-def]
    anna, ben = UserFactory(), UserFactory()
    first = PresenceFactory(user=anna, date=dt.date(2026, 3, 2), from_time=dt.time(8), to_time=None)
    second = PresenceFactory(user=ben, date=dt.date(2026, 3, 3), from_time=dt.time(9), to_time=None)
    changelist = "admin:presences_presence_changelist"

    asked = run_action(staff, changelist, "close_open_presences", [first.pk, second.pk])
    assert asked.status_code == HTTPStatus.OK
    assert b'name="end_time"' in asked.content
    assert Presence.objects.filter(to_time__isnull=True).count() == 2

    done = run_action(
        staff,
        changelist,
        "close_open_presences",
        [first.pk, second.pk],
        apply="1",
        end_time="17:00",
    )
    assert done.status_code == HTTPStatus.OK
    assert sorted(Presence.objects.values_list("to_time", flat=True)) == [dt.time(17)] * 2
    # Through the service: the change is in each presence's history, by the staff user.
    assert first.history.latest().history_user.username == "root"


@time_machine.travel(NOW, tick=False)
def test_a_presence_that_cannot_close_at_that_time_is_reported_and_the_rest_closed(staff):  # type: ignore[no-untyped-def]
    early = PresenceFactory(date=dt.date(2026, 3, 2), from_time=dt.time(8), to_time=None)
    late = PresenceFactory(date=dt.date(2026, 3, 2), from_time=dt.time(18), to_time=None)

    done = run_action(
        staff,
        "admin:presences_presence_changelist",
        "close_open_presences",
        [early.pk, late.pk],
        apply="1",
        end_time="17:00",
    )

    early.refresh_from_db()
    late.refresh_from_db()
    assert (early.to_time, late.to_time) == (dt.time(17), None)
    shown = [str(m) for m in done.context["messages"]]
    refusal = next(m for m in shown if str(late.user.full_name) in m)
    # In back-office words: the field by its label, not the model's attribute name.
    assert ": to: " in refusal
    assert "to_time" not in refusal


@pytest.mark.parametrize("bad", ["", "25:00", "abc"])
@time_machine.travel(NOW, tick=False)
def test_an_invalid_end_time_changes_nothing(staff, bad):  # type: ignore[no-untyped-def]
    presence = PresenceFactory(date=dt.date(2026, 3, 2), from_time=dt.time(8), to_time=None)
    again = run_action(
        staff,
        "admin:presences_presence_changelist",
        "close_open_presences",
        [presence.pk],
        apply="1",
        end_time=bad,
    )
    assert b"errorlist" in again.content
    presence.refresh_from_db()
    assert presence.to_time is None


@time_machine.travel(NOW, tick=False)
def test_stop_clocks_at_an_end_time_on_the_day_they_started(staff):  # type: ignore[no-untyped-def]
    worker = UserFactory(timezone="Europe/Berlin")
    clock = ClockFactory(user=worker, started_at=dt.datetime(2026, 3, 3, 7, 30, tzinfo=dt.UTC))

    run_action(
        staff,
        "admin:clock_clock_changelist",
        "stop_clocks_at",
        [clock.pk],
        apply="1",
        end_time="17:00",
    )

    assert not Clock.objects.exists()
    entry = TimeEntry.objects.get()
    assert entry.starts_at == dt.datetime(2026, 3, 3, 7, 30, tzinfo=dt.UTC)
    assert entry.ends_at == dt.datetime(2026, 3, 3, 17, 0, tzinfo=BERLIN)
    assert entry.creation_type == CreationType.CLOCK


def week_entries(user, monday: dt.date, days: int, status=ApprovalStatus.UNDER_APPROVAL):  # type: ignore[no-untyped-def]
    entries = []
    for n in range(days):
        start = dt.datetime.combine(monday + dt.timedelta(days=n), dt.time(8), tzinfo=BERLIN)
        entries.append(
            TimeEntryFactory(
                user=user,
                starts_at=start,
                ends_at=start + dt.timedelta(hours=8),
                approval_status=status,
            )
        )
    return entries


@pytest.mark.parametrize(
    ("action", "expected"),
    [("approve_weeks", ApprovalStatus.APPROVED), ("disapprove_weeks", ApprovalStatus.DISAPPROVED)],
)
def test_week_actions_cover_the_whole_local_week_of_that_user_only(staff, action, expected):  # type: ignore[no-untyped-def]
    anna, ben = UserFactory(timezone="Europe/Berlin"), UserFactory(timezone="Europe/Berlin")
    this_week = week_entries(anna, dt.date(2026, 3, 2), 5)
    next_week = week_entries(anna, dt.date(2026, 3, 9), 1)
    bens = week_entries(ben, dt.date(2026, 3, 2), 2)
    # Sunday 23:30 in Berlin is still the same week, although it is Sunday 22:30 UTC.
    sunday = TimeEntryFactory(
        user=anna,
        starts_at=dt.datetime(2026, 3, 8, 23, 30, tzinfo=BERLIN),
        ends_at=dt.datetime(2026, 3, 8, 23, 45, tzinfo=BERLIN),
        approval_status=ApprovalStatus.NOT_APPROVED_YET,
    )

    run_action(staff, "admin:clock_timeentry_changelist", action, [this_week[2].pk])

    def status(entry):  # type: ignore[no-untyped-def]
        entry.refresh_from_db()
        return entry.approval_status

    assert {status(e) for e in [*this_week, sunday]} == {expected}
    assert {status(e) for e in [*next_week, *bens]} == {ApprovalStatus.UNDER_APPROVAL}


def test_disapproval_leaves_approved_and_exported_entries_alone(staff):  # type: ignore[no-untyped-def]
    anna = UserFactory(timezone="Europe/Berlin")
    approved, exported, waiting = week_entries(anna, dt.date(2026, 3, 2), 3)
    TimeEntry.objects.filter(pk=approved.pk).update(approval_status=ApprovalStatus.APPROVED)
    TimeEntry.objects.filter(pk=exported.pk).update(approval_status=ApprovalStatus.EXPORTED)

    run_action(staff, "admin:clock_timeentry_changelist", "disapprove_weeks", [waiting.pk])

    statuses = dict(TimeEntry.objects.values_list("pk", "approval_status"))
    assert statuses == {
        approved.pk: ApprovalStatus.APPROVED,
        exported.pk: ApprovalStatus.EXPORTED,
        waiting.pk: ApprovalStatus.DISAPPROVED,
    }
