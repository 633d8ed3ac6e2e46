"""The range queries and the group endpoints ask one set of access rules (accounts.selectors):
a caller who may not query a group hears the same refusal from both, and a deleted team or a
workspace that is not active can still be read but no longer queried."""

from http import HTTPStatus

import pytest

from accounts.models import Workspace
from tests.factories import TeamFactory, WorkspaceFactory

RANGE = {"startDate": "2022-04-01T00:00:00+00:00", "endDate": "2022-04-30T00:00:00+00:00"}
GROUPS = {
    "team": (TeamFactory, "teams", "teams"),
    "workspace": (WorkspaceFactory, "workspace", "workspaces"),
}


@pytest.mark.parametrize("kind", list(GROUPS))
def test_a_non_member_hears_the_same_refusal_from_the_query_and_the_group(
    huddle, member, other_member, kind
):
    factory, query_path, group_path = GROUPS[kind]
    group = factory(members=[other_member])
    client = huddle(member)

    query = client.post(f"/presence/{query_path}/{group.pk}", RANGE, format="json")
    read = client.get(f"/{group_path}/{group.pk}")

    assert query.status_code == read.status_code == HTTPStatus.FORBIDDEN
    assert query.json() == read.json()
    assert query.json()["errorCode"] == f"{kind.capitalize()}MembershipRequired"


@pytest.mark.parametrize(
    ("kind", "state", "code"),
    [
        ("team", {"is_deleted": True}, "TeamDeleted"),
        ("workspace", {"state": Workspace.State.ARCHIVED}, "WorkspaceArchived"),
        ("workspace", {"state": Workspace.State.LOCKED}, "WorkspaceLocked"),
        ("workspace", {"state": Workspace.State.DELETED}, "WorkspaceDeleted"),
    ],
)
def test_a_group_out_of_service_is_readable_but_not_queryable(huddle, member, kind, state, code):
    factory, query_path, group_path = GROUPS[kind]
    group = factory(members=[member], **state)
    client = huddle(member)

    query = client.post(f"/presence/{query_path}/{group.pk}", RANGE, format="json")
    read = client.get(f"/{group_path}/{group.pk}")

    assert query.status_code == HTTPStatus.FORBIDDEN
    assert query.json()["errorCode"] == code
    assert read.status_code == HTTPStatus.OK
    assert read.json()["id"] == group.pk
