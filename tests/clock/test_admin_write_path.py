"""The time-entry and clock admins write through clock.services: the back office obeys the
API's rules, and says why in words a person understands."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from clock.models import ApprovalStatus, Clock, TimeEntry, TimeEntryBreak
from tests.clock.conftest import at
from tests.factories import ClockFactory, TimeEntryBreakFactory, TimeEntryFactory, UserFactory

ADD_URL = reverse("admin:clock_timeentry_add")
LIST_URL = reverse("admin:clock_timeentry_changelist")
LOCKED = [ApprovalStatus.UNDER_APPROVAL, ApprovalStatus.APPROVED, ApprovalStatus.EXPORTED]


@pytest.fixture
def office(db, client):  # type: ignore[no-untyped-def]
    client.force_login(UserFactory(username="office", is_staff=True, is_superuser=True))
    return client


def _form(user=None, *, start="2026-05-04 08:00", end="2026-05-04 16:00", breaks=()):  # type: ignore[no-untyped-def]
    """Admin form data; times are the company zone's (Europe/Berlin, +02:00 in May)."""
    data = {
        "starts_at_0": start.split()[0],
        "starts_at_1": start.split()[1],
        "ends_at_0": end.split()[0],
        "ends_at_1": end.split()[1],
        "time_type": "work",
        "comment": "",
        "organization": "",
        "breaks-TOTAL_FORMS": str(len(breaks)),
        "breaks-INITIAL_FORMS": "0",
        "breaks-MIN_NUM_FORMS": "0",
        "breaks-MAX_NUM_FORMS": "1000",
    }
    if user is not None:
        data["user"] = user.pk
    for i, (b_start, b_end) in enumerate(breaks):
        data[f"breaks-{i}-starts_at_0"], data[f"breaks-{i}-starts_at_1"] = b_start.split()
        data[f"breaks-{i}-ends_at_0"], data[f"breaks-{i}-ends_at_1"] = b_end.split()
    return data


def _change_url(entry: TimeEntry) -> str:
    return reverse("admin:clock_timeentry_change", args=[entry.pk])


def test_add_saves_through_the_service_with_breaks_and_history(office, member):
    response = office.post(
        ADD_URL,
        _form(member, breaks=[("2026-05-04 12:00", "2026-05-04 12:30")]),
    )

    assert response.status_code == HTTPStatus.FOUND, response.context["adminform"].form.errors
    entry = TimeEntry.objects.get(user=member)
    assert (entry.starts_at, entry.ends_at) == (
        at("2026-05-04T08:00:00+02:00"),
        at("2026-05-04T16:00:00+02:00"),
    )
    assert entry.creation_type == "times"
    assert [(b.starts_at, b.ends_at) for b in entry.breaks.all()] == [
        (at("2026-05-04T12:00:00+02:00"), at("2026-05-04T12:30:00+02:00"))
    ]
    assert entry.history.get().history_user.username == "office"


def test_wrong_end_is_a_field_error_in_words_not_a_constraint_name(office, member):
    response = office.post(ADD_URL, _form(member, end="2026-05-04 07:00"))

    assert response.status_code == HTTPStatus.OK
    errors = response.context["adminform"].form.errors
    assert errors["ends_at"] == ["The end must be after the start."]
    assert "onstraint" not in response.content.decode()
    assert not TimeEntry.objects.exists()


def test_overlap_is_refused_with_a_field_error_naming_the_other_entry(office, member):
    other = TimeEntryFactory(
        user=member,
        starts_at=at("2026-05-04T15:00:00+02:00"),
        ends_at=at("2026-05-04T18:00:00+02:00"),
    )

    response = office.post(ADD_URL, _form(member))

    assert response.status_code == HTTPStatus.OK
    (error,) = response.context["adminform"].form.errors["starts_at"]
    assert f"Overlaps time entry {other.pk}" in error
    assert "2026-05-04T15:00:00+02:00" in error
    assert list(TimeEntry.objects.all()) == [other]  # neither added nor trimmed


@pytest.mark.parametrize(
    ("breaks", "message"),
    [
        ([("2026-05-04 07:00", "2026-05-04 07:30")], "A break must lie inside its time entry."),
        ([("2026-05-04 12:30", "2026-05-04 12:00")], "A break must end after it starts."),
        (
            [("2026-05-04 12:00", "2026-05-04 12:30"), ("2026-05-04 12:15", "2026-05-04 12:45")],
            "Breaks must not overlap each other.",
        ),
    ],
    ids=["outside", "backwards", "overlapping"],
)
def test_breaks_are_checked_by_the_service_rule(office, member, breaks, message):
    response = office.post(ADD_URL, _form(member, breaks=breaks))

    assert response.status_code == HTTPStatus.OK
    formset_errors = [
        e
        for f in response.context["inline_admin_formsets"][0].formset.forms
        for errors in f.errors.values()
        for e in errors
    ]
    assert not any("onstraint" in e for e in formset_errors)
    assert message in formset_errors
    assert not TimeEntry.objects.exists()


