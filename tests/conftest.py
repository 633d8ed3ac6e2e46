"""Personas and API clients shared by every test module.

`admin`, `member` and `other_member` are the usual cast; `api_client(user, dialect)`
returns a DRF test client that authenticates the way that source's clients do.
"""

from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.db import connection
from rest_framework.test import APIClient

from accounts.models import User
from tests.factories import AdminFactory, UserFactory, raw_api_key

# How each source's clients send their key (docs/decisions.md).
AUTH_HEADERS: dict[str, Callable[[str], dict[str, str]]] = {
    "moco": lambda key: {"HTTP_AUTHORIZATION": f"Token token={key}"},
    "huddle": lambda key: {"HTTP_AUTHORIZATION": f"Bearer {key}"},
    "mctime": lambda key: {"HTTP_API_KEY": key},
    "prosonata": lambda key: {"HTTP_X_API_KEY": key},
}
# Timebridge's own API documents `Authorization: Bearer KEY` (any accepted form works).
AUTH_HEADERS["timebridge"] = lambda key: {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def pytest_collection_modifyitems(config, items):  # type: ignore[no-untyped-def]
    """Skip PostgreSQL-only tests when the suite runs on SQLite."""
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (exclusion constraints, row locks)")
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True, scope="session")
def _database_zones_known(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """The ledger reads PostgreSQL's list of time zones once per process; read it before any
    test counts queries, as a long-running server has."""
    from ledger.lookback import database_zones

    if connection.vendor == "postgresql":
        with django_db_blocker.unblock():
            database_zones()


@pytest.fixture(autouse=True)
def _clear_cache():  # type: ignore[no-untyped-def]
    """Rate-limit counters live in the cache; every test starts with fresh quotas."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def admin(db) -> User:  # type: ignore[no-untyped-def]
    return AdminFactory(username="alice", first_name="Alice", last_name="Admin")


@pytest.fixture
def member(db) -> User:  # type: ignore[no-untyped-def]
    return UserFactory(username="bob", first_name="Bob", last_name="Member")


@pytest.fixture
def other_member(db) -> User:  # type: ignore[no-untyped-def]
    return UserFactory(username="charlie", first_name="Charlie", last_name="Other")


@pytest.fixture
def api_client(db) -> Callable[..., APIClient]:  # type: ignore[no-untyped-def]
    """api_client(user, "moco") -> a client sending a fresh key of `user` MOCO's way."""

    def make(user: User | None, dialect: str = "moco", **extra_headers: str) -> APIClient:
        client = APIClient()
        headers: dict[str, str] = {}
        if user is not None:
            headers.update(AUTH_HEADERS[dialect](raw_api_key(user)))
        headers.update(extra_headers)
        client.credentials(**headers)
        return client

    return make
