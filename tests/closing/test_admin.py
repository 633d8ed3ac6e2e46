"""The back office meets closed periods: form errors, no delete, closing and reopening."""

import datetime as dt
from http import HTTPStatus

import pytest
from django.urls import reverse

from clock.models import TimeEntry
from closing.models import Closure
from ooo.models import OutOfOffice
from presences.models import Presence
from tests.closing.conftest import snapshot
from tests.factories import (
    AdminFactory,
    PresenceFactory,
    TimeEntryFactory,
    WorkingTimeFactory,
)


@pytest.fixture
def staff(db, client):  # type: ignore[no-untyped-def]
    user = AdminFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def test_admin_add_on_a_closed_date_is_a_form_error(staff, member, close):
    close(member)
    response = staff.post(
        reverse("admin:presences_presence_add"),
        {"user": member.pk, "date": "2026-03-05", "from_time": "08:00", "to_time": "12:00"},
    )
    assert response.status_code == HTTPStatus.OK  # the form again, with its error
    errors = response.context["adminform"].form.non_field_errors()
    assert any("is in a closed period" in e for e in errors)
    assert not Presence.objects.exists()


def test_admin_change_of_a_working_time_on_a_closed_date_is_a_form_error(staff, member, close):
    record = WorkingTimeFactory(user=member, working_date=dt.date(2026, 3, 5))
    close(member)
    before = snapshot()
    url = reverse("admin:workingtimes_workingtime_change", args=[record.pk])
    response = staff.post(
        url,
        {
            "user": member.pk,
            "working_date": "2026-04-05",
            "day_type": 0,
            "daily_time_start": "08:00",
            "daily_time_end": "16:00",
            "daily_time_total": "7.5",
            "comments": "moved",
        },
    )
    assert response.status_code == HTTPStatus.OK
    errors = response.context["adminform"].form.non_field_errors()
    assert any("2026-03-05 is in a closed period" in e for e in errors)
    assert snapshot() == before


@pytest.mark.parametrize("bulk", [False, True])
def test_admin_cannot_delete_a_record_on_a_closed_date(staff, member, close, bulk):
    presence = PresenceFactory(user=member, date=dt.date(2026, 3, 5))
    close(member)
    if bulk:
        response = staff.post(
            reverse("admin:presences_presence_changelist"),
            {"action": "delete_selected", "_selected_action": [presence.pk], "post": "yes"},
        )
    else:
        response = staff.post(
            reverse("admin:presences_presence_delete", args=[presence.pk]), {"post": "yes"}
        )
    assert response.status_code in (HTTPStatus.OK, HTTPStatus.FORBIDDEN)
    assert Presence.objects.filter(pk=presence.pk).exists()


def test_admin_closes_and_reopens_a_period(staff, member, other_member):
    response = staff.post(
        reverse("admin:closing_closure_add"),
        {
            "from_date": "2026-03-01",
            "to_date": "2026-03-31",
            "users": [member.pk, other_member.pk],
            "reason": "March payroll",
        },
    )
    assert response.status_code == HTTPStatus.FOUND, response.content
    closure = Closure.objects.get()
    assert sorted(closure.periods.values_list("user_id", flat=True)) == sorted(
        [member.pk, other_member.pk]
    )
    response = staff.post(
        reverse("admin:closing_closure_change", args=[closure.pk]),
        {"reopen_reason": "correction"},
    )
    assert response.status_code == HTTPStatus.FOUND
    closure.refresh_from_db()
    assert (closure.reopened_at is not None, closure.reopen_reason) == (True, "correction")


def test_admin_edits_a_users_legal_hold(staff, member):
    page = staff.get(reverse("admin:accounts_user_change", args=[member.pk]))
    assert b'name="legal_hold"' in page.content


def test_admin_add_of_an_out_of_office_touching_a_closed_date_is_a_form_error(staff, member, close):
    close(member)
    response = staff.post(
        reverse("admin:ooo_outofoffice_add"),
        {
            "user": member.pk,
            "is_active": "on",
            "start_date_0": "2026-03-30",
            "start_date_1": "08:00:00",
            "end_date_0": "2026-04-02",
            "end_date_1": "18:00:00",
            "message": "away",
        },
    )
    assert response.status_code == HTTPStatus.OK
    errors = response.context["adminform"].form.non_field_errors()
    assert any("2026-03-30 is in a closed period" in e for e in errors)
    assert not OutOfOffice.objects.exists()


def test_admin_change_of_a_time_entry_on_a_closed_date_is_a_form_error(staff, member, close):
    entry = TimeEntryFactory(
        user=member,
        starts_at=dt.datetime(2026, 3, 5, 7, tzinfo=dt.UTC),
        ends_at=dt.datetime(2026, 3, 5, 15, tzinfo=dt.UTC),
    )
    close(member)
    before = snapshot()
    response = staff.post(
        reverse("admin:clock_timeentry_change", args=[entry.pk]),
        {
            "user": member.pk,
            "starts_at_0": "2026-04-05",
            "starts_at_1": "08:00:00",
            "ends_at_0": "2026-04-05",
            "ends_at_1": "16:00:00",
            "time_type": "work",
            "approval_status": "not_approved_yet",
            "is_valid": "on",
            "breaks-TOTAL_FORMS": "0",
            "breaks-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == HTTPStatus.OK
    errors = response.context["adminform"].form.non_field_errors()
    assert any("2026-03-05 is in a closed period" in e for e in errors)
    assert snapshot() == before
    assert TimeEntry.objects.get().starts_at == entry.starts_at
