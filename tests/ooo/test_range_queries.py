"""Retrieve Presence by Users / Team / Workspace: shapes, overlap, visibility, paging, queries."""

from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Workspace
from ooo.serializers import render_instant
from tests.factories import OutOfOfficeFactory, TeamFactory, UserFactory, WorkspaceFactory
from tests.ooo.conftest import assert_links_resolve, at

RANGE = {"startDate": "2022-04-10T00:00:00+00:00", "endDate": "2022-04-20T00:00:00+00:00"}


def user_link(user):  # type: ignore[no-untyped-def]
    return {"rel": "user", "href": f"http://testserver/users/{user.pk}"}


def entity(presence):  # type: ignore[no-untyped-def]
    return {
        "links": [
            {"rel": "user", "href": f"http://testserver/users/{presence.user_id}"},
            {
                "rel": "presence",
                "href": f"http://testserver/presence/{presence.user_id}/{presence.pk}",
            },
        ],
        "isActive": presence.is_active,
        "startDate": render_instant(presence.start_date),
        "endDate": render_instant(presence.end_date),
        "message": presence.message,
    }


def in_range(user, **kwargs):  # type: ignore[no-untyped-def]
    return OutOfOfficeFactory(
        user=user,
        start_date=at("2022-04-12T08:00:00+00:00"),
        end_date=at("2022-04-13T17:00:00+00:00"),
        **kwargs,
    )


def test_presence_by_users_answers_overlapping_presences_newest_first(huddle, member, other_member):
    TeamFactory(members=[member, other_member])
    mine = in_range(member)
    theirs = in_range(other_member, is_active=False)
    in_range(UserFactory())  # not asked for
    client = huddle(member)

    response = client.post(
        "/presence", {**RANGE, "links": [user_link(member), user_link(other_member)]}, format="json"
    )

    assert response.status_code == HTTPStatus.OK
    query = (
        "endDate=2022-04-20T00%3A00%3A00%2B00%3A00&page=1"
        f"&startDate=2022-04-10T00%3A00%3A00%2B00%3A00&user={member.pk}&user={other_member.pk}"
    )
    self_query = (
        "startDate=2022-04-10T00%3A00%3A00%2B00%3A00&endDate=2022-04-20T00%3A00%3A00%2B00%3A00"
        f"&user={member.pk}&user={other_member.pk}"
    )
    assert response.json() == {
        "links": [
            {"rel": "self", "href": f"http://testserver/presence?{self_query}"},
            {"rel": "first", "href": f"http://testserver/presence?{query}"},
        ],
        "presenceEntities": [entity(theirs), entity(mine)],
    }
    # `self` is the GET form of the same query: following it answers the same page.
    again = client.get(response.json()["links"][0]["href"])
    assert again.json() == response.json()


def test_presence_links_of_own_range_query_resolve(huddle, member):
    in_range(member)
    client = huddle(member)

    response = client.post("/presence", {**RANGE, "links": [user_link(member)]}, format="json")

    assert_links_resolve(client, response.json()["links"])
    assert_links_resolve(client, response.json()["presenceEntities"][0]["links"])


def test_presence_by_users_accepts_relative_hrefs_other_hosts_and_duplicates(huddle, member):
    presence = in_range(member)

    response = huddle(member).post(
        "/presence",
        {
            **RANGE,
            "links": [
                {"rel": "user", "href": f"/users/{member.pk}"},
                {"rel": "user", "href": f"https://huddle.example.com/users/{member.pk}/"},
                {"rel": "self", "href": "ignored"},
            ],
        },
        format="json",
    )

    assert response.status_code == HTTPStatus.OK
    assert response.json()["presenceEntities"] == [entity(presence)]


def test_range_dates_are_optional_and_open(huddle, member):
    early = OutOfOfficeFactory(user=member, end_date=at("2000-01-01T00:00:00+00:00"))
    late = OutOfOfficeFactory(user=member, start_date=at("2100-01-01T00:00:00+00:00"))
    client = huddle(member)

    everything = client.post("/presence", {"links": [user_link(member)]}, format="json")
    from_2050 = client.post(
        "/presence",
        {"startDate": "2050-01-01T00:00:00+00:00", "links": [user_link(member)]},
        format="json",
    )

    assert everything.json()["presenceEntities"] == [entity(late), entity(early)]
    assert from_2050.json()["presenceEntities"] == [entity(late)]


Q_START, Q_END = "2022-04-10T00:00:00+00:00", "2022-04-20T00:00:00+00:00"


