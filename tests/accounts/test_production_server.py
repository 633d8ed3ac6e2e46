"""McTime's `API_KEY` header (underscore) must reach Django through the production server.

gunicorn drops headers with underscores unless configured; this starts a real gunicorn with
the project's gunicorn.conf.py against the test database and calls a McTime endpoint.
"""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from http import HTTPStatus
from pathlib import Path

import pytest
import requests
from django.db import connection

from tests.factories import UserFactory, raw_api_key

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.postgres_only, pytest.mark.live]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def start_gunicorn(*, with_project_config: bool) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        "DEBUG": "false",
        "CONN_MAX_AGE": "0",
    }
    args = [sys.executable, "-m", "gunicorn"]
    if with_project_config:
        args += ["-c", str(ROOT / "gunicorn.conf.py")]
    else:
        args += ["-c", "/dev/null", "--bind", env["GUNICORN_BIND"], "--workers", "1"]
    process = subprocess.Popen(
        [*args, "config.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/healthz", timeout=5).status_code == HTTPStatus.OK:
                return process, base
        except requests.RequestException:  # not listening yet, or still booting
            time.sleep(0.1)
    process.terminate()
    pytest.fail("gunicorn did not start within 30 s")


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
