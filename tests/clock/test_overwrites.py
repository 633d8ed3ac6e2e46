"""Overwriting: a stopped clock (or a POST /times entry) deletes, trims or splits the user's
valid entries it overlaps, and refuses to touch approved ones."""

from http import HTTPStatus

import pytest

from clock.models import Clock, TimeEntry
from tests.clock.conftest import CLOCK_URL, TIMES_URL, at, entry_spans, failure, snapshot
from tests.factories import ClockFactory, TimeEntryBreakFactory, TimeEntryFactory, UserFactory

DAY = "2026-05-04T"
OFFSET = "+02:00"


def t(hhmm: str) -> str:
    return f"{DAY}{hhmm}:00{OFFSET}"


def entry(user, start: str, end: str, **kwargs):  # type: ignore[no-untyped-def]
    return TimeEntryFactory(user=user, starts_at=at(t(start)), ends_at=at(t(end)), **kwargs)


def brk(parent, start: str, end: str):  # type: ignore[no-untyped-def]
    return TimeEntryBreakFactory(entry=parent, starts_at=at(t(start)), ends_at=at(t(end)))


def breaks_of(user) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [
        (
            b.starts_at.astimezone(user.zone).strftime("%H:%M"),
            b.ends_at.astimezone(user.zone).strftime("%H:%M"),
        )
        for e in TimeEntry.objects.filter(user=user).order_by("starts_at")
        for b in e.breaks.order_by("starts_at")
    ]


def stop_clock_10_to_14(client, user):  # type: ignore[no-untyped-def]
    ClockFactory(user=user, started_at=at(t("10:00")))
    return client.post(CLOCK_URL, {"action": "stop", "dateTime": t("14:00")}, format="json")


def post_time_10_to_14(client, user):  # type: ignore[no-untyped-def]
    body = {"times": [{"from": t("10:00"), "to": t("14:00")}]}
    return client.post(TIMES_URL, body, format="json")


WRITERS = {"stop": (stop_clock_10_to_14, "clock"), "times": (post_time_10_to_14, "times")}


@pytest.mark.parametrize("writer", WRITERS)
@pytest.mark.parametrize(
    ("existing", "status", "expected"),
    [
        pytest.param([], HTTPStatus.OK, [("10:00", "14:00", "new")], id="nothing-there"),
        pytest.param(
            [("08:00", "10:00"), ("14:00", "16:00")],
            HTTPStatus.OK,
            [("08:00", "10:00", "times"), ("10:00", "14:00", "new"), ("14:00", "16:00", "times")],
            id="touching-is-no-overlap",
        ),
        pytest.param(
            [("11:00", "12:00"), ("12:30", "13:00")],
            HTTPStatus.CREATED,
            [("10:00", "14:00", "new")],
            id="covered-entries-are-deleted",
        ),
        pytest.param(
            [("10:00", "14:00")],
            HTTPStatus.CREATED,
            [("10:00", "14:00", "new")],
            id="identical-span-is-replaced",
        ),
        pytest.param(
            [("08:00", "11:00")],
            HTTPStatus.CREATED,
            [("08:00", "10:00", None), ("10:00", "14:00", "new")],
            id="overlapping-start-is-trimmed",
        ),
        pytest.param(
            [("13:00", "16:00")],
            HTTPStatus.CREATED,
            [("10:00", "14:00", "new"), ("14:00", "16:00", None)],
            id="overlapping-end-is-trimmed",
        ),
        pytest.param(
            [("08:00", "16:00")],
            HTTPStatus.CREATED,
            [("08:00", "10:00", None), ("10:00", "14:00", "new"), ("14:00", "16:00", None)],
            id="containing-entry-is-split",
        ),
    ],
)
def test_overlapping_entries_are_resolved(mctime, member, writer, existing, status, expected):
    write, creation_type = WRITERS[writer]
    for start, end in existing:
        entry(member, start, end)
    response = write(mctime(member), member)
    assert response.status_code == status, response.json()
    assert response.json()["valid"] is True
    assert entry_spans(member) == [
        (t(start), t(end), creation_type if kind == "new" else kind, True)
        for start, end, kind in expected
    ]


def test_split_distributes_and_clips_breaks(mctime, member):
    original = entry(member, "08:00", "16:00", comment="long day")
    brk(original, "09:00", "09:15")  # stays with the head
    brk(original, "10:30", "11:00")  # inside the new entry: gone
    brk(original, "13:45", "14:15")  # crosses the cut: clipped to the tail's start
    brk(original, "15:00", "15:30")  # moves to the tail
    response = stop_clock_10_to_14(mctime(member), member)
    assert response.status_code == HTTPStatus.CREATED
    head, new, tail = TimeEntry.objects.filter(user=member).order_by("starts_at")
    assert head.pk == original.pk
    assert tail.pk not in (original.pk, new.pk)
    assert (tail.comment, tail.time_type, tail.approval_status) == (
        "long day",
        "work",
        "not_approved_yet",
    )
    assert [(b.starts_at, b.ends_at) for b in head.breaks.all()] == [
        (at(t("09:00")), at(t("09:15")))
    ]
    assert list(new.breaks.all()) == []
    assert [(b.starts_at, b.ends_at) for b in tail.breaks.all()] == [
        (at(t("14:00")), at(t("14:15"))),
        (at(t("15:00")), at(t("15:30"))),
    ]