def test_moving_an_entry_so_that_its_breaks_fall_outside_is_refused(office, member):
    entry = TimeEntryFactory(
        user=member,
        starts_at=at("2026-05-04T08:00:00+02:00"),
        ends_at=at("2026-05-04T16:00:00+02:00"),
    )
    brk = TimeEntryBreakFactory(
        entry=entry,
        starts_at=at("2026-05-04T12:00:00+02:00"),
        ends_at=at("2026-05-04T12:30:00+02:00"),
    )
    data = _form(end="2026-05-04 11:00")
    data.update(
        {
            "breaks-TOTAL_FORMS": "1",
            "breaks-INITIAL_FORMS": "1",
            "breaks-0-id": str(brk.pk),
            "breaks-0-entry": str(entry.pk),
            "breaks-0-starts_at_0": "2026-05-04",
            "breaks-0-starts_at_1": "12:00",
            "breaks-0-ends_at_0": "2026-05-04",
            "breaks-0-ends_at_1": "12:30",
        }
    )

    response = office.post(_change_url(entry), data)

    assert response.status_code == HTTPStatus.OK
    entry.refresh_from_db()
    assert entry.ends_at == at("2026-05-04T16:00:00+02:00")


def test_edit_goes_through_the_service_and_returns_a_disapproved_entry_to_approval(office, member):
    entry = TimeEntryFactory(
        user=member,
        starts_at=at("2026-05-04T08:00:00+02:00"),
        ends_at=at("2026-05-04T16:00:00+02:00"),
        approval_status=ApprovalStatus.DISAPPROVED,
    )

    response = office.post(_change_url(entry), _form(end="2026-05-04 15:00"))

    assert response.status_code == HTTPStatus.FOUND
    entry.refresh_from_db()
    assert entry.ends_at == at("2026-05-04T15:00:00+02:00")
    assert entry.approval_status == ApprovalStatus.NOT_APPROVED_YET
    assert entry.creation_type is None  # edited, as after PUT through POST /times


def test_approval_status_is_not_editable_in_the_form(office, member):
    entry = TimeEntryFactory(user=member)

    page = office.get(_change_url(entry))

    assert "approval_status" not in page.context["adminform"].form.fields


@pytest.mark.parametrize("status", LOCKED)
def test_locked_entries_cannot_be_edited_or_deleted(office, member, status):
    entry = TimeEntryFactory(
        user=member,
        starts_at=at("2026-05-04T08:00:00+02:00"),
        ends_at=at("2026-05-04T16:00:00+02:00"),
        approval_status=status,
    )

    edit = office.post(_change_url(entry), _form(end="2026-05-04 17:00"))
    delete = office.post(reverse("admin:clock_timeentry_delete", args=[entry.pk]), {"post": "yes"})
    bulk = office.post(
        LIST_URL, {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"}
    )

    assert edit.status_code == HTTPStatus.FORBIDDEN
    assert delete.status_code == HTTPStatus.FORBIDDEN
    assert bulk.status_code != HTTPStatus.INTERNAL_SERVER_ERROR
    entry.refresh_from_db()
    assert entry.ends_at == at("2026-05-04T16:00:00+02:00")


def test_bulk_delete_is_all_or_nothing_through_the_service(office, member):
    free = TimeEntryFactory(user=member, starts_at=at("2026-05-04T08:00:00+02:00"))
    exported = TimeEntryFactory(
        user=member,
        starts_at=at("2026-05-05T08:00:00+02:00"),
        approval_status=ApprovalStatus.EXPORTED,
    )

    office.post(
        LIST_URL,
        {"action": "delete_selected", "_selected_action": [free.pk, exported.pk], "post": "yes"},
    )

    assert TimeEntry.objects.filter(pk__in=[free.pk, exported.pk]).count() == 2


def test_bulk_delete_of_deletable_entries_deletes_them_and_their_breaks(office, member):
    entries = [
        TimeEntryFactory(user=member, starts_at=at(f"2026-05-0{day}T08:00:00+02:00"))
        for day in (4, 5)
    ]
    TimeEntryBreakFactory(entry=entries[0])

    response = office.post(
        LIST_URL,
        {"action": "delete_selected", "_selected_action": [e.pk for e in entries], "post": "yes"},
    )

    assert response.status_code == HTTPStatus.FOUND
    assert not TimeEntry.objects.exists()
    assert not TimeEntryBreak.objects.exists()


def test_a_refusal_at_save_time_is_a_message_not_a_server_error(office, member):
    """The service re-checks under the lock: an entry approved after the form was shown."""
    entry = TimeEntryFactory(user=member, starts_at=at("2026-05-04T08:00:00+02:00"))
    TimeEntry.objects.filter(pk=entry.pk).update(approval_status=ApprovalStatus.APPROVED)

    response = office.post(
        reverse("admin:clock_timeentry_delete", args=[entry.pk]), {"post": "yes"}, follow=True
    )

    assert response.status_code in (HTTPStatus.OK, HTTPStatus.FORBIDDEN)
    assert TimeEntry.objects.filter(pk=entry.pk).exists()


def test_clocks_are_not_added_or_edited_in_the_admin_and_delete_cancels(office, member):
    clock = ClockFactory(user=member)

    add = office.get(reverse("admin:clock_clock_add"))
    change = office.post(reverse("admin:clock_clock_change", args=[clock.pk]), {})
    delete = office.post(reverse("admin:clock_clock_delete", args=[clock.pk]), {"post": "yes"})

    assert add.status_code == HTTPStatus.FORBIDDEN
    assert change.status_code == HTTPStatus.FORBIDDEN
    assert delete.status_code == HTTPStatus.FOUND
    assert not Clock.objects.exists()
    assert not TimeEntry.objects.exists()  # cancelled, not stopped


def test_history_revert_cannot_bring_back_a_cancelled_clock(office, member):
    clock = ClockFactory(user=member)
    version = clock.history.get()
    office.post(reverse("admin:clock_clock_delete", args=[clock.pk]), {"post": "yes"})
    url = reverse("admin:clock_clock_simple_history", args=[clock.pk, version.history_id])

    response = office.post(url, {})

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Clock.objects.exists()
