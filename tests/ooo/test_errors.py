"""Every row of every "Other Responses" table of the spec, and nothing changes on any error."""

from http import HTTPStatus
from types import SimpleNamespace

import pytest

from accounts.models import Workspace
from ooo.models import OutOfOffice
from tests.factories import OutOfOfficeFactory, TeamFactory, UserFactory, WorkspaceFactory

OK_RANGE = {"startDate": "2022-04-10T00:00:00+00:00", "endDate": "2022-04-20T00:00:00+00:00"}
BAD_DATE = {"startDate": "19.04.2022", "endDate": "2022-04-20T00:00:00+00:00"}
NAIVE_DATE = {"startDate": "2022-04-10T00:00:00", "endDate": "2022-04-20T00:00:00+00:00"}
BAD_RANGE = {"startDate": "2022-04-20T00:00:00+00:00", "endDate": "2022-04-19T23:59:59+00:00"}


@pytest.fixture
def w(member):  # type: ignore[no-untyped-def]
    """The member (caller), a teammate, a stranger, teams and workspaces in every state."""
    teammate = UserFactory(username="teammate")
    stranger = UserFactory(username="stranger")
    ns = SimpleNamespace(
        me=member,
        mate=teammate,
        stranger=stranger,
        team=TeamFactory(members=[member, teammate]),
        other_team=TeamFactory(members=[stranger]),
        deleted_team=TeamFactory(members=[member], is_deleted=True),
        ws=WorkspaceFactory(members=[member]),
        other_ws=WorkspaceFactory(members=[stranger]),
        archived_ws=WorkspaceFactory(members=[member], state=Workspace.State.ARCHIVED),
        locked_ws=WorkspaceFactory(members=[member], state=Workspace.State.LOCKED),
        deleted_ws=WorkspaceFactory(members=[member], state=Workspace.State.DELETED),
        mine=OutOfOfficeFactory(user=member),
        mates=OutOfOfficeFactory(user=teammate),
        strangers=OutOfOfficeFactory(user=stranger),
    )
    return ns


def user_links(*hrefs):  # type: ignore[no-untyped-def]
    return {"links": [{"rel": "user", "href": href} for href in hrefs]}


ME = "http://testserver/users/{w.me.pk}"

