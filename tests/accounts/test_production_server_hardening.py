"""The production server (gunicorn with gunicorn.conf.py): forwarded headers are trusted
only from configured proxies, and the access log never shows an API key."""

from http import HTTPStatus

import pytest
import requests

from tests.factories import PresenceFactory, UserFactory, raw_api_key
from tests.live import start_gunicorn

pytestmark = [pytest.mark.postgres_only, pytest.mark.live, pytest.mark.django_db(transaction=True)]


def _paged_presences() -> str:
    user = UserFactory(first_name="Gus", last_name="Unicorn")
    for day in range(1, 4):
        PresenceFactory(user=user, date=f"2024-05-0{day}")
    return raw_api_key(user)


@pytest.mark.parametrize(
    ("allowed", "scheme"),
    [(None, "http"), ("127.0.0.1", "https")],
    ids=["default-trusts-no-one", "configured-proxy-trusted"],
)
def test_forwarded_proto_is_believed_only_from_configured_proxies(tmp_path, allowed, scheme):
    key = _paged_presences()
    extra_env = {"FORWARDED_ALLOW_IPS": allowed} if allowed else {}
    process, base = start_gunicorn(with_project_config=True, extra_env=extra_env)
    try:
        response = requests.get(
            f"{base}/api/v1/users/presences?per_page=1",
            headers={"Authorization": f"Token token={key}", "X-Forwarded-Proto": "https"},
            timeout=10,
        )
    finally:
        process.terminate()
        process.wait(timeout=10)

    assert response.status_code == HTTPStatus.OK
    assert response.links["next"]["url"].startswith(f"{scheme}://127.0.0.1:")


def test_access_log_redacts_the_api_key(tmp_path):
    key = _paged_presences()
    log = tmp_path / "gunicorn.log"
    process, base = start_gunicorn(with_project_config=True, log_file=log)
    try:
        response = requests.get(
            f"{base}/api/v1/users/presences?per_page=1&apiKey={key}",
            headers={"Referer": f"{base}/somewhere?apiKey={key}"},
            timeout=10,
        )
    finally:
        process.terminate()
        process.wait(timeout=10)

    assert response.status_code == HTTPStatus.OK
    text = log.read_text()
    request_lines = [line for line in text.splitlines() if "/api/v1/users/presences" in line]
    assert request_lines, text
    assert "apiKey=[redacted]" in request_lines[0]
    assert key not in text
    assert key.split(".")[1] not in text
