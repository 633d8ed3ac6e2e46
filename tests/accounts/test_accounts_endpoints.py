"""The accounts endpoints of each dialect: MOCO and McTime users, McTime organizations,
Huddle users, teams and workspaces (the targets of every Huddle link)."""

from datetime import datetime
from http import HTTPStatus
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Workspace
from tests.factories import OrganizationFactory, TeamFactory, UserFactory, WorkspaceFactory

# 10:00 in Berlin summer time is 08:00 UTC: MOCO's timestamps are UTC with a Z.
CREATED = datetime(2024, 7, 1, 10, 0, 0, tzinfo=ZoneInfo("Europe/Berlin"))
UPDATED = datetime(2024, 12, 24, 18, 30, 15, tzinfo=ZoneInfo("Europe/Berlin"))


def moco_user(user, created="2024-07-01T08:00:00Z", updated="2024-07-01T08:00:00Z"):  # type: ignore[no-untyped-def]
    return {
        "id": user.pk,
        "firstname": user.first_name,
        "lastname": user.last_name,
        "active": user.is_active,
        "extern": False,
        "email": user.email,
        "created_at": created,
        "updated_at": updated,
    }


@pytest.fixture
def cast(time_machine):  # type: ignore[no-untyped-def]
    """Who sees whom. `member` belongs to a team and an active workspace; the others test
    each way of being (in)visible to them."""
    time_machine.move_to(CREATED, tick=False)
    people = {
        name: UserFactory(username=name, first_name=name.title(), last_name="Test")
        for name in (
            "member",
            "team_mate",
            "workspace_mate",
            "both_mate",  # in the team and the workspace: listed once
            "deleted_team_mate",
            "archived_workspace_mate",
            "stranger",
        )
    }
    people["admin"] = UserFactory(username="admin", first_name="Ada", role="admin")
    TeamFactory(members=[people["member"], people["team_mate"], people["both_mate"]])
    TeamFactory(members=[people["member"], people["deleted_team_mate"]], is_deleted=True)
    TeamFactory(members=[people["team_mate"], people["stranger"]])  # not the member's
    WorkspaceFactory(members=[people["member"], people["workspace_mate"], people["both_mate"]])
    WorkspaceFactory(
        members=[people["member"], people["archived_workspace_mate"]],
        state=Workspace.State.ARCHIVED,
    )
    return people


MEMBER_SEES = ["member", "team_mate", "workspace_mate", "both_mate"]
EVERYONE = [
    "member",
    "team_mate",
    "workspace_mate",
    "both_mate",
    "deleted_team_mate",
    "archived_workspace_mate",
    "stranger",
    "admin",
]


@pytest.mark.parametrize(
    ("viewer", "visible"),
    [
        ("admin", EVERYONE),
        ("member", MEMBER_SEES),
        ("stranger", ["stranger", "team_mate"]),
        ("archived_workspace_mate", ["archived_workspace_mate"]),
    ],
)
def test_moco_users_lists_whom_the_caller_may_see(api_client, cast, viewer, visible):
    response = api_client(cast[viewer], "moco").get("/api/v1/users")

    assert response.status_code == HTTPStatus.OK
    assert response.json() == [moco_user(u) for u in sorted((cast[n] for n in visible), key=id_)]
    assert response["X-Total"] == str(len(visible))


def id_(user):  # type: ignore[no-untyped-def]
    return user.pk


@pytest.mark.parametrize("target", EVERYONE)
@pytest.mark.parametrize("viewer", ["admin", "member"])
def test_moco_user_detail_is_404_for_whom_the_caller_may_not_see(api_client, cast, viewer, target):
    user = cast[target]

    response = api_client(cast[viewer], "moco").get(f"/api/v1/users/{user.pk}")

    if viewer == "admin" or target in MEMBER_SEES:
        assert response.status_code == HTTPStatus.OK
        assert response.json() == moco_user(user)
    else:
        assert response.status_code == HTTPStatus.NOT_FOUND
        assert response.json() == {"message": f"User {user.pk} not found."}


@pytest.mark.parametrize("pk", ["999999", "9" * 20])
def test_moco_unknown_user_is_404(api_client, admin, pk):
    response = api_client(admin, "moco").get(f"/api/v1/users/{pk}")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json() == {"message": f"User {pk} not found."}


