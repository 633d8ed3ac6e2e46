"""Huddle compatibility: fractions in range checks, creators, consistent visibility, the
vendor media type, and member lists of deleted teams / archived workspaces."""

import json
from http import HTTPStatus

import pytest

from accounts.models import Workspace
from ooo.models import OutOfOffice
from tests.factories import OutOfOfficeFactory, TeamFactory, UserFactory, WorkspaceFactory

HUDDLE_JSON = "application/vnd.huddle.data+json"

# --- fractions of a second count when comparing startDate and endDate ------------------


@pytest.fixture
def team(member, other_member):  # type: ignore[no-untyped-def]
    return TeamFactory(members=[member, other_member])


def _range_requests(member, team):  # type: ignore[no-untyped-def]
    me = {"links": [{"rel": "user", "href": f"/users/{member.pk}"}]}
    return [
        ("post", "/presence", me),
        ("post", f"/presence/teams/{team.pk}", {}),
        ("post", "/presence/create", {"isActive": True}),
    ]


@pytest.mark.parametrize("index", [0, 1, 2], ids=["by-users", "by-team", "create"])
def test_fractions_count_when_end_is_before_start(huddle, member, team, index):
    method, url, body = _range_requests(member, team)[index]
    dates = {"startDate": "2022-04-19T16:30:29.5Z", "endDate": "2022-04-19T16:30:29.1Z"}

    response = getattr(huddle(member), method)(url, {**body, **dates}, format="json")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["errorCode"] == "DateRangeInvalid"
    assert not OutOfOffice.objects.exists()


def test_fractions_count_in_the_get_form_of_a_range_query(huddle, member, team):
    response = huddle(member).get(
        f"/presence/teams/{team.pk}?startDate=2022-04-19T16:30:29.5Z&endDate=2022-04-19T16:30:29.1Z"
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["errorCode"] == "DateRangeInvalid"


def test_fractions_count_on_update(huddle, member):
    presence = OutOfOfficeFactory(user=member)

    response = huddle(member).put(
        f"/presence/{member.pk}/{presence.pk}",
        {
            "isActive": True,
            "startDate": "2022-04-19T16:30:29.5Z",
            "endDate": "2022-04-19T16:30:29.1Z",
        },
        format="json",
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["errorCode"] == "PresenceDateInvalid"


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2022-04-19T16:30:29.1Z", "2022-04-19T16:30:29.5Z"),
        ("2022-04-19T16:30:29.5Z", "2022-04-19T16:30:29.5Z"),
        ("2022-04-19T16:30:29Z", "2022-04-19T18:30:29.9+02:00"),
    ],
)
def test_a_range_whose_end_is_not_before_its_start_is_accepted(huddle, member, start, end):
    response = huddle(member).post(
        "/presence/create", {"isActive": True, "startDate": start, "endDate": end}, format="json"
    )

    assert response.status_code == HTTPStatus.CREATED, response.json()


# --- creators may query ------------------------------------------------------------------


def test_team_creator_who_is_not_a_member_gets_the_presences(huddle, member, other_member):
    creator = UserFactory(username="creator")
    team = TeamFactory(members=[member, other_member], created_by=creator)
    OutOfOfficeFactory(user=member)
    OutOfOfficeFactory(user=other_member)

    response = huddle(creator).post(f"/presence/teams/{team.pk}", {}, format="json")
    shown = huddle(creator).get(f"/teams/{team.pk}")

    assert response.status_code == HTTPStatus.OK, response.json()
    assert len(response.json()["presenceEntities"]) == 2
    assert shown.status_code == HTTPStatus.OK
    # Every link of the answer resolves for the creator too.
    for entity in response.json()["presenceEntities"]:
        for item in entity["links"]:
            assert huddle(creator).get(item["href"]).status_code == HTTPStatus.OK, item


def test_workspace_creator_who_is_not_a_member_gets_the_presences(huddle, member):
    creator = UserFactory(username="creator")
    workspace = WorkspaceFactory(members=[member], created_by=creator)
    OutOfOfficeFactory(user=member)

    response = huddle(creator).post(f"/presence/workspace/{workspace.pk}", {}, format="json")

    assert response.status_code == HTTPStatus.OK, response.json()
    assert len(response.json()["presenceEntities"]) == 1


@pytest.mark.parametrize("kind", ["teams", "workspace"])
def test_neither_creator_nor_member_is_still_refused(huddle, member, other_member, kind):
    if kind == "teams":
        group = TeamFactory(members=[other_member], created_by=other_member)
        code = "TeamMembershipRequired"
    else:
        group = WorkspaceFactory(members=[other_member], created_by=other_member)
        code = "WorkspaceMembershipRequired"

    response = huddle(member).post(f"/presence/{kind}/{group.pk}", {}, format="json")

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert response.json()["errorCode"] == code


