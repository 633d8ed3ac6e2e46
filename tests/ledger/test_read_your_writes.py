"""The ledger reflects a committed write at once, whichever way in made it."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.workingtimes.test_admin import _form

RANGE = {"from": "2021-03-02", "to": "2021-03-02"}


@pytest.mark.django_db
def test_admin_write_shows_in_the_next_ledger_answer(client, days, admin, member):
    client.force_login(UserFactory(username="office", is_staff=True, is_superuser=True))
    assert days(admin, user=member.pk, **RANGE).json()["count"] == 0

    created = client.post(reverse("admin:workingtimes_workingtime_add"), _form(member))

    assert created.status_code == HTTPStatus.FOUND
    row = days(admin, user=member.pk, **RANGE).json()["results"][0]
    assert (row["work_minutes"], row["break_minutes"]) == (465, 45)
    assert row["sources"] == {"prosonata": 465}


@pytest.mark.django_db
def test_api_write_and_delete_show_in_the_next_ledger_answer(api_client, days, member):
    moco = api_client(member, "moco")
    created = moco.post(
        "/api/v1/users/presences",
        {"date": "2021-03-02", "from": "08:00", "to": "10:30"},
        format="json",
    )
    assert days(member, **RANGE).json()["results"][0]["work_minutes"] == 150

    moco.delete(f"/api/v1/users/presences/{created.json()['id']}")

    assert days(member, **RANGE).json()["count"] == 0
