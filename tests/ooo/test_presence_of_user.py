from datetime import UTC, datetime
from http import HTTPStatus

import time_machine

from tests.factories import OutOfOfficeFactory, TeamFactory
from tests.ooo.conftest import assert_links_resolve, at


def test_get_presence_of_user_lists_their_presences_newest_first(huddle, member, other_member):
    with time_machine.travel(datetime(2022, 4, 1, tzinfo=UTC), tick=False):
        older = OutOfOfficeFactory(
            user=member,
            start_date=at("2022-04-19T16:30:29+00:00"),
            end_date=at("2022-04-20T16:30:29+00:00"),
        )
    with time_machine.travel(datetime(2022, 4, 2, tzinfo=UTC), tick=False):
        newer = OutOfOfficeFactory(user=member, is_active=False, message="")
    OutOfOfficeFactory(user=other_member)
    client = huddle(member)

    response = client.get(f"/presence/{member.pk}")

    assert response.status_code == HTTPStatus.OK
    user_href = f"http://testserver/users/{member.pk}"
    assert response.json() == {
        "links": [
            {"rel": "self", "href": f"http://testserver/presence/{member.pk}"},
            {"rel": "first", "href": f"http://testserver/presence/{member.pk}?page=1"},
        ],
        "presenceEntities": [
            {
                "links": [
                    {"rel": "user", "href": user_href},
                    {
                        "rel": "presence",
                        "href": f"http://testserver/presence/{member.pk}/{newer.pk}",
                    },
                ],
                "isActive": False,
                "startDate": None,
                "endDate": None,
                "message": "",
            },
            {
                "links": [
                    {"rel": "user", "href": user_href},
                    {
                        "rel": "presence",
                        "href": f"http://testserver/presence/{member.pk}/{older.pk}",
                    },
                ],
                "isActive": True,
                "startDate": "2022-04-19T16:30:29+00:00",
                "endDate": "2022-04-20T16:30:29+00:00",
                "message": "out of office",
            },
        ],
    }
    assert_links_resolve(client, response.json()["links"])
    for entity in response.json()["presenceEntities"]:
        assert_links_resolve(client, entity["links"])


def test_get_presence_of_user_with_no_presences_is_empty(huddle, member):
    response = huddle(member).get(f"/presence/{member.pk}/")

    assert response.status_code == HTTPStatus.OK
    assert response.json()["presenceEntities"] == []


def test_admin_may_get_anyones_presences(huddle, admin, member):
    OutOfOfficeFactory(user=member)

    response = huddle(admin).get(f"/presence/{member.pk}")

    assert response.status_code == HTTPStatus.OK
    assert len(response.json()["presenceEntities"]) == 1


def test_get_one_presence_answers_self_user_and_presence_links(huddle, member):
    presence = OutOfOfficeFactory(user=member, start_date=at("2022-04-19T16:30:29+00:00"))
    client = huddle(member)
    href = f"http://testserver/presence/{member.pk}/{presence.pk}"

    response = client.get(href)

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {
        "links": [
            {"rel": "self", "href": href},
            {"rel": "user", "href": f"http://testserver/users/{member.pk}"},
            {"rel": "presence", "href": href},
        ],
        "isActive": True,
        "startDate": "2022-04-19T16:30:29+00:00",
        "endDate": None,
        "message": "out of office",
    }


def test_teammate_may_follow_a_presence_link_and_list_the_users_presences(
    huddle, member, other_member
):
    TeamFactory(members=[member, other_member])
    presence = OutOfOfficeFactory(user=other_member)
    client = huddle(member)

    assert client.get(f"/presence/{other_member.pk}/{presence.pk}").status_code == HTTPStatus.OK
    listing = client.get(f"/presence/{other_member.pk}")
    assert listing.status_code == HTTPStatus.OK
    assert len(listing.json()["presenceEntities"]) == 1


def test_get_one_presence_of_another_user_path_is_presence_not_found(
    huddle, admin, member, other_member
):
    presence = OutOfOfficeFactory(user=other_member)

    response = huddle(admin).get(f"/presence/{member.pk}/{presence.pk}")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json()["errorCode"] == "PresenceNotFound"


def test_get_one_presence_of_a_stranger_is_user_not_found(huddle, member, other_member):
    presence = OutOfOfficeFactory(user=other_member)

    response = huddle(member).get(f"/presence/{other_member.pk}/{presence.pk}")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json()["errorCode"] == "UserNotFound"
