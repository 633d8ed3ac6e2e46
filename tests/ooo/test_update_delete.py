import concurrent.futures
import threading
from http import HTTPStatus

import pytest
from django.db import connection
from rest_framework.test import APIClient

from ooo.models import OutOfOffice
from tests.factories import OutOfOfficeFactory, raw_api_key
from tests.ooo.conftest import assert_links_resolve, at

BODY = {
    "isActive": False,
    "startDate": "2022-05-01T08:00:00+02:00",
    "endDate": "2022-05-02T18:00:00+02:00",
    "message": "back on Tuesday",
}


@pytest.mark.parametrize("caller", ["owner", "admin"])
def test_update_presence_replaces_it_and_answers_links(huddle, admin, member, caller):
    presence = OutOfOfficeFactory(user=member, start_date=at("2022-04-19T16:30:29+00:00"))
    client = huddle(member if caller == "owner" else admin)
    href = f"http://testserver/presence/{member.pk}/{presence.pk}"

    response = client.put(f"/presence/{member.pk}/{presence.pk}", BODY, format="json")

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Location"] == href
    assert response.json() == {
        "links": [
            {"rel": "self", "href": href},
            {"rel": "user", "href": f"http://testserver/users/{member.pk}"},
            {"rel": "presence", "href": href},
        ],
        "isActive": False,
        "startDate": "2022-05-01T06:00:00+00:00",
        "endDate": "2022-05-02T16:00:00+00:00",
        "message": "back on Tuesday",
    }
    assert_links_resolve(client, response.json()["links"])
    presence.refresh_from_db()
    assert (presence.is_active, presence.message) == (False, "back on Tuesday")
    assert presence.start_date == at("2022-05-01T06:00:00+00:00")
    assert presence.end_date == at("2022-05-02T16:00:00+00:00")


def test_update_presence_is_a_full_replacement(huddle, member):
    presence = OutOfOfficeFactory(
        user=member,
        start_date=at("2022-04-19T16:30:29+00:00"),
        end_date=at("2022-04-20T16:30:29+00:00"),
    )

    response = huddle(member).put(
        f"/presence/{member.pk}/{presence.pk}", {"isActive": True}, format="json"
    )

    assert response.status_code == HTTPStatus.OK
    presence.refresh_from_db()
    assert (presence.start_date, presence.end_date, presence.message) == (None, None, "")


@pytest.mark.parametrize("caller", ["owner", "admin"])
def test_delete_presence_answers_204_and_removes_it(huddle, admin, member, caller):
    presence = OutOfOfficeFactory(user=member)
    kept = OutOfOfficeFactory(user=member)

    response = huddle(member if caller == "owner" else admin).delete(
        f"/presence/{member.pk}/{presence.pk}"
    )

    assert response.status_code == HTTPStatus.NO_CONTENT
    assert response.content == b""
    assert list(OutOfOffice.objects.all()) == [kept]


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_update_and_delete_never_resurrect_the_presence(member):
    presence = OutOfOfficeFactory(user=member)
    keys = [raw_api_key(member) for _ in range(2)]
    url = f"/presence/{member.pk}/{presence.pk}"
    barrier = threading.Barrier(2)

    def act(index: int) -> int:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {keys[index]}")
        try:
            barrier.wait()
            if index == 0:
                return client.delete(url).status_code
            return client.put(url, BODY, format="json").status_code
        finally:
            connection.close()

    for _ in range(5):
        if not OutOfOffice.objects.filter(pk=presence.pk).exists():
            presence.save(force_insert=True)
        barrier.reset()
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            statuses = list(pool.map(act, range(2)))

        assert statuses[0] == HTTPStatus.NO_CONTENT
        assert statuses[1] in (HTTPStatus.OK, HTTPStatus.NOT_FOUND)
        assert not OutOfOffice.objects.filter(pk=presence.pk).exists()