# (method, path, body, status, errorCode); paths and hrefs are formatted with the fixture `w`.
CASES = [
    # Retrieve Audit Entry
    ("get", "/presence/abc/audits", None, 400, "UserNotProvided"),
    ("get", "/presence//audits", None, 400, "UserNotProvided"),
    ("get", "/presence/999999/audits", None, 404, "UserNotFound"),
    ("get", "/presence/{w.stranger.pk}/audits", None, 404, "UserNotFound"),
    # Create Presence
    ("post", "/presence/create", {"isActive": True, "startDate": "tomorrow"}, 400, "DateInvalid"),
    ("post", "/presence/create", {"isActive": True, **NAIVE_DATE}, 400, "DateInvalid"),
    ("post", "/presence/create", {"isActive": True, "endDate": 1650000000}, 400, "DateInvalid"),
    (
        "post",
        "/presence/create",
        {"isActive": True, "endDate": "2022-02-30T00:00:00+00:00"},
        400,
        "DateInvalid",
    ),
    (
        "post",
        "/presence/create",
        {"isActive": True, "startDate": "0001-01-01T00:00:00+05:00"},
        400,
        "DateInvalid",
    ),
    ("post", "/presence/create", {"isActive": True, **BAD_RANGE}, 400, "DateRangeInvalid"),
    (
        "post",
        "/presence/create",
        {"isActive": True, "message": "x" * 281},
        400,
        "MessageLengthLimitExceeded",
    ),
    ("post", "/presence/create", {"message": "no flag"}, 400, "IsActiveInvalid"),
    ("post", "/presence/create", {"isActive": "true"}, 400, "IsActiveInvalid"),
    ("post", "/presence/create", {"isActive": 1}, 400, "IsActiveInvalid"),
    ("post", "/presence/create", {"isActive": None}, 400, "IsActiveInvalid"),
    ("post", "/presence/create", {"isActive": True, "message": 5}, 400, "MessageInvalid"),
    ("post", "/presence/create", [{"isActive": True}], 400, "BadRequest"),
    # Retrieve Presence by User
    ("get", "/presence/abc", None, 400, "UserNotProvided"),
    ("get", "/presence/", None, 400, "UserNotProvided"),
    ("get", "/presence/999999", None, 404, "UserNotFound"),
    ("get", "/presence/99999999999999999999999", None, 404, "UserNotFound"),
    ("get", "/presence/{w.stranger.pk}", None, 404, "UserNotFound"),
    # Retrieve Presence by Users
    ("post", "/presence", OK_RANGE, 400, "UserNotProvided"),
    ("post", "/presence", {**OK_RANGE, "links": []}, 400, "UserNotProvided"),
    (
        "post",
        "/presence",
        {**OK_RANGE, "links": [{"rel": "team", "href": ME}]},
        400,
        "UserNotProvided",
    ),
    (
        "post",
        "/presence",
        {**OK_RANGE, **user_links("http://testserver/teams/1")},
        400,
        "UserNotProvided",
    ),
    ("post", "/presence", {**OK_RANGE, **user_links("not a uri")}, 400, "UserNotProvided"),
    ("post", "/presence", {**OK_RANGE, **user_links(ME, None)}, 400, "UserNotProvided"),
    ("get", "/presence?user=abc", None, 400, "UserNotProvided"),
    ("post", "/presence", {**BAD_DATE, **user_links(ME)}, 400, "DateInvalid"),
    ("post", "/presence", {**NAIVE_DATE, **user_links(ME)}, 400, "DateInvalid"),
    ("get", "/presence?user={w.me.pk}&startDate=soon", None, 400, "DateInvalid"),
    ("post", "/presence", {**BAD_RANGE, **user_links(ME)}, 400, "DateRangeInvalid"),
    ("post", "/presence", {**OK_RANGE, **user_links("/users/999999")}, 404, "UserNotFound"),
    (
        "post",
        "/presence",
        {**OK_RANGE, **user_links(ME, "/users/{w.stranger.pk}")},
        404,
        "UserNotFound",
    ),
    ("post", "/presence", {**OK_RANGE, "links": "users"}, 400, "BadRequest"),
    # Retrieve Presence by Team
    ("post", "/presence/teams/abc", OK_RANGE, 400, "TeamNotProvided"),
    ("post", "/presence/teams/", OK_RANGE, 400, "TeamNotProvided"),
    ("post", "/presence/teams", OK_RANGE, 400, "TeamNotProvided"),
    (
        "post",
        "/presence/teams/{w.team.pk}",
        {**OK_RANGE, "links": [{"rel": "team", "href": "/teams/{w.other_team.pk}"}]},
        400,
        "TeamNotProvided",
    ),
    ("post", "/presence/teams/{w.team.pk}", BAD_DATE, 400, "DateInvalid"),
    ("post", "/presence/teams/{w.team.pk}", BAD_RANGE, 400, "DateRangeInvalid"),
    ("post", "/presence/teams/{w.other_team.pk}", OK_RANGE, 403, "TeamMembershipRequired"),
    ("post", "/presence/teams/{w.deleted_team.pk}", OK_RANGE, 403, "TeamDeleted"),
    ("post", "/presence/teams/999999", OK_RANGE, 404, "TeamNotFound"),
    # Retrieve Presence by Workspace
    ("post", "/presence/workspace/abc", OK_RANGE, 400, "WorkspaceNotProvided"),
    ("post", "/presence/workspace/", OK_RANGE, 400, "WorkspaceNotProvided"),
    (
        "post",
        "/presence/workspace/{w.ws.pk}",
        {**OK_RANGE, "links": [{"rel": "workspace", "href": "/workspaces/{w.other_ws.pk}"}]},
        400,
        "WorkspaceNotProvided",
    ),
    ("post", "/presence/workspace/{w.ws.pk}", BAD_DATE, 400, "DateInvalid"),
    ("post", "/presence/workspace/{w.ws.pk}", BAD_RANGE, 400, "DateRangeInvalid"),
    ("post", "/presence/workspace/{w.other_ws.pk}", OK_RANGE, 403, "WorkspaceMembershipRequired"),
    ("post", "/presence/workspace/{w.archived_ws.pk}", OK_RANGE, 403, "WorkspaceArchived"),
    ("post", "/presence/workspace/{w.locked_ws.pk}", OK_RANGE, 403, "WorkspaceLocked"),
    ("post", "/presence/workspace/{w.deleted_ws.pk}", OK_RANGE, 403, "WorkspaceDeleted"),
    ("post", "/presence/workspace/999999", OK_RANGE, 404, "WorkspaceNotFound"),
    # Update Presence
    (
        "put",
        "/presence/{w.me.pk}/{w.mine.pk}",
        {"isActive": True, "endDate": "x"},
        400,
        "PresenceDateInvalid",
    ),
    (
        "put",
        "/presence/{w.me.pk}/{w.mine.pk}",
        {"isActive": True, **BAD_RANGE},
        400,
        "PresenceDateInvalid",
    ),
    ("put", "/presence/{w.me.pk}/{w.mine.pk}", {"isActive": "yes"}, 400, "IsActiveInvalid"),
    (
        "put",
        "/presence/{w.me.pk}/{w.mine.pk}",
        {"isActive": True, "message": "x" * 281},
        400,
        "MessageLengthLimitExceeded",
    ),
    (
        "put",
        "/presence/{w.mate.pk}/{w.mates.pk}",
        {"isActive": True},
        403,
        "InsufficientPermission",
    ),
    ("put", "/presence/999999/{w.mine.pk}", {"isActive": True}, 404, "UserNotFound"),
    ("put", "/presence/{w.stranger.pk}/{w.strangers.pk}", {"isActive": True}, 404, "UserNotFound"),
    ("put", "/presence/{w.me.pk}/999999", {"isActive": True}, 404, "PresenceNotFound"),
    ("put", "/presence/{w.me.pk}/{w.mates.pk}", {"isActive": True}, 404, "PresenceNotFound"),
    ("put", "/presence/{w.me.pk}/{w.mine.pk}5", {"isActive": "bad"}, 404, "PresenceNotFound"),
    ("put", "/presence/{w.me.pk}", {"isActive": True}, 400, "PresenceNotProvided"),
    ("put", "/presence/abc/{w.mine.pk}", {"isActive": True}, 400, "UserNotProvided"),
    # Delete Presence
    ("delete", "/presence/abc/{w.mine.pk}", None, 400, "UserNotProvided"),
    ("delete", "/presence//{w.mine.pk}", None, 400, "UserNotProvided"),
    ("delete", "/presence/{w.me.pk}", None, 400, "PresenceNotProvided"),
    ("delete", "/presence/{w.me.pk}/", None, 400, "PresenceNotProvided"),
    ("delete", "/presence/{w.me.pk}/abc", None, 400, "PresenceNotProvided"),
    ("delete", "/presence/{w.mate.pk}/{w.mates.pk}", None, 403, "InsufficientPermission"),
    ("delete", "/presence/999999/{w.mine.pk}", None, 404, "UserNotFound"),
    ("delete", "/presence/{w.stranger.pk}/{w.strangers.pk}", None, 404, "UserNotFound"),
    ("delete", "/presence/{w.me.pk}/999999", None, 404, "PresenceNotFound"),
    ("delete", "/presence/{w.me.pk}/0", None, 404, "PresenceNotFound"),
    ("delete", "/presence/{w.me.pk}/{w.mates.pk}", None, 404, "PresenceNotFound"),
]