@pytest.mark.parametrize(
    ("start", "end", "query_start", "query_end", "included"),
    [
        (None, None, Q_START, Q_END, True),
        (None, "2022-04-09T23:59:59+00:00", Q_START, Q_END, False),
        (None, Q_START, Q_START, Q_END, True),  # touching the start edge
        (Q_END, None, Q_START, Q_END, True),  # touching the end edge
        ("2022-04-20T00:00:01+00:00", None, Q_START, Q_END, False),
        ("2022-04-01T00:00:00+00:00", "2022-04-09T23:59:59+00:00", Q_START, Q_END, False),
        ("2022-04-12T00:00:00+00:00", "2022-04-13T00:00:00+00:00", Q_START, Q_END, True),
        ("2022-04-01T00:00:00+00:00", "2022-04-30T00:00:00+00:00", Q_START, Q_END, True),
        ("2022-04-01T00:00:00+00:00", "2022-04-10T01:00:00+02:00", Q_START, Q_END, False),
        ("2022-04-01T00:00:00+00:00", "2022-04-10T02:00:00+02:00", Q_START, Q_END, True),
        ("2022-04-15T00:00:00+00:00", None, None, "2022-04-14T23:59:59+00:00", False),
        ("2022-04-15T00:00:00+00:00", None, None, "2022-04-15T00:00:00+00:00", True),
        (None, "2022-04-15T00:00:00+00:00", "2022-04-15T00:00:01+00:00", None, False),
        (None, None, None, None, True),
    ],
)
def test_range_overlap_semantics(huddle, member, start, end, query_start, query_end, included):
    presence = OutOfOfficeFactory(
        user=member, start_date=start and at(start), end_date=end and at(end)
    )
    body = {"links": [user_link(member)], "startDate": query_start, "endDate": query_end}

    response = huddle(member).post("/presence", body, format="json")

    assert response.status_code == HTTPStatus.OK
    assert response.json()["presenceEntities"] == ([entity(presence)] if included else [])


def test_range_query_get_form_accepts_unencoded_plus_in_offsets(huddle, member):
    presence = in_range(member)

    response = huddle(member).get(
        f"/presence?user={member.pk}&startDate=2022-04-10T00:00:00+00:00"
        "&endDate=2022-04-20T00:00:00+00:00"
    )

    assert response.status_code == HTTPStatus.OK
    assert response.json()["presenceEntities"] == [entity(presence)]


# --- visibility ----------------------------------------------------------------------------


@pytest.fixture
def cast(member):  # type: ignore[no-untyped-def]
    """The member and one user per relation to them."""
    users = {
        "self": member,
        "teammate": UserFactory(),
        "workspace mate": UserFactory(),
        "stranger": UserFactory(),
        "mate in deleted team": UserFactory(),
        "mate in archived workspace": UserFactory(),
        "mate in locked workspace": UserFactory(),
    }
    TeamFactory(members=[member, users["teammate"]])
    WorkspaceFactory(members=[member, users["workspace mate"]])
    TeamFactory(members=[member, users["mate in deleted team"]], is_deleted=True)
    WorkspaceFactory(
        members=[member, users["mate in archived workspace"]], state=Workspace.State.ARCHIVED
    )
    WorkspaceFactory(
        members=[member, users["mate in locked workspace"]], state=Workspace.State.LOCKED
    )
    for user in users.values():
        in_range(user)
    return users


@pytest.mark.parametrize(
    ("caller", "target", "visible"),
    [
        ("member", "self", True),
        ("member", "teammate", True),
        ("member", "workspace mate", True),
        ("member", "stranger", False),
        ("member", "mate in deleted team", False),
        ("member", "mate in archived workspace", False),
        ("member", "mate in locked workspace", False),
        ("admin", "self", True),
        ("admin", "teammate", True),
        ("admin", "stranger", True),
        ("admin", "mate in deleted team", True),
    ],
)
def test_presence_by_users_visibility(huddle, admin, member, cast, caller, target, visible):
    client = huddle(admin if caller == "admin" else member)
    user = cast[target]

    response = client.post("/presence", {**RANGE, "links": [user_link(user)]}, format="json")

    if visible:
        assert response.status_code == HTTPStatus.OK
        assert [e["links"][0] for e in response.json()["presenceEntities"]] == [user_link(user)]
    else:
        assert response.status_code == HTTPStatus.NOT_FOUND
        assert response.json() == {
            "statusCode": 404,
            "errorCode": "UserNotFound",
            "errorMessages": [f"User {user.pk} does not exist."],
        }


def test_one_invisible_user_refuses_the_whole_query(huddle, member, cast):
    response = huddle(member).post(
        "/presence",
        {**RANGE, "links": [user_link(member), user_link(cast["stranger"])]},
        format="json",
    )

    assert response.status_code == HTTPStatus.NOT_FOUND


# --- team and workspace --------------------------------------------------------------------


def test_presence_by_team_answers_members_presences_with_team_as_self(huddle, member, other_member):
    team = TeamFactory(members=[member, other_member])
    mine = in_range(member)
    theirs = in_range(other_member)
    in_range(UserFactory())  # not a member
    OutOfOfficeFactory(user=member, end_date=at("2022-01-01T00:00:00+00:00"))  # out of range
    team_href = f"http://testserver/teams/{team.pk}"
    client = huddle(member)

    response = client.post(
        f"/presence/teams/{team.pk}",
        {**RANGE, "links": [{"rel": "team", "href": team_href}]},
        format="json",
    )

    assert response.status_code == HTTPStatus.OK
    query = (
        "endDate=2022-04-20T00%3A00%3A00%2B00%3A00&page=1"
        "&startDate=2022-04-10T00%3A00%3A00%2B00%3A00"
    )
    assert response.json() == {
        "links": [
            {"rel": "self", "href": team_href},
            {"rel": "first", "href": f"http://testserver/presence/teams/{team.pk}?{query}"},
        ],
        "presenceEntities": [entity(theirs), entity(mine)],
    }
    assert_links_resolve(client, response.json()["links"])
    for item in response.json()["presenceEntities"]:  # the teammate's user link too
        assert_links_resolve(client, item["links"])