def test_a_break_across_both_cuts_becomes_two_breaks(mctime, member):
    original = entry(member, "08:00", "16:00")
    brk(original, "09:00", "15:00")
    stop_clock_10_to_14(mctime(member), member)
    assert breaks_of(member) == [("09:00", "10:00"), ("14:00", "15:00")]


def test_trim_clips_breaks_and_drops_those_inside(mctime, member):
    before = entry(member, "08:00", "11:00")
    brk(before, "09:30", "10:30")
    after = entry(member, "13:00", "16:00")
    brk(after, "13:10", "13:20")
    brk(after, "13:50", "14:20")
    stop_clock_10_to_14(mctime(member), member)
    assert breaks_of(member) == [("09:30", "10:00"), ("14:00", "14:20")]


def test_invalid_entries_and_other_users_entries_are_not_touched(mctime, member, other_member):
    entry(member, "09:00", "15:00", is_valid=False, creation_type="clock")
    entry(other_member, "09:00", "15:00")
    response = stop_clock_10_to_14(mctime(member), member)
    assert response.status_code == HTTPStatus.OK
    assert entry_spans(member) == [
        (t("09:00"), t("15:00"), "clock", False),
        (t("10:00"), t("14:00"), "clock", True),
    ]
    assert entry_spans(other_member) == [(t("09:00"), t("15:00"), "times", True)]


@pytest.mark.parametrize("status", ["under_approval", "approved", "exported"])
def test_stop_over_a_locked_entry_saves_an_invalid_clocking_entry(mctime, member, status):
    locked = entry(member, "13:00", "15:00", approval_status=status)
    unlocked = entry(member, "09:00", "11:00")
    before = snapshot(member)["entries"]
    response = stop_clock_10_to_14(mctime(member), member)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    invalid = TimeEntry.objects.get(user=member, is_valid=False)
    label = status.replace("_", " ")
    assert response.json() == failure(
        "The clock time could not be saved and became an invalid clocking time entry "
        f"(delete it via DELETE /times). It overlaps time entry {locked.pk} "
        f"({t('13:00')} to {t('15:00')}), which is {label} and cannot be overwritten.",
        {
            "id": str(invalid.pk),
            "from": t("10:00"),
            "to": t("14:00"),
            "breaks": [],
            "comment": "",
            "type": "work",
            "organizationName": None,
            "userId": str(member.uuid),
            "category": "productive",
            "creationType": "clock",
            "approvalStatus": "not_approved_yet",
            "valid": False,
        },
    )
    # Nothing else changed: neither the locked nor the unlocked overlapped entry.
    assert [e for e in snapshot(member)["entries"] if e[0] != invalid.pk] == before
    assert unlocked.pk in [e[0] for e in before]
    assert not Clock.objects.filter(user=member).exists()


def test_invalid_clocking_entry_can_be_deleted(mctime, member):
    entry(member, "13:00", "15:00", approval_status="approved")
    response = stop_clock_10_to_14(mctime(member), member)
    invalid_id = response.json()["items"][0]["data"]["id"]
    deleted = mctime(member).delete(f"{TIMES_URL}?id={invalid_id}")
    assert deleted.status_code == HTTPStatus.OK
    assert not TimeEntry.objects.filter(pk=invalid_id).exists()


@pytest.mark.parametrize("status", ["under_approval", "approved", "exported"])
def test_posting_times_over_a_locked_entry_changes_nothing(mctime, member, status):
    locked = entry(member, "13:00", "15:00", approval_status=status)
    entry(member, "09:00", "11:00")
    before = snapshot(member)
    response = post_time_10_to_14(mctime(member), member)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == failure(
        f"times.0: the time entry could not be saved. It overlaps time entry {locked.pk} "
        f"({t('13:00')} to {t('15:00')}), which is {status.replace('_', ' ')} and cannot be "
        "overwritten."
    )
    assert snapshot(member) == before


def test_disapproved_entries_are_overwritten(mctime, member):
    entry(member, "11:00", "12:00", approval_status="disapproved")
    response = stop_clock_10_to_14(mctime(member), member)
    assert response.status_code == HTTPStatus.CREATED
    assert entry_spans(member) == [(t("10:00"), t("14:00"), "clock", True)]


@pytest.mark.django_db(transaction=True)
def test_the_invalid_clocking_entry_is_committed_although_the_answer_is_an_error(mctime):
    # Real transactions here: the error response must not roll the invalid entry back.
    user = UserFactory(username="committer")
    entry(user, "13:00", "15:00", approval_status="approved")
    response = stop_clock_10_to_14(mctime(user), user)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert entry_spans(user) == [
        (t("10:00"), t("14:00"), "clock", False),
        (t("13:00"), t("15:00"), "times", True),
    ]
    assert not Clock.objects.filter(user=user).exists()
