"""McTime's `API_KEY` header (underscore) must reach Django through the production server.

gunicorn drops headers with underscores unless configured; this starts a real gunicorn with
the project's gunicorn.conf.py against the test database and calls a McTime endpoint.
"""

from collections.abc import Iterator
from http import HTTPStatus

import pytest
import requests

from tests.factories import UserFactory, raw_api_key
from tests.live import start_gunicorn

pytestmark = [pytest.mark.postgres_only, pytest.mark.live]


@pytest.fixture
def gunicorn_server(request) -> Iterator[str]:  # type: ignore[no-untyped-def]
    process, base = start_gunicorn(with_project_config=request.param)
    yield base
    process.terminate()
    process.wait(timeout=10)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("gunicorn_server", "expected"),
    [(True, HTTPStatus.OK), (False, HTTPStatus.UNAUTHORIZED)],
    ids=["project-config-delivers-header", "gunicorn-default-drops-header"],
    indirect=["gunicorn_server"],
)
def test_api_key_header_with_underscore_reaches_django_through_gunicorn(gunicorn_server, expected):
    user = UserFactory(first_name="Gus", last_name="Unicorn")
    key = raw_api_key(user)

    response = requests.get(
        f"{gunicorn_server}/api/v2/auth/users", headers={"API_KEY": key}, timeout=10
    )

    assert response.status_code == expected
    body = response.json()
    if expected == HTTPStatus.OK:
        assert body["valid"] is True
        assert body["items"][0]["data"][0]["id"] == str(user.uuid)
    else:
        assert body["valid"] is False
