"""Helpers for the Huddle presence tests."""

from datetime import datetime
from http import HTTPStatus

import pytest
from rest_framework.test import APIClient

from accounts.models import User


@pytest.fixture
def huddle(api_client):  # type: ignore[no-untyped-def]
    """huddle(user) -> a client sending the user's key Huddle's way (Bearer)."""

    def make(user: User | None) -> APIClient:
        return api_client(user, "huddle")

    return make


def at(value: str) -> datetime:
    """An aware datetime from ISO 8601 with offset (test data reads like the wire)."""
    parsed = datetime.fromisoformat(value)
    assert parsed.tzinfo is not None
    return parsed


def assert_links_resolve(client: APIClient, links: list[dict[str, str]]) -> None:
    """Every href is absolute and answers GET with 200 for the same caller."""
    for item in links:
        href = item["href"]
        assert href.startswith("http://testserver/"), href
        response = client.get(href)
        assert response.status_code == HTTPStatus.OK, (item, response.json())