def test_moco_user_timestamps_are_utc_with_a_z(api_client, admin, time_machine):
    time_machine.move_to(CREATED, tick=False)
    user = UserFactory(first_name="Zoe", last_name="Zed", is_active=False)
    time_machine.move_to(UPDATED, tick=False)
    user.email = "zoe@example.com"
    user.save()

    response = api_client(admin, "moco").get(f"/api/v1/users/{user.pk}")

    assert response.json() == {
        "id": user.pk,
        "firstname": "Zoe",
        "lastname": "Zed",
        "active": False,
        "extern": False,
        "email": "zoe@example.com",
        "created_at": "2024-07-01T08:00:00Z",
        "updated_at": "2024-12-24T17:30:15Z",
    }


def test_moco_users_runs_the_same_number_of_queries_for_more_users(api_client, member):
    def count() -> int:
        client = api_client(member, "moco")
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/users").status_code == HTTPStatus.OK
        return len(queries)

    TeamFactory(members=[member, UserFactory()])
    few = count()
    TeamFactory(members=[member, *UserFactory.create_batch(5)])
    WorkspaceFactory(members=[member, *UserFactory.create_batch(5)])

    assert count() == few


# --- Huddle --------------------------------------------------------------------------------


def huddle_user(user) -> dict:  # type: ignore[no-untyped-def]
    return {
        "links": [{"rel": "self", "href": f"http://testserver/users/{user.pk}"}],
        "id": user.pk,
        "firstName": user.first_name,
        "lastName": user.last_name,
        "displayName": f"{user.first_name} {user.last_name}",
        "email": user.email,
    }


def huddle_error(status: int, code: str, message: str) -> dict:
    return {"statusCode": status, "errorCode": code, "errorMessages": [message]}


@pytest.mark.parametrize("target", EVERYONE)
@pytest.mark.parametrize("viewer", ["admin", "member"])
def test_huddle_user_is_user_not_found_for_whom_the_caller_may_not_see(
    api_client, cast, viewer, target
):
    user = cast[target]
    client = api_client(cast[viewer], "huddle")

    response = client.get(f"/users/{user.pk}")

    if viewer == "admin" or target in MEMBER_SEES:
        assert response.status_code == HTTPStatus.OK
        assert response.json() == huddle_user(user)
        # The self link resolves, with the same client, to the same body.
        assert client.get(response.json()["links"][0]["href"]).json() == huddle_user(user)
    else:
        assert response.status_code == HTTPStatus.NOT_FOUND
        assert response.json() == huddle_error(
            404, "UserNotFound", f"User {user.pk} does not exist."
        )


@pytest.mark.parametrize("pk", ["999999", "9" * 20])
def test_huddle_unknown_user_is_user_not_found(api_client, admin, pk):
    response = api_client(admin, "huddle").get(f"/users/{pk}")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json() == huddle_error(404, "UserNotFound", f"User {pk} does not exist.")


def test_huddle_display_name_falls_back_to_the_username(api_client, admin):
    user = UserFactory(username="nameless", first_name="", last_name="")

    response = api_client(admin, "huddle").get(f"/users/{user.pk}")

    assert response.json()["displayName"] == "nameless"


GROUPS = {
    "teams": (TeamFactory, "Team", "isDeleted", False),
    "workspaces": (WorkspaceFactory, "Workspace", "state", "active"),
}


@pytest.mark.parametrize("kind", list(GROUPS))
@pytest.mark.parametrize("viewer", ["admin", "member"])
def test_huddle_group_lists_its_members_as_resolvable_links(
    api_client, admin, member, other_member, kind, viewer
):
    factory, _, flag, flag_value = GROUPS[kind]
    group = factory(name="Ops", members=[member, other_member])
    client = api_client({"admin": admin, "member": member}[viewer], "huddle")

    response = client.get(f"/{kind}/{group.pk}")

    assert response.status_code == HTTPStatus.OK
    body = response.json()
    assert body == {
        "links": [
            {"rel": "self", "href": f"http://testserver/{kind}/{group.pk}"},
            {"rel": "user", "href": f"http://testserver/users/{member.pk}"},
            {"rel": "user", "href": f"http://testserver/users/{other_member.pk}"},
        ],
        "id": group.pk,
        "name": "Ops",
        flag: flag_value,
    }
    # Every href resolves with the same client (a member sees their group's members).
    for link in body["links"]:
        assert client.get(link["href"]).status_code == HTTPStatus.OK, link


