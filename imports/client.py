"""An HTTP client for a source's live API, authenticating the way that source's clients do."""

from __future__ import annotations

import time
from typing import Any

import requests
from django.core.management.base import CommandError

AUTH_HEADERS = {
    "moco": lambda key: {"Authorization": f"Token token={key}"},
    "huddle": lambda key: {"Authorization": f"Bearer {key}"},
    "mctime": lambda key: {"API_KEY": key},
    "prosonata": lambda key: {"X-API-Key": key},
}
MAX_RATE_LIMIT_WAIT = 120  # seconds; a longer Retry-After aborts instead of hanging


class SourceClient:
    def __init__(self, *, base_url: str, api_key: str, dialect: str, timeout: float = 30) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = requests.Session()
        self.session.headers.update(
            {"Accept": "application/json", **AUTH_HEADERS[dialect](api_key)}
        )

    def url(self, path: str) -> str:
        return path if path.startswith("http") else f"{self.base_url}/{path.lstrip('/')}"

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """One request; waits out a 429 (Retry-After) a few times, fails clearly otherwise."""
        for _ in range(5):
            try:
                response = self.session.request(
                    method, self.url(path), timeout=self.timeout, **kwargs
                )
            except requests.RequestException as exc:
                raise CommandError(f"{method} {self.url(path)} failed: {exc}") from exc
            if response.status_code != 429:
                break
            wait = int(response.headers.get("Retry-After", "5") or 5)
            if wait > MAX_RATE_LIMIT_WAIT:
                break
            time.sleep(wait)
        if response.status_code >= 400:
            raise CommandError(
                f"{method} {response.url} answered {response.status_code}: {response.text[:300]}"
            )
        return response

    def get(self, path: str, **params: Any) -> requests.Response:
        return self.request("GET", path, params={k: v for k, v in params.items() if v is not None})

    def post(self, path: str, json: Any, **params: Any) -> requests.Response:
        return self.request("POST", path, json=json, params=params or None)


def json_body(response: requests.Response) -> Any:
    """The response's JSON; a clear CommandError when it is not JSON."""
    try:
        return response.json()
    except ValueError:
        raise CommandError(
            f"{response.request.method} {response.url} did not answer JSON: {response.text[:200]!r}"
        ) from None
