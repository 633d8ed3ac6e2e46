"""Helpers for the ledger tests: a Bearer client and the /days URL."""

from collections.abc import Callable
from typing import Any

import pytest

DAYS = "/api/timebridge/v1/days"


@pytest.fixture
def days(api_client) -> Callable[..., Any]:  # type: ignore[no-untyped-def]
    """days(user, **params) -> the response of GET /days as `user` (Bearer key)."""

    def get(as_user, path: str = DAYS, **params):  # type: ignore[no-untyped-def]
        return api_client(as_user, "timebridge").get(path, params)

    return get