@pytest.mark.parametrize(
    ("kind", "code", "message"),
    [
        ("teams", "TeamMembershipRequired", "You are not a member of this team."),
        ("workspaces", "WorkspaceMembershipRequired", "You are not a member of this workspace."),
    ],
)
def test_huddle_group_of_which_the_member_is_not_a_member_is_403(
    api_client, member, other_member, kind, code, message
):
    factory = GROUPS[kind][0]
    group = factory(members=[other_member])

    response = api_client(member, "huddle").get(f"/{kind}/{group.pk}")

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert response.json() == huddle_error(403, code, message)


@pytest.mark.parametrize("kind", list(GROUPS))
@pytest.mark.parametrize("pk", ["999999", "9" * 20])
def test_huddle_unknown_group_is_not_found(api_client, member, kind, pk):
    _, noun, _, _ = GROUPS[kind]

    response = api_client(member, "huddle").get(f"/{kind}/{pk}")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json() == huddle_error(404, f"{noun}NotFound", f"{noun} {pk} does not exist.")


def test_huddle_deleted_team_and_archived_workspace_say_so(api_client, member):
    team = TeamFactory(members=[member], is_deleted=True)
    workspace = WorkspaceFactory(members=[member], state=Workspace.State.ARCHIVED)
    client = api_client(member, "huddle")

    assert client.get(f"/teams/{team.pk}").json()["isDeleted"] is True
    assert client.get(f"/workspaces/{workspace.pk}").json()["state"] == "archived"


# --- McTime --------------------------------------------------------------------------------


def mctime_user(user) -> dict:  # type: ignore[no-untyped-def]
    return {
        "id": str(user.uuid),
        "firstName": user.first_name,
        "lastName": user.last_name,
        "email": user.email,
        "username": user.username,
        "active": user.is_active,
    }


@pytest.mark.parametrize(("viewer", "visible"), [("admin", EVERYONE), ("member", MEMBER_SEES)])
def test_mctime_users_in_the_envelope(api_client, cast, viewer, visible):
    response = api_client(cast[viewer], "mctime").get("/api/v2/auth/users")

    assert response.status_code == HTTPStatus.OK
    users = sorted((cast[name] for name in visible), key=id_)
    assert response.json() == {
        "items": [{"message": "Success", "data": [mctime_user(u) for u in users]}],
        "valid": True,
    }


def test_mctime_organizations_in_the_envelope_sorted_by_name(api_client, member):
    later = OrganizationFactory(name="Project B")
    earlier = OrganizationFactory(name="Project A")
    twin = OrganizationFactory(name="Project A")  # same name: the older one first

    response = api_client(member, "mctime").get("/api/v2/auth/organizations")

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {
        "items": [
            {
                "message": "Success",
                "data": [
                    {"id": str(earlier.id), "name": "Project A"},
                    {"id": str(twin.id), "name": "Project A"},
                    {"id": str(later.id), "name": "Project B"},
                ],
            }
        ],
        "valid": True,
    }


# --- All endpoints -------------------------------------------------------------------------

ENDPOINTS = [
    ("moco", "/api/v1/users"),
    ("moco", "/api/v1/users/{member}"),
    ("huddle", "/users/{member}"),
    ("huddle", "/teams/{team}"),
    ("huddle", "/workspaces/{workspace}"),
    ("mctime", "/api/v2/auth/users"),
    ("mctime", "/api/v2/auth/organizations"),
]


@pytest.fixture
def ids(member):  # type: ignore[no-untyped-def]
    OrganizationFactory()
    return {
        "member": member.pk,
        "team": TeamFactory(members=[member]).pk,
        "workspace": WorkspaceFactory(members=[member]).pk,
    }


@pytest.mark.parametrize(("dialect", "path"), ENDPOINTS)
def test_every_endpoint_answers_with_and_without_a_trailing_slash(
    api_client, member, ids, dialect, path
):
    client = api_client(member, dialect)
    url = path.format(**ids)

    bare = client.get(url)
    slashed = client.get(f"{url}/")

    assert (bare.status_code, slashed.status_code) == (HTTPStatus.OK, HTTPStatus.OK)
    assert bare.json() == slashed.json()


@pytest.mark.parametrize(("dialect", "path"), ENDPOINTS)
@pytest.mark.parametrize(
    ("auth", "method", "status"),
    [
        (True, "get", 200),
        (True, "head", 200),
        (True, "options", 200),
        (True, "put", 405),
        (True, "delete", 405),
        (False, "get", 401),
    ],
)
def test_every_response_has_a_content_type(
    api_client, member, ids, dialect, path, auth, method, status
):
    client = api_client(member if auth else None, dialect)

    response = getattr(client, method)(path.format(**ids))

    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