def test_presence_by_team_without_body_link_and_for_admin_non_member(huddle, admin, member):
    team = TeamFactory(members=[member])
    presence = in_range(member)

    response = huddle(admin).post(f"/presence/teams/{team.pk}", RANGE, format="json")

    assert response.status_code == HTTPStatus.OK
    assert response.json()["presenceEntities"] == [entity(presence)]


def test_presence_by_workspace_answers_members_presences_with_workspace_as_self(
    huddle, member, other_member
):
    workspace = WorkspaceFactory(members=[member, other_member])
    mine = in_range(member)
    theirs = in_range(other_member)
    in_range(UserFactory())
    workspace_href = f"http://testserver/workspaces/{workspace.pk}"
    client = huddle(member)

    response = client.post(
        f"/presence/workspace/{workspace.pk}",
        {**RANGE, "links": [{"rel": "workspace", "href": workspace_href}]},
        format="json",
    )

    assert response.status_code == HTTPStatus.OK
    query = (
        "endDate=2022-04-20T00%3A00%3A00%2B00%3A00&page=1"
        "&startDate=2022-04-10T00%3A00%3A00%2B00%3A00"
    )
    assert response.json() == {
        "links": [
            {"rel": "self", "href": workspace_href},
            {
                "rel": "first",
                "href": f"http://testserver/presence/workspace/{workspace.pk}?{query}",
            },
        ],
        "presenceEntities": [entity(theirs), entity(mine)],
    }
    assert_links_resolve(client, response.json()["links"])


# --- paging --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["users", "team", "workspace", "user"])
def test_paging_links_walk_every_page(huddle, member, kind):
    team = TeamFactory(members=[member])
    workspace = WorkspaceFactory(members=[member])
    presences = [in_range(member, message=f"#{n}") for n in range(5)]
    client = huddle(member)
    url, body = {
        "users": ("/presence?pageSize=2", {**RANGE, "links": [user_link(member)]}),
        "team": (f"/presence/teams/{team.pk}?pageSize=2", RANGE),
        "workspace": (f"/presence/workspace/{workspace.pk}?pageSize=2", RANGE),
        "user": (f"/presence/{member.pk}?pageSize=2", None),
    }[kind]

    first = client.post(url, body, format="json") if body else client.get(url)
    pages = [first.json()]
    while next_link := [x for x in pages[-1]["links"] if x["rel"] == "next"]:
        pages.append(client.get(next_link[0]["href"]).json())

    assert [[e["message"] for e in page["presenceEntities"]] for page in pages] == [
        ["#4", "#3"],
        ["#2", "#1"],
        ["#0"],
    ]
    assert [[x["rel"] for x in page["links"]] for page in pages] == [
        ["self", "first", "next"],
        ["self", "first", "previous", "next"],
        ["self", "first", "previous"],
    ]
    previous = next(x for x in pages[2]["links"] if x["rel"] == "previous")["href"]
    assert "page=2" in previous
    assert "pageSize=2" in previous
    back = client.get(previous).json()
    assert back["presenceEntities"] == pages[1]["presenceEntities"]
    assert len(presences) == 5


# --- query counts --------------------------------------------------------------------------


def _query(client, kind, member, size):  # type: ignore[no-untyped-def]
    """A fresh data set of `size` mates with `size` presences each, then one request."""
    everyone = [member, *(UserFactory() for _ in range(size))]
    team = TeamFactory(members=everyone)
    workspace = WorkspaceFactory(members=everyone)
    for user in everyone:
        for _ in range(size):
            in_range(user)
    if kind == "users":
        body = {**RANGE, "links": [user_link(u) for u in everyone]}
        return lambda: client.post("/presence", body, format="json")
    if kind == "team":
        return lambda: client.post(f"/presence/teams/{team.pk}", RANGE, format="json")
    if kind == "workspace":
        return lambda: client.post(f"/presence/workspace/{workspace.pk}", RANGE, format="json")
    return lambda: client.get(f"/presence/{member.pk}")


@pytest.mark.parametrize("kind", ["users", "team", "workspace", "user"])
def test_range_and_list_endpoints_run_a_constant_number_of_queries(
    huddle, member, kind, django_assert_num_queries
):
    client = huddle(member)
    client.get(f"/presence/{member.pk}")  # a key's first use records last_used_at once
    small = _query(client, kind, member, size=1)
    with CaptureQueriesContext(connection) as captured:
        assert len(small().json()["presenceEntities"]) >= 1
    large = _query(client, kind, member, size=4)

    with django_assert_num_queries(len(captured)):
        response = large()

    assert len(response.json()["presenceEntities"]) >= 4
