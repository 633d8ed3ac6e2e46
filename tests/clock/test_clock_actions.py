"""POST /clock: every action in every state (no clock, running, on break)."""

from http import HTTPStatus

import pytest
import time_machine

from clock.models import Clock, ClockBreak, TimeEntry
from tests.clock.conftest import CLOCK_URL, at, failure, snapshot, success
from tests.factories import ClockBreakFactory, ClockFactory, OrganizationFactory

START = "2026-05-04T08:00:00+02:00"
BREAK_START = "2026-05-04T10:00:00+02:00"
ACTION_AT = "2026-05-04T12:00:00+02:00"


def make_state(user, state: str) -> None:  # type: ignore[no-untyped-def]
    if state == "none":
        return
    clock = ClockFactory(user=user, started_at=at(START), comment="focus")
    if state == "on_break":
        ClockBreakFactory(clock=clock, started_at=at(BREAK_START))


def clock_state(user) -> str:  # type: ignore[no-untyped-def]
    clock = Clock.objects.filter(user=user).first()
    if clock is None:
        return "none"
    return "on_break" if clock.breaks.filter(ended_at__isnull=True).exists() else "running"


@pytest.mark.parametrize(
    ("action", "state", "status", "state_after", "entries_after"),
    [
        ("start", "none", HTTPStatus.OK, "running", 0),
        ("start", "running", HTTPStatus.BAD_REQUEST, "running", 0),
        ("start", "on_break", HTTPStatus.BAD_REQUEST, "on_break", 0),
        ("break", "none", HTTPStatus.BAD_REQUEST, "none", 0),
        ("break", "running", HTTPStatus.OK, "on_break", 0),
        ("break", "on_break", HTTPStatus.OK, "running", 0),
        ("stop", "none", HTTPStatus.BAD_REQUEST, "none", 0),
        ("stop", "running", HTTPStatus.OK, "none", 1),
        ("stop", "on_break", HTTPStatus.OK, "none", 1),
        ("cancel", "none", HTTPStatus.BAD_REQUEST, "none", 0),
        ("cancel", "running", HTTPStatus.OK, "none", 0),
        ("cancel", "on_break", HTTPStatus.OK, "none", 0),
        ("update", "none", HTTPStatus.BAD_REQUEST, "none", 0),
        ("update", "running", HTTPStatus.OK, "running", 0),
        ("update", "on_break", HTTPStatus.OK, "on_break", 0),
    ],
)
def test_every_action_in_every_state(
    mctime, member, action, state, status, state_after, entries_after
):
    make_state(member, state)
    before = snapshot(member)
    # update takes no dateTime (it would be refused); every other action gets one.
    when = {} if action == "update" else {"dateTime": ACTION_AT}
    body = {"action": action, **when, "comment": "changed"}
    response = mctime(member).post(CLOCK_URL, body, format="json")
    assert response.status_code == status, response.json()
    assert response.json()["valid"] is (status == HTTPStatus.OK)
    assert clock_state(member) == state_after
    assert TimeEntry.objects.filter(user=member).count() == entries_after
    if status != HTTPStatus.OK:
        assert snapshot(member) == before


def test_start_answers_the_running_clock(mctime, member):
    organization = OrganizationFactory(name="Project ABC")
    response = mctime(member).post(
        CLOCK_URL,
        {
            "action": "start",
            "dateTime": "2026-05-04T09:05:35+03:00",
            "timeType": "home_office",
            "comment": "Test",
            "organizationId": str(organization.pk),
        },
        format="json",
    )
    assert response.status_code == HTTPStatus.OK
    # Rendered in the user's zone (Europe/Berlin), whatever offset the client sent.
    assert response.json() == success(
        {
            "userId": str(member.uuid),
            "userFirstName": "Bob",
            "userLastName": "Member",
            "clockedIn": True,
            "onBreak": False,
            "from": "2026-05-04T08:05:35+02:00",
            "timeType": "home_office",
            "organization": {"id": str(organization.pk), "name": "Project ABC"},
            "comment": "Test",
            "breaks": [],
        }
    )
    clock = Clock.objects.get(user=member)
    assert clock.started_at == at("2026-05-04T06:05:35+00:00")


