"""POST /users/presences: create a presence for the key's (or impersonated) user."""

import datetime as dt
from http import HTTPStatus

import pytest
import time_machine

from presences.models import Presence
from tests.factories import PresenceFactory
from tests.presences.conftest import LIST_URL, intervals, snapshot

DAY = dt.date(2026, 5, 4)


@time_machine.travel(dt.datetime(2026, 5, 4, 10, 0, 5, tzinfo=dt.UTC), tick=False)
def test_create_answers_201_with_the_presence(moco, member):
    response = moco(member).post(
        LIST_URL, {"date": "2026-05-04", "from": "08:00", "to": "10:00"}, format="json"
    )

    assert response.status_code == HTTPStatus.CREATED
    presence = Presence.objects.get()
    assert response.json() == {
        "id": presence.pk,
        "date": "2026-05-04",
        "from": "08:00",
        "to": "10:00",
        "is_home_office": False,
        "user": {"id": member.pk, "firstname": "Bob", "lastname": "Member"},
        "created_at": "2026-05-04T10:00:05Z",
        "updated_at": "2026-05-04T10:00:05Z",
    }
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    "body",
    [
        {"date": "2026-05-04", "from": "08:00"},  # moco-py leaves `to` out
        {"date": "2026-05-04", "from": "08:00", "to": None},  # moco-wrapper sends null
    ],
)
def test_create_without_to_leaves_the_presence_open(moco, member, body):
    response = moco(member).post(LIST_URL, body, format="json")

    assert response.status_code == HTTPStatus.CREATED
    assert response.json()["to"] is None
    assert intervals(member) == [("2026-05-04", "08:00", None)]


@pytest.mark.parametrize("path", [LIST_URL, LIST_URL + "/"])
def test_create_accepts_path_with_and_without_trailing_slash(moco, member, path):
    response = moco(member).post(path, {"date": "2026-05-04", "from": "08:00"}, format="json")

    assert response.status_code == HTTPStatus.CREATED


def test_create_accepts_seconds_of_zero_and_single_digit_hours(moco, member):
    response = moco(member).post(
        LIST_URL, {"date": "2026-05-04", "from": "8:00", "to": "12:30:00"}, format="json"
    )

    assert response.status_code == HTTPStatus.CREATED
    assert (response.json()["from"], response.json()["to"]) == ("08:00", "12:30")


@pytest.mark.parametrize("user_fixture", ["admin", "member", "other_member"])
def test_create_is_always_for_the_keys_user(request, moco, user_fixture, member):
    user = request.getfixturevalue(user_fixture)

    response = moco(user).post(
        LIST_URL,
        # Unknown fields (and an attempt to name another user) are ignored.
        {"date": "2026-05-04", "from": "08:00", "user_id": member.pk, "id": 99, "foo": 1},
        format="json",
    )

    assert response.status_code == HTTPStatus.CREATED
    assert response.json()["user"]["id"] == user.pk
    assert Presence.objects.get().user == user


def test_create_without_key_is_401(moco):
    response = moco(None).post(LIST_URL, {"date": "2026-05-04", "from": "08:00"}, format="json")

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert set(response.json()) == {"message"}
    assert not Presence.objects.exists()


def test_admin_creates_for_impersonated_user_and_history_names_the_admin(moco, admin, member):
    client = moco(admin, HTTP_X_IMPERSONATE_USER_ID=str(member.pk))

    response = client.post(LIST_URL, {"date": "2026-05-04", "from": "08:00"}, format="json")

    assert response.status_code == HTTPStatus.CREATED
    assert response.json()["user"]["id"] == member.pk
    presence = Presence.objects.get()
    assert presence.user == member
    assert presence.history.get().history_user == admin


@pytest.mark.parametrize(
    ("caller", "target", "status"),
    [
        ("member", "other_member", HTTPStatus.FORBIDDEN),
        ("member", "unknown", HTTPStatus.FORBIDDEN),
        ("admin", "unknown", HTTPStatus.NOT_FOUND),
    ],
)
def test_impersonation_is_for_admins_and_known_users(request, moco, caller, target, status):
    user = request.getfixturevalue(caller)
    target_id = "999999" if target == "unknown" else str(request.getfixturevalue(target).pk)
    client = moco(user, HTTP_X_IMPERSONATE_USER_ID=target_id)

    response = client.post(LIST_URL, {"date": "2026-05-04", "from": "08:00"}, format="json")

    assert response.status_code == status
    assert list(response.json()) == ["message"]
    assert not Presence.objects.exists()


