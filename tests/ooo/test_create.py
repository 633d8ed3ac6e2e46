from http import HTTPStatus

import pytest

from ooo.models import OutOfOffice
from tests.ooo.conftest import assert_links_resolve, at


def test_create_presence_answers_201_with_links_and_content_location(huddle, member):
    client = huddle(member)
    response = client.post(
        "/presence/create",
        {
            "isActive": True,
            "startDate": "2022-04-19T16:30:29+00:00",
            "endDate": "2022-04-20T16:30:29+00:00",
            "message": "out of office",
        },
        format="json",
    )

    assert response.status_code == HTTPStatus.CREATED
    presence = OutOfOffice.objects.get()
    href = f"http://testserver/presence/{member.pk}/{presence.pk}"
    assert response["Content-Location"] == href
    assert response.json() == {
        "links": [
            {"rel": "self", "href": href},
            {"rel": "user", "href": f"http://testserver/users/{member.pk}"},
        ],
        "isActive": True,
        "startDate": "2022-04-19T16:30:29+00:00",
        "endDate": "2022-04-20T16:30:29+00:00",
        "message": "out of office",
    }
    assert_links_resolve(client, response.json()["links"])
    assert (presence.user, presence.is_active, presence.message) == (member, True, "out of office")
    assert presence.start_date == at("2022-04-19T16:30:29+00:00")
    assert presence.end_date == at("2022-04-20T16:30:29+00:00")


def test_create_presence_with_only_is_active_leaves_dates_open(huddle, member):
    response = huddle(member).post("/presence/create", {"isActive": False}, format="json")

    assert response.status_code == HTTPStatus.CREATED
    body = response.json()
    assert (body["isActive"], body["startDate"], body["endDate"], body["message"]) == (
        False,
        None,
        None,
        "",
    )


@pytest.mark.parametrize(
    ("sent", "rendered"),
    [
        ("2022-04-19T18:30:29+02:00", "2022-04-19T16:30:29+00:00"),
        ("2022-04-19T16:30:29Z", "2022-04-19T16:30:29+00:00"),
        ("2022-04-19T16:30:29.987654+00:00", "2022-04-19T16:30:29+00:00"),
        ("2022-04-19T11:30:29-05:00", "2022-04-19T16:30:29+00:00"),
    ],
)
def test_create_presence_renders_dates_in_utc_with_seconds(huddle, member, sent, rendered):
    response = huddle(member).post(
        "/presence/create", {"isActive": True, "startDate": sent, "endDate": sent}, format="json"
    )

    assert response.status_code == HTTPStatus.CREATED
    assert response.json()["startDate"] == rendered
    assert response.json()["endDate"] == rendered
    assert OutOfOffice.objects.get().start_date == at(rendered)


def test_create_presence_never_invalidates_earlier_ones(huddle, member):
    client = huddle(member)
    for message in ("first", "second"):
        body = {"isActive": True, "startDate": "2022-04-19T16:30:29+00:00", "message": message}
        assert (
            client.post("/presence/create", body, format="json").status_code == HTTPStatus.CREATED
        )

    assert sorted(OutOfOffice.objects.filter(user=member).values_list("message", flat=True)) == [
        "first",
        "second",
    ]
    assert all(OutOfOffice.objects.values_list("is_active", flat=True))


def test_create_presence_accepts_a_message_of_exactly_280_characters(huddle, member):
    response = huddle(member).post(
        "/presence/create", {"isActive": True, "message": "é" * 280}, format="json"
    )

    assert response.status_code == HTTPStatus.CREATED
    assert OutOfOffice.objects.get().message == "é" * 280


def test_create_presence_with_equal_start_and_end_is_valid(huddle, member):
    moment = "2022-04-19T16:30:29+00:00"
    response = huddle(member).post(
        "/presence/create",
        {"isActive": True, "startDate": moment, "endDate": moment},
        format="json",
    )

    assert response.status_code == HTTPStatus.CREATED


def test_create_presence_with_trailing_slash(huddle, member):
    response = huddle(member).post("/presence/create/", {"isActive": True}, format="json")

    assert response.status_code == HTTPStatus.CREATED


def test_create_presence_is_for_the_caller_even_for_admins(huddle, admin):
    response = huddle(admin).post("/presence/create", {"isActive": True}, format="json")

    assert response.status_code == HTTPStatus.CREATED
    assert OutOfOffice.objects.get().user == admin
