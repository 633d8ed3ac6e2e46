"""History people can read: a reason for each change, field and choice labels."""

import datetime as dt
from http import HTTPStatus
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from clock.models import ApprovalStatus
from clock.services import set_approval_status
from presences.models import Presence
from tests.factories import AdminFactory, PresenceFactory, TimeEntryFactory, UserFactory


@pytest.fixture
def staff(db, client):  # type: ignore[no-untyped-def]
    client.force_login(AdminFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(
    "page",
    [
        "admin:presences_presence_add",
        "admin:clock_timeentry_add",
        "admin:ooo_outofoffice_add",
        "admin:workingtimes_workingtime_add",
    ],
)
def test_record_forms_ask_for_a_reason_for_change(staff, page):  # type: ignore[no-untyped-def]
    response = staff.get(reverse(page))
    assert response.status_code == HTTPStatus.OK
    assert b'name="change_reason"' in response.content
    assert b"Reason for change" in response.content


def test_the_reason_is_kept_in_the_history_and_in_its_chain(staff):  # type: ignore[no-untyped-def]
    worker = UserFactory()
    presence = PresenceFactory(
        user=worker, date=dt.date(2026, 3, 2), from_time=dt.time(8), to_time=None
    )
    response = staff.post(
        reverse("admin:presences_presence_change", args=[presence.pk]),
        {
            "date": "02.03.2026",
            "from_time": "08:00",
            "to_time": "16:30",
            "change_reason": "forgot to clock out",
        },
    )
    assert response.status_code == HTTPStatus.FOUND, response.content[:2000]
    latest = Presence.objects.get(pk=presence.pk).history.latest()
    assert latest.to_time == dt.time(16, 30)
    assert latest.history_change_reason == "forgot to clock out"
    out = StringIO()
    call_command("verify_history", "--user", str(worker.pk), stdout=out)  # exits 0: intact

    page = staff.get(reverse("admin:presences_presence_history", args=[presence.pk]))
    assert b"forgot to clock out" in page.content


def test_a_change_without_a_reason_leaves_it_empty(staff):  # type: ignore[no-untyped-def]
    presence = PresenceFactory(date=dt.date(2026, 3, 2), from_time=dt.time(8), to_time=None)
    staff.post(
        reverse("admin:presences_presence_change", args=[presence.pk]),
        {"date": "02.03.2026", "from_time": "08:00", "to_time": "12:00"},
    )
    assert not presence.history.latest().history_change_reason


def test_history_page_shows_field_and_choice_labels(staff):  # type: ignore[no-untyped-def]
    entry = TimeEntryFactory(approval_status=ApprovalStatus.NOT_APPROVED_YET)
    set_approval_status(entries=[entry], status=ApprovalStatus.APPROVED)

    page = staff.get(reverse("admin:clock_timeentry_history", args=[entry.pk]))

    html = page.content.decode()
    assert page.status_code == HTTPStatus.OK
    assert "Approval status" in html  # the field's label, not approval_status
    assert "Not Approved Yet" in html  # the choice's label in the "Changes" column
    assert "not_approved_yet" not in html
