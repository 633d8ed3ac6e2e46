"""Teams and workspaces in the admin: their forms ask for the group's own fields in order."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from accounts.models import Team, Workspace
from tests.factories import AdminFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("model", "fields"),
    [
        (Team, ["name", "is_deleted", "members", "created_by"]),
        (Workspace, ["name", "state", "members", "created_by"]),
    ],
)
def test_add_form_asks_for_name_state_members_and_creator(client, model, fields):
    client.force_login(AdminFactory(username="root", is_staff=True, is_superuser=True))

    response = client.get(reverse(f"admin:accounts_{model._meta.model_name}_add"))

    assert response.status_code == HTTPStatus.OK
    assert list(response.context["adminform"].form.fields) == fields


def test_a_team_added_in_the_admin_keeps_its_members(client):
    root = AdminFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)

    response = client.post(
        reverse("admin:accounts_team_add"),
        {"name": "Ops", "members": [root.pk], "created_by": root.pk},
    )

    assert response.status_code == HTTPStatus.FOUND
    team = Team.objects.get(name="Ops")
    assert (list(team.members.all()), team.created_by, team.is_deleted) == ([root], root, False)
    assert str(team) == "Ops"