# --- consistent visibility ----------------------------------------------------------------


def test_teammate_gets_the_users_presences_and_audits(huddle, member, other_member, team):
    presence = OutOfOfficeFactory(user=other_member)
    client = huddle(member)

    one = client.get(f"/presence/{other_member.pk}/{presence.pk}")
    by_range = client.post(
        "/presence",
        {"links": [{"rel": "user", "href": f"/users/{other_member.pk}"}]},
        format="json",
    )
    listing = client.get(f"/presence/{other_member.pk}")
    audits = client.get(f"/presence/{other_member.pk}/audits")

    assert [r.status_code for r in (one, by_range, listing, audits)] == [HTTPStatus.OK] * 4
    assert len(by_range.json()["presenceEntities"]) == 1
    assert len(listing.json()["presenceEntities"]) == 1
    assert len(audits.json()["audits"]) == 1


@pytest.mark.parametrize("path", ["/presence/{pk}", "/presence/{pk}/audits"])
def test_a_stranger_still_gets_user_not_found(huddle, member, other_member, path):
    OutOfOfficeFactory(user=other_member)

    response = huddle(member).get(path.format(pk=other_member.pk))

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json()["errorCode"] == "UserNotFound"


def test_a_teammate_still_may_not_change_the_users_presence(huddle, member, other_member, team):
    presence = OutOfOfficeFactory(user=other_member)

    response = huddle(member).put(
        f"/presence/{other_member.pk}/{presence.pk}", {"isActive": False}, format="json"
    )

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert response.json()["errorCode"] == "InsufficientPermission"


# --- the vendor media type ---------------------------------------------------------------


def test_vendor_media_type_is_accepted_as_json_in_and_out(huddle, member):
    response = huddle(member).post(
        "/presence/create",
        data=json.dumps({"isActive": True, "message": "away"}),
        content_type=HUDDLE_JSON,
        HTTP_ACCEPT=HUDDLE_JSON,
    )

    assert response.status_code == HTTPStatus.CREATED, response.content
    assert response["Content-Type"].startswith(HUDDLE_JSON)
    assert json.loads(response.content)["message"] == "away"
    assert OutOfOffice.objects.get().message == "away"


@pytest.mark.parametrize(
    "accept", [HUDDLE_JSON, f"{HUDDLE_JSON}; charset=utf-8", "application/json"]
)
def test_vendor_accept_header_gets_json(huddle, member, accept):
    response = huddle(member).get(f"/presence/{member.pk}", HTTP_ACCEPT=accept)

    assert response.status_code == HTTPStatus.OK
    assert json.loads(response.content)["presenceEntities"] == []


def test_vendor_media_type_errors_are_huddle_errors(huddle, member):
    response = huddle(member).post(
        "/presence/create",
        data="{not json",
        content_type=HUDDLE_JSON,
        HTTP_ACCEPT=HUDDLE_JSON,
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert set(json.loads(response.content)) == {"statusCode", "errorCode", "errorMessages"}


# --- member lists of deleted teams and archived workspaces ------------------------------


def test_deleted_teams_member_list_does_not_confirm_invisible_users(huddle, member):
    hidden = UserFactory(username="hidden")
    team = TeamFactory(members=[member, hidden], is_deleted=True)

    response = huddle(member).get(f"/teams/{team.pk}")

    assert response.status_code == HTTPStatus.OK
    hrefs = [item["href"] for item in response.json()["links"] if item["rel"] == "user"]
    assert hrefs == [f"http://testserver/users/{member.pk}"]


@pytest.mark.parametrize("state", [Workspace.State.ARCHIVED, Workspace.State.LOCKED])
def test_inactive_workspaces_member_list_does_not_confirm_invisible_users(huddle, member, state):
    hidden = UserFactory(username="hidden")
    workspace = WorkspaceFactory(members=[member, hidden], state=state)

    response = huddle(member).get(f"/workspaces/{workspace.pk}")

    assert response.status_code == HTTPStatus.OK
    hrefs = [item["href"] for item in response.json()["links"] if item["rel"] == "user"]
    assert hrefs == [f"http://testserver/users/{member.pk}"]


def test_member_list_still_shows_visible_members_and_admins_see_all(huddle, admin, member):
    mate = UserFactory(username="mate")
    team = TeamFactory(members=[member, mate])
    deleted = TeamFactory(members=[member, mate], is_deleted=True)

    mine = huddle(member).get(f"/teams/{team.pk}").json()
    as_admin = huddle(admin).get(f"/teams/{deleted.pk}").json()

    for body in (mine, as_admin):
        users = [item["href"] for item in body["links"] if item["rel"] == "user"]
        assert users == [
            f"http://testserver/users/{member.pk}",
            f"http://testserver/users/{mate.pk}",
        ]