def _fill(value, w):  # type: ignore[no-untyped-def]
    if isinstance(value, str):
        return value.format(w=w)
    if isinstance(value, list):
        return [_fill(item, w) for item in value]
    if isinstance(value, dict):
        return {key: _fill(item, w) for key, item in value.items()}
    return value


def _state():  # type: ignore[no-untyped-def]
    return (
        list(OutOfOffice.objects.order_by("pk").values()),
        OutOfOffice.history.count(),
    )


@pytest.mark.parametrize(("method", "path", "body", "status", "code"), CASES)
def test_error_answers_the_spec_code_and_changes_nothing(
    huddle, w, method, path, body, status, code
):
    client = huddle(w.me)
    before = _state()

    response = getattr(client, method)(_fill(path, w), _fill(body, w), format="json")

    assert response.status_code == status
    body = response.json()
    assert (body["statusCode"], body["errorCode"]) == (status, code)
    assert len(body["errorMessages"]) == 1
    assert body["errorMessages"][0]
    assert _state() == before


def test_error_message_names_the_field(huddle, member):
    response = huddle(member).post("/presence/create", {"isActive": "yes"}, format="json")

    assert response.json() == {
        "statusCode": 400,
        "errorCode": "IsActiveInvalid",
        "errorMessages": ["isActive is required and must be true or false."],
    }


def test_malformed_json_is_a_bad_request(huddle, member):
    response = huddle(member).generic(
        "POST", "/presence/create", "{not json", content_type="application/json"
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["errorCode"] == "BadRequest"
    assert not OutOfOffice.objects.exists()


ENDPOINTS = [
    ("get", "/presence/1/audits"),
    ("post", "/presence/create"),
    ("get", "/presence/1"),
    ("post", "/presence"),
    ("get", "/presence?user=1"),
    ("post", "/presence/teams/1"),
    ("post", "/presence/workspace/1"),
    ("get", "/presence/1/1"),
    ("put", "/presence/1/1"),
    ("delete", "/presence/1/1"),
    ("delete", "/presence/abc"),
    ("post", "/presence/teams/abc"),
]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
@pytest.mark.parametrize("authorization", [None, "Bearer nope.nope", "Basic abc"])
def test_invalid_token_is_401_access_token_invalid(api_client, member, method, path, authorization):
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    presence = OutOfOfficeFactory(user=member)
    before = _state()

    response = getattr(api_client(None, "huddle", **headers), method)(
        path, {"isActive": True}, format="json"
    )

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response["WWW-Authenticate"].startswith("Bearer")
    body = response.json()
    assert (body["statusCode"], body["errorCode"]) == (401, "AccessTokenInvalid")
    assert _state() == before
    assert presence.pk


def test_revoked_key_is_401(api_client, member):
    from accounts.models import ApiKey
    from accounts.services import revoke_api_key

    client = api_client(member, "huddle")
    revoke_api_key(api_key=ApiKey.objects.get(user=member))

    response = client.get(f"/presence/{member.pk}")

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json()["errorCode"] == "AccessTokenInvalid"


def test_method_not_allowed_in_huddle_format(huddle, member):
    response = huddle(member).get("/presence/create")

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert set(response.json()) == {"statusCode", "errorCode", "errorMessages"}
