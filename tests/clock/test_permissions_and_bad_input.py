"""Who may act for whom, and malformed requests: McTime envelope, valid false, no change."""

import uuid
from http import HTTPStatus

import pytest

from clock.models import Clock, TimeEntry
from tests.clock.conftest import CLOCK_URL, TIMES_URL, at, failure, snapshot
from tests.factories import ClockFactory, TimeEntryFactory

UNKNOWN = "c9abc5d9-7c28-42a0-99fa-aae3f51a47b3"
FORBIDDEN = "userId: members may only act for themselves."


def target_uuid(target: str, actor, other) -> str:  # type: ignore[no-untyped-def]
    return {"self": str(actor.uuid), "other": str(other.uuid), "unknown": UNKNOWN}[target]


@pytest.mark.parametrize(
    ("role", "target", "status"),
    [
        ("admin", "self", HTTPStatus.OK),
        ("admin", "other", HTTPStatus.OK),
        ("admin", "unknown", HTTPStatus.NOT_FOUND),
        ("member", "self", HTTPStatus.OK),
        ("member", "other", HTTPStatus.FORBIDDEN),
        ("member", "unknown", HTTPStatus.FORBIDDEN),
    ],
)
@pytest.mark.parametrize("endpoint", ["clock", "times"])
def test_acting_for_users(mctime, admin, member, other_member, role, target, status, endpoint):
    actor = admin if role == "admin" else member
    user_id = target_uuid(target, actor, other_member)
    if endpoint == "clock":
        body = {"action": "start", "userId": user_id}
        response = mctime(actor).post(CLOCK_URL, body, format="json")
    else:
        body = {
            "userId": user_id,
            "times": [{"from": "2026-05-04T08:00:00+02:00", "to": "2026-05-04T09:00:00+02:00"}],
        }
        response = mctime(actor).post(TIMES_URL, body, format="json")
    assert response.status_code == status, response.json()
    if status == HTTPStatus.FORBIDDEN:
        assert response.json() == failure(FORBIDDEN)
    if status == HTTPStatus.NOT_FOUND:
        assert response.json() == failure(f"userId: user {UNKNOWN} not found.")
    expected_owner = {"self": actor, "other": other_member}.get(target)
    owners = (
        list(Clock.objects.values_list("user", flat=True))
        if endpoint == "clock"
        else list(TimeEntry.objects.values_list("user", flat=True))
    )
    assert owners == ([expected_owner.pk] if status == HTTPStatus.OK else [])


def test_clock_list_is_limited_to_what_the_caller_may_see(mctime, admin, member, other_member):
    ClockFactory(user=member, started_at=at("2026-05-04T08:00:00+02:00"))
    ClockFactory(user=other_member, started_at=at("2026-05-04T09:00:00+02:00"))

    def users(client) -> list[str]:  # type: ignore[no-untyped-def]
        return [c["userId"] for c in client.get(CLOCK_URL).json()["items"]]

    assert users(mctime(admin)) == [str(member.uuid), str(other_member.uuid)]
    assert users(mctime(member)) == [str(member.uuid)]


@pytest.mark.parametrize(
    ("method", "url"),
    [("get", CLOCK_URL), ("post", CLOCK_URL), ("get", TIMES_URL), ("post", TIMES_URL),
     ("delete", f"{TIMES_URL}/{UNKNOWN}")],
)  # fmt: skip
def test_without_a_valid_key_answers_401_in_the_envelope(mctime, api_client, method, url):
    anonymous = getattr(mctime(None), method)(url)
    assert anonymous.status_code == HTTPStatus.UNAUTHORIZED
    assert anonymous.json() == failure("Authentication credentials were not provided.")
    wrong = getattr(api_client(None, "mctime", HTTP_API_KEY="abc.def"), method)(url)
    assert wrong.status_code == HTTPStatus.UNAUTHORIZED
    assert wrong.json()["valid"] is False


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"action": "dance"}, HTTPStatus.BAD_REQUEST, 'action: "dance" is not a valid choice.'),
        ({}, HTTPStatus.BAD_REQUEST, "action: This field is required."),
        ({"action": "update", "timeType": "nap"}, HTTPStatus.BAD_REQUEST,
         'timeType: "nap" is not a valid choice.'),
        ({"action": "stop", "dateTime": ""}, HTTPStatus.BAD_REQUEST,
         "dateTime: Datetime has wrong format. Use one of these formats instead: "
         "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."),
        ({"action": "stop", "dateTime": "tomorrow at nine"}, HTTPStatus.BAD_REQUEST,
         "dateTime: Datetime has wrong format. Use one of these formats instead: "
         "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."),
        ({"action": "stop", "dateTime": "2026-05-04T12:00:00"}, HTTPStatus.BAD_REQUEST,
         "dateTime: Datetime must include a time zone offset, e.g. 2022-04-25T08:00:00+03:00."),
        ({"action": "stop", "dateTime": "2026-05-04T07:00:00+02:00"}, HTTPStatus.BAD_REQUEST,
         "dateTime: the clock must stop after it started (2026-05-04T08:00:00+02:00)."),
        ({"action": "start", "dateTime": "2026-05-04T12:00:00+02:00"}, HTTPStatus.BAD_REQUEST,
         "User {uuid} already has a running clock; stop or cancel it first."),
        ({"action": "stop", "userId": "bob"}, HTTPStatus.BAD_REQUEST,
         "userId: Must be a valid UUID."),
        ({"action": "cancel", "userId": "{other}"}, HTTPStatus.FORBIDDEN, FORBIDDEN),
        ({"action": "update", "comment": "x" * 2001}, HTTPStatus.BAD_REQUEST,
         "comment: Ensure this field has no more than 2000 characters."),
        (["action", "stop"], HTTPStatus.BAD_REQUEST,
         "Invalid data. Expected a dictionary, but got list."),
    ],
)  # fmt: skip
def test_bad_clock_requests_change_nothing(mctime, member, other_member, body, status, message):
    ClockFactory(user=member, started_at=at("2026-05-04T08:00:00+02:00"))
    TimeEntryFactory(
        user=member,
        starts_at=at("2026-05-04T06:00:00+02:00"),
        ends_at=at("2026-05-04T10:00:00+02:00"),
    )
    if isinstance(body, dict) and body.get("userId") == "{other}":
        body = {**body, "userId": str(other_member.uuid)}
    before = snapshot(member)
    response = mctime(member).post(CLOCK_URL, body, format="json")
    assert response.status_code == status
    assert response.json() == failure(message.replace("{uuid}", str(member.uuid)))
    assert snapshot(member) == before


def test_break_without_a_clock_is_refused(mctime, member):
    response = mctime(member).post(CLOCK_URL, {"action": "break"}, format="json")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == failure(f"User {member.uuid} has no running clock.")


@pytest.mark.parametrize("url", [CLOCK_URL, TIMES_URL])
def test_malformed_json_changes_nothing(mctime, member, url):
    ClockFactory(user=member, started_at=at("2026-05-04T08:00:00+02:00"))
    before = snapshot(member)
    response = mctime(member).post(url, '{"action": "stop",', content_type="application/json")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    body = response.json()
    assert body["valid"] is False
    assert body["items"][0]["message"].startswith("Malformed request body: JSON parse error")
    assert snapshot(member) == before


def test_unknown_user_for_an_admin_changes_nothing(mctime, admin):
    response = mctime(admin).post(
        CLOCK_URL, {"action": "start", "userId": str(uuid.UUID(UNKNOWN))}, format="json"
    )
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert not Clock.objects.exists()
