"""Back office: running clocks (cancel) and time entries (filters, approve, export, history)."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from clock.models import Clock, TimeEntry
from tests.clock.conftest import at
from tests.factories import (
    ClockBreakFactory,
    ClockFactory,
    TimeEntryBreakFactory,
    TimeEntryFactory,
    UserFactory,
)


@pytest.fixture
def staff_client(db, client):  # type: ignore[no-untyped-def]
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_clock_changelist_and_cancel_action(staff_client, member, other_member):
    clock = ClockFactory(user=member, started_at=at("2026-05-04T08:00:00+02:00"))
    ClockBreakFactory(clock=clock)
    kept = ClockFactory(user=other_member)
    url = reverse("admin:clock_clock_changelist")
    assert staff_client.get(url).status_code == HTTPStatus.OK
    response = staff_client.post(
        url, {"action": "cancel_clocks", "_selected_action": [clock.pk]}, follow=True
    )
    assert response.status_code == HTTPStatus.OK
    assert list(Clock.objects.all()) == [kept]
    assert not TimeEntry.objects.exists()


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?time_type__exact=work",
        "?category__exact=productive",
        "?approval_status__exact=approved",
        "?is_valid__exact=0",
        "?creation_type__exact=clock",
        "?starts_at__year=2026",
        "?q=bob",
    ],
)
def test_time_entry_changelist_filters(staff_client, member, query):
    TimeEntryFactory(user=member, starts_at=at("2026-05-04T08:00:00+02:00"))
    response = staff_client.get(reverse("admin:clock_timeentry_changelist") + query)
    assert response.status_code == HTTPStatus.OK


def test_time_entry_change_page_with_breaks_and_history(staff_client, member):
    entry = TimeEntryFactory(user=member, starts_at=at("2026-05-04T08:00:00+02:00"))
    TimeEntryBreakFactory(entry=entry)
    change = staff_client.get(reverse("admin:clock_timeentry_change", args=[entry.pk]))
    assert change.status_code == HTTPStatus.OK
    history = staff_client.get(reverse("admin:clock_timeentry_history", args=[entry.pk]))
    assert history.status_code == HTTPStatus.OK


def test_approve_then_mark_exported(staff_client, member):
    valid = TimeEntryFactory(user=member, starts_at=at("2026-05-04T08:00:00+02:00"))
    invalid = TimeEntryFactory(
        user=member, starts_at=at("2026-05-04T09:00:00+02:00"), is_valid=False
    )
    pending = TimeEntryFactory(user=member, starts_at=at("2026-05-05T08:00:00+02:00"))
    url = reverse("admin:clock_timeentry_changelist")
    staff_client.post(url, {"action": "approve", "_selected_action": [valid.pk, invalid.pk]})
    staff_client.post(url, {"action": "mark_exported", "_selected_action": [valid.pk, pending.pk]})
    statuses = dict(TimeEntry.objects.values_list("pk", "approval_status"))
    assert statuses == {
        valid.pk: "exported",
        invalid.pk: "not_approved_yet",  # invalid entries are never approved
        pending.pk: "not_approved_yet",  # only approved entries are exported
    }
    assert valid.history.count() == 3
