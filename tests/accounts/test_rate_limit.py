"""Per-API-key quotas per dialect (docs/decisions.md): 429 + Retry-After in the dialect's format.

Time is frozen 20 seconds into a 60-second window, so the window cannot roll over between
requests and Retry-After is exactly 40.
"""

from datetime import UTC, datetime, timedelta
from http import HTTPStatus

import pytest

from accounts.services import create_api_key
from tests.accounts.test_dialects import PROBE_URLCONF

START = datetime(2025, 3, 10, 9, 0, 20, tzinfo=UTC)
RETRY_AFTER = 40
MESSAGE = f"Rate limit exceeded; try again in {RETRY_AFTER} seconds."

# ProSonata has no foundation endpoint; its quota is proven on the probe view of
# test_dialects.py (same dialect mixin as the workingtimes views will use).
PATHS = {
    "moco": "/api/v1/users",
    "huddle": "/users/{id}",
    "mctime": "/api/v2/auth/users",
    "prosonata": "/_probe/prosonata/ok",
}

TOO_MANY = {
    "moco": {"message": MESSAGE},
    "huddle": {"statusCode": 429, "errorCode": "TooManyRequests", "errorMessages": [MESSAGE]},
    "mctime": {"items": [{"message": MESSAGE, "data": None}], "valid": False},
    "prosonata": {
        "meta": {
            "status": 429,
            "message": MESSAGE,
            "apiLimitRemaining": 0,
            "apiLimitReset": RETRY_AFTER,
        },
        "data": [],
    },
}

AUTH = {
    "moco": lambda key: {"HTTP_AUTHORIZATION": f"Token token={key}"},
    "huddle": lambda key: {"HTTP_AUTHORIZATION": f"Bearer {key}"},
    "mctime": lambda key: {"HTTP_API_KEY": key},
    "prosonata": lambda key: {"HTTP_X_API_KEY": key},
}


@pytest.fixture
def quota_of_three(settings, time_machine):  # type: ignore[no-untyped-def]
    settings.RATE_LIMITS = dict.fromkeys(PATHS, "3/60")
    time_machine.move_to(START, tick=False)


def get(api_client, dialect, key, user):  # type: ignore[no-untyped-def]
    client = api_client(None, dialect, **AUTH[dialect](key))
    return client.get(PATHS[dialect].format(id=user.pk))


pytestmark = [pytest.mark.urls(PROBE_URLCONF), pytest.mark.usefixtures("quota_of_three")]


@pytest.mark.parametrize("dialect", list(PATHS))
def test_the_fourth_request_in_a_window_is_429_in_the_dialects_format(api_client, member, dialect):
    _, key = create_api_key(user=member)
    statuses = [get(api_client, dialect, key, member).status_code for _ in range(3)]

    response = get(api_client, dialect, key, member)

    assert statuses == [HTTPStatus.OK] * 3
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert response["Retry-After"] == str(RETRY_AFTER)
    assert response["Content-Type"] == "application/json"
    assert response.json() == TOO_MANY[dialect]


@pytest.mark.parametrize("dialect", list(PATHS))
def test_another_key_of_the_same_user_is_unaffected(api_client, member, dialect):
    _, exhausted = create_api_key(user=member)
    _, fresh = create_api_key(user=member)
    for _ in range(4):
        get(api_client, dialect, exhausted, member)

    assert get(api_client, dialect, exhausted, member).status_code == 429
    assert [get(api_client, dialect, fresh, member).status_code for _ in range(3)] == [200] * 3
    assert get(api_client, dialect, fresh, member).status_code == 429


@pytest.mark.parametrize(("exhausted", "other"), [("moco", "mctime"), ("huddle", "prosonata")])
def test_each_dialect_counts_its_own_quota(api_client, member, exhausted, other):
    _, key = create_api_key(user=member)
    for _ in range(4):
        get(api_client, exhausted, key, member)

    assert get(api_client, exhausted, key, member).status_code == 429
    assert get(api_client, other, key, member).status_code == 200


@pytest.mark.parametrize("dialect", list(PATHS))
def test_the_quota_is_back_in_the_next_window(api_client, member, time_machine, dialect):
    _, key = create_api_key(user=member)
    for _ in range(4):
        get(api_client, dialect, key, member)
    time_machine.move_to(START + timedelta(seconds=RETRY_AFTER - 1), tick=False)
    assert get(api_client, dialect, key, member).status_code == 429

    time_machine.move_to(START + timedelta(seconds=RETRY_AFTER), tick=False)

    assert get(api_client, dialect, key, member).status_code == 200


def test_huddle_reports_the_remaining_quota_on_every_response(api_client, member):
    _, key = create_api_key(user=member)

    responses = [get(api_client, "huddle", key, member) for _ in range(4)]

    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert [r["X-RateLimit-Limit"] for r in responses] == ["3"] * 4
    assert [r["X-RateLimit-Remaining"] for r in responses] == ["2", "1", "0", "0"]
    assert [r.get("Retry-After") for r in responses] == [None, None, "40", "40"]


def test_huddle_reports_the_quota_on_errors_too(api_client, member):
    _, key = create_api_key(user=member)
    client = api_client(None, "huddle", **AUTH["huddle"](key))

    response = client.get("/users/999999")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert (response["X-RateLimit-Limit"], response["X-RateLimit-Remaining"]) == ("3", "2")


def test_prosonata_reports_the_remaining_quota_in_meta(api_client, member):
    _, key = create_api_key(user=member)

    metas = [get(api_client, "prosonata", key, member).json()["meta"] for _ in range(3)]

    assert [(m["apiLimitRemaining"], m["apiLimitReset"]) for m in metas] == [
        (2, RETRY_AFTER),
        (1, RETRY_AFTER),
        (0, RETRY_AFTER),
    ]


def test_failed_authentication_does_not_use_up_a_quota(api_client, member):
    _, key = create_api_key(user=member)
    for _ in range(5):
        assert get(api_client, "moco", key + "x", member).status_code == 401

    assert [get(api_client, "moco", key, member).status_code for _ in range(3)] == [200] * 3


def test_a_dialect_without_a_quota_is_unlimited(api_client, member, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "moco": ""}
    _, key = create_api_key(user=member)

    assert {get(api_client, "moco", key, member).status_code for _ in range(5)} == {200}
