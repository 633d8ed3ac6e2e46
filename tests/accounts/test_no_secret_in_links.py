"""A key sent as `?apiKey=` never comes back in a link, and the APIs answer JSON only."""

from http import HTTPStatus

import pytest
from rest_framework.test import APIClient

from tests.factories import OutOfOfficeFactory, PresenceFactory, raw_api_key


@pytest.mark.parametrize("name", ["apiKey", "api%4Bey"])
def test_moco_link_header_never_carries_the_api_key(member, name):
    for day in range(1, 4):
        PresenceFactory(user=member, date=f"2024-05-0{day}")
    key = raw_api_key(member)

    response = APIClient().get(f"/api/v1/users/presences?per_page=1&page=2&{name}={key}")

    assert response.status_code == HTTPStatus.OK
    assert response["Link"].count("rel=") == 4
    assert key not in response["Link"]
    assert "apiKey" not in response["Link"]
    assert "per_page=1" in response["Link"]


def test_huddle_self_and_paging_links_never_carry_the_api_key(member):
    for _ in range(3):
        OutOfOfficeFactory(user=member)
    key = raw_api_key(member)

    response = APIClient().get(f"/presence/{member.pk}?pageSize=1&page=2&apiKey={key}")

    assert response.status_code == HTTPStatus.OK
    hrefs = {link["rel"]: link["href"] for link in response.json()["links"]}
    assert set(hrefs) == {"self", "first", "previous", "next"}
    assert all(key not in href and "apiKey" not in href for href in hrefs.values())
    assert hrefs["self"] == f"http://testserver/presence/{member.pk}?page=2&pageSize=1"


def test_huddle_audit_links_never_carry_the_api_key(member):
    OutOfOfficeFactory(user=member)
    key = raw_api_key(member)

    response = APIClient().get(f"/presence/{member.pk}/audits?apiKey={key}")

    assert response.status_code == HTTPStatus.OK
    assert key not in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/users/presences",
        "/api/v1/workingtimes",
        "/api/v2/auth/times",
        "/presence?userIds=1",
        "/api/v1/users/presences/999999",  # errors too
    ],
)
@pytest.mark.parametrize("accept", ["text/html", "text/html,application/xhtml+xml,*/*;q=0.8"])
def test_vendor_apis_answer_json_whatever_accept_says(member, path, accept):
    key = raw_api_key(member)

    separator = "&" if "?" in path else "?"
    response = APIClient().get(f"{path}{separator}apiKey={key}", HTTP_ACCEPT=accept)

    assert response["Content-Type"].startswith("application/json")
    assert key not in response.content.decode()
    response.json()  # parses


def test_browsable_api_format_override_is_ignored(member):
    key = raw_api_key(member)

    response = APIClient().get(f"/api/v1/workingtimes?format=api&apiKey={key}")

    assert response.status_code != HTTPStatus.INTERNAL_SERVER_ERROR
    assert response["Content-Type"].startswith("application/json")
