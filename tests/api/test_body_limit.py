"""A body over the upload limit: 413 in the API's format, nothing written, and the
connection stays usable (through the production server, keep-alive on)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from http import HTTPStatus

import pytest
import requests
from django.conf import settings

from tests.api.conftest import assert_dialect_error, db_state
from tests.api.endpoints import WRITE_ENDPOINTS
from tests.factories import UserFactory, raw_api_key
from tests.live import start_gunicorn


def oversized(body: dict) -> str:
    filler = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    return json.dumps({**body, "padding": filler})


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", WRITE_ENDPOINTS, ids=lambda e: e.id)
def test_body_over_the_upload_limit_is_413(api_client, member, endpoint):
    url = endpoint.setup(member)
    before = db_state()
    client = api_client(member, endpoint.dialect)
    response = getattr(client, endpoint.method)(
        url, data=oversized(endpoint.body(member)), content_type="application/json"
    )
    assert_dialect_error(response, endpoint.dialect, HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
    assert db_state() == before


@pytest.fixture
def threaded_server() -> Iterator[str]:
    # Threads make gunicorn's gthread worker, which keeps connections alive.
    process, base = start_gunicorn(with_project_config=True, extra_env={"GUNICORN_THREADS": "2"})
    yield base
    process.terminate()
    process.wait(timeout=10)


HEADERS = {
    "moco": lambda key: {"Authorization": f"Token token={key}"},
    "huddle": lambda key: {"Authorization": f"Bearer {key}"},
    "mctime": lambda key: {"API_KEY": key},
    "prosonata": lambda key: {"X-API-Key": key},
}


@pytest.mark.live
@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_oversized_body_leaves_the_keep_alive_connection_usable(threaded_server):
    user = UserFactory(username="big-body")
    key = raw_api_key(user)
    with requests.Session() as session:
        for endpoint in WRITE_ENDPOINTS:
            if endpoint.method != "post" or "{" in endpoint.setup.__name__:
                continue
            headers = {**HEADERS[endpoint.dialect](key), "Content-Type": "application/json"}
            url = threaded_server + endpoint.setup(user)
            big = session.post(url, data=oversized(endpoint.body(user)), headers=headers)
            assert big.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE, big.text[:200]
            assert big.headers["Content-Type"].startswith("application/json")
            # The same connection serves the next request.
            after = session.get(f"{threaded_server}/healthz", headers=headers)
            assert after.status_code == HTTPStatus.OK, after.text[:200]