def test_home_office_sets_the_whole_day(moco, member):
    morning = PresenceFactory(user=member, date=DAY, from_time=dt.time(8), to_time=dt.time(12))
    other_day = PresenceFactory(user=member, date=DAY + dt.timedelta(days=1))

    response = moco(member).post(
        LIST_URL,
        {"date": "2026-05-04", "from": "13:00", "to": "17:00", "is_home_office": True},
        format="json",
    )

    assert response.status_code == HTTPStatus.CREATED
    morning.refresh_from_db()
    other_day.refresh_from_db()
    assert (morning.is_home_office, other_day.is_home_office) == (True, False)
    assert morning.history.count() == 2  # the day-wide change is in the history too


def test_create_without_home_office_joins_the_days_value(moco, member):
    PresenceFactory(user=member, date=DAY, is_home_office=True)

    response = moco(member).post(
        LIST_URL, {"date": "2026-05-04", "from": "13:00", "to": "17:00"}, format="json"
    )

    assert response.json()["is_home_office"] is True
    assert set(Presence.objects.values_list("is_home_office", flat=True)) == {True}


def test_create_accepts_a_form_encoded_body_without_resetting_home_office(moco, member):
    PresenceFactory(user=member, date=DAY, is_home_office=True)

    response = moco(member).post(LIST_URL, {"date": "2026-05-04", "from": "13:00"})

    assert response.status_code == HTTPStatus.CREATED
    assert response.json()["is_home_office"] is True


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"from": "08:00"}, "date"),
        ({"date": "2026-05-04"}, "from"),
        ({"date": "2026-05-04", "from": "25:00"}, "from"),
        ({"date": "2026-05-04", "from": "08:60"}, "from"),
        ({"date": "2026-05-04", "from": "8am"}, "from"),
        ({"date": "2026-05-04", "from": "08:00:30"}, "from"),
        ({"date": "2026-05-04", "from": 800}, "from"),
        ({"date": "2026-05-04", "from": None}, "from"),
        ({"date": "2026-05-04", "from": ""}, "from"),
        ({"date": "2026-05-04", "from": "08:00", "to": "24:00"}, "to"),
        ({"date": "2026-05-04", "from": "08:00", "to": "7pm"}, "to"),
        ({"date": "2026-05-04", "from": "08:00", "to": "08:00"}, "to"),
        ({"date": "2026-05-04", "from": "08:00", "to": "07:59"}, "to"),
        ({"date": "2018-02-30", "from": "08:00"}, "date"),
        ({"date": "04.05.2026", "from": "08:00"}, "date"),
        ({"date": "2026-05-04T08:00:00", "from": "08:00"}, "date"),
        ({"date": None, "from": "08:00"}, "date"),
        ({"date": "2026-05-04", "from": "08:00", "is_home_office": "maybe"}, "is_home_office"),
    ],
)
def test_bad_input_is_422_naming_the_field_and_changes_nothing(moco, member, body, field):
    PresenceFactory(user=member, date=DAY - dt.timedelta(days=1))
    before = snapshot()

    response = moco(member).post(LIST_URL, body, format="json")

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert list(response.json()) == ["message"]
    assert response.json()["message"].startswith(f"{field}: ")
    assert snapshot() == before


@pytest.mark.parametrize(
    ("raw", "content_type"),
    [
        (b"{not json", "application/json"),
        (b'["2026-05-04", "08:00"]', "application/json"),
        (b'"2026-05-04"', "application/json"),
        (b"null", "application/json"),
        (b"", "application/json"),
        (b"\xff\xfe", "application/json"),
    ],
)
def test_malformed_body_is_422_never_500(moco, member, raw, content_type):
    response = moco(member).generic("POST", LIST_URL, raw, content_type=content_type)

    assert response.status_code in (HTTPStatus.BAD_REQUEST, HTTPStatus.UNPROCESSABLE_ENTITY)
    assert list(response.json()) == ["message"]
    assert not Presence.objects.exists()


def test_body_in_an_unsupported_media_type_is_415(moco, member):
    response = moco(member).generic(
        "POST", LIST_URL, b"<presence/>", content_type="application/xml"
    )

    assert response.status_code == HTTPStatus.UNSUPPORTED_MEDIA_TYPE
    assert list(response.json()) == ["message"]
    assert not Presence.objects.exists()