def test_start_defaults_to_work_and_now(mctime, member):
    with time_machine.travel(at("2026-05-04T07:30:12+00:00"), tick=False):
        response = mctime(member).post(CLOCK_URL, {"action": "start"}, format="json")
    assert response.status_code == HTTPStatus.OK
    data = response.json()["items"][0]["data"]
    assert (data["from"], data["timeType"], data["organization"]) == (
        "2026-05-04T09:30:12+02:00",
        "work",
        None,
    )


def test_second_start_is_refused_with_the_envelope(mctime, member):
    make_state(member, "running")
    response = mctime(member).post(
        CLOCK_URL, {"action": "start", "dateTime": ACTION_AT}, format="json"
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == failure(
        f"User {member.uuid} already has a running clock; stop or cancel it first."
    )


def test_break_opens_and_closes(mctime, member):
    make_state(member, "running")
    client = mctime(member)
    opened = client.post(CLOCK_URL, {"action": "break", "dateTime": BREAK_START}, format="json")
    assert opened.json()["items"][0]["data"]["onBreak"] is True
    closed = client.post(
        CLOCK_URL, {"action": "break", "dateTime": "2026-05-04T10:30:00+02:00"}, format="json"
    )
    data = closed.json()["items"][0]["data"]
    assert data["onBreak"] is False
    assert data["breaks"] == [
        {"from": "2026-05-04T10:00:00+02:00", "to": "2026-05-04T10:30:00+02:00"}
    ]


@pytest.mark.parametrize(
    ("state", "when", "message"),
    [
        (
            "running",
            "2026-05-04T07:59:59+02:00",
            "dateTime: a break cannot start before the clock's start or the end of a previous "
            "break (2026-05-04T08:00:00+02:00).",
        ),
        (
            "on_break",
            BREAK_START,
            "dateTime: the break must end after it started (2026-05-04T10:00:00+02:00).",
        ),
    ],
)
def test_break_times_must_move_forward(mctime, member, state, when, message):
    make_state(member, state)
    before = snapshot(member)
    response = mctime(member).post(CLOCK_URL, {"action": "break", "dateTime": when}, format="json")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == failure(message)
    assert snapshot(member) == before


def test_break_cannot_start_before_a_previous_break_ended(mctime, member):
    clock = ClockFactory(user=member, started_at=at(START))
    ClockBreakFactory(
        clock=clock, started_at=at(BREAK_START), ended_at=at("2026-05-04T10:30:00+02:00")
    )
    response = mctime(member).post(
        CLOCK_URL, {"action": "break", "dateTime": "2026-05-04T10:29:00+02:00"}, format="json"
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert ClockBreak.objects.filter(clock=clock).count() == 1


def test_stop_on_break_closes_the_break_and_answers_the_entry(mctime, member):
    make_state(member, "on_break")
    response = mctime(member).post(
        CLOCK_URL, {"action": "stop", "dateTime": ACTION_AT}, format="json"
    )
    assert response.status_code == HTTPStatus.OK
    entry = TimeEntry.objects.get(user=member)
    brk = entry.breaks.get()
    assert response.json() == success(
        {
            "id": str(entry.pk),
            "from": "2026-05-04T08:00:00+02:00",
            "to": "2026-05-04T12:00:00+02:00",
            "breaks": [
                {
                    "id": str(brk.pk),
                    "from": "2026-05-04T10:00:00+02:00",
                    "to": "2026-05-04T12:00:00+02:00",
                    "automatic": False,
                }
            ],
            "comment": "focus",
            "type": "work",
            "organizationName": None,
            "userId": str(member.uuid),
            "category": "productive",
            "creationType": "clock",
            "approvalStatus": "not_approved_yet",
            "valid": True,
        }
    )


def test_stop_at_the_instant_a_break_opened_drops_the_empty_break(mctime, member):
    make_state(member, "on_break")
    response = mctime(member).post(
        CLOCK_URL, {"action": "stop", "dateTime": BREAK_START}, format="json"
    )
    assert response.status_code == HTTPStatus.OK
    assert response.json()["items"][0]["data"]["breaks"] == []


def test_stop_applies_given_changes(mctime, member):
    make_state(member, "running")
    OrganizationFactory(name="Project XYZ")
    response = mctime(member).post(
        CLOCK_URL,
        {
            "action": "stop",
            "dateTime": ACTION_AT,
            "timeType": "travel",
            "organizationName": "Project XYZ",
        },
        format="json",
    )
    data = response.json()["items"][0]["data"]
    assert (data["type"], data["organizationName"], data["comment"]) == (
        "travel",
        "Project XYZ",
        "focus",
    )


@pytest.mark.parametrize("when", [START, "2026-05-04T07:00:00+02:00"])
def test_stop_before_or_at_start_is_refused(mctime, member, when):
    make_state(member, "running")
    before = snapshot(member)
    response = mctime(member).post(CLOCK_URL, {"action": "stop", "dateTime": when}, format="json")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == failure(
        "dateTime: the clock must stop after it started (2026-05-04T08:00:00+02:00)."
    )
    assert snapshot(member) == before


def test_cancel_discards_the_clock_and_answers_what_it_was(mctime, member):
    make_state(member, "on_break")
    response = mctime(member).post(CLOCK_URL, {"action": "cancel"}, format="json")
    assert response.status_code == HTTPStatus.OK
    assert response.json() == success(
        {
            "userId": str(member.uuid),
            "userFirstName": "Bob",
            "userLastName": "Member",
            "clockedIn": False,
            "onBreak": False,
            "from": START,
            "timeType": "work",
            "organization": None,
            "comment": "focus",
            "breaks": [{"from": BREAK_START, "to": None}],
        }
    )
    assert not Clock.objects.exists()
    assert not ClockBreak.objects.exists()
    assert not TimeEntry.objects.exists()


def test_update_changes_type_comment_and_organization(mctime, member):
    make_state(member, "running")
    first = OrganizationFactory(name="Project XYZ")
    OrganizationFactory(name="Project XYZ")  # a younger namesake: the oldest one wins
    response = mctime(member).post(
        CLOCK_URL,
        {
            "action": "update",
            "timeType": "travel",
            "comment": "",
            "organizationName": "Project XYZ",
        },
        format="json",
    )
    assert response.status_code == HTTPStatus.OK
    clock = Clock.objects.get(user=member)
    assert (clock.time_type, clock.comment, clock.organization) == ("travel", "", first)
    assert clock.started_at == at(START)


def test_update_organization_id_wins_over_name(mctime, member):
    make_state(member, "running")
    named = OrganizationFactory(name="By name")
    by_id = OrganizationFactory(name="By id")
    mctime(member).post(
        CLOCK_URL,
        {"action": "update", "organizationName": named.name, "organizationId": str(by_id.pk)},
        format="json",
    )
    assert Clock.objects.get(user=member).organization == by_id


def test_update_with_null_organization_removes_it(mctime, member):
    clock = ClockFactory(user=member, started_at=at(START), organization=OrganizationFactory())
    mctime(member).post(CLOCK_URL, {"action": "update", "organizationId": None}, format="json")
    clock.refresh_from_db()
    assert clock.organization is None


def test_update_without_changes_is_refused(mctime, member):
    make_state(member, "running")
    response = mctime(member).post(CLOCK_URL, {"action": "update"}, format="json")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == failure(
        "update needs timeType, comment, organizationId or organizationName."
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"action": "start", "organizationId": "c8abcde9-55fe-4019-9846-54bfaa94ec10"},
         "organizationId: organization c8abcde9-55fe-4019-9846-54bfaa94ec10 not found."),
        ({"action": "start", "organizationName": "Nowhere"},
         "organizationName: no organization named 'Nowhere'."),
    ],
)  # fmt: skip
def test_unknown_organization_is_not_found(mctime, member, body, message):
    response = mctime(member).post(CLOCK_URL, body, format="json")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json() == failure(message)
    assert not Clock.objects.exists()


def test_trailing_slash_is_accepted(mctime, member):
    response = mctime(member).post(f"{CLOCK_URL}/", {"action": "start"}, format="json")
    assert response.status_code == HTTPStatus.OK
