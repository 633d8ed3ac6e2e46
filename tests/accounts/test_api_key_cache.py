"""The per-process API-key memory (config/api/keycache.py): it saves the key's lookup query,
and any change to a key or its user is seen by the very next request."""

import time
from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiKey
from accounts.services import revoke_api_key
from config.api import keycache
from tests.factories import raw_api_key

LIST_URL = "/api/v1/users/presences"


@pytest.fixture(autouse=True)
def _fresh_memory():  # type: ignore[no-untyped-def]
    keycache._entries.clear()
    yield
    keycache._entries.clear()


@pytest.fixture
def cached(settings):  # type: ignore[no-untyped-def]
    settings.API_KEY_CACHE_SECONDS = 10
    return settings


def moco_client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token token={key}")
    return client


def key_lookups(client: APIClient) -> int:
    """How many queries one list request sends to the API-key table."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(LIST_URL).status_code == HTTPStatus.OK
    return sum('"accounts_apikey"' in query["sql"] for query in captured)


@pytest.mark.parametrize(("seconds", "lookups"), [(0, 1), (10, 0)])
def test_a_remembered_key_is_not_looked_up_again(settings, member, seconds, lookups):
    settings.API_KEY_CACHE_SECONDS = seconds
    client = moco_client(raw_api_key(member))
    client.get(LIST_URL)  # first use: looked up, last use recorded

    assert key_lookups(client) == lookups


def revoke_by_service(api_key: ApiKey) -> None:
    revoke_api_key(api_key=api_key)


def revoke_by_saving(api_key: ApiKey) -> None:  # as the admin's change form does
    api_key.revoked_at = timezone.now()
    api_key.save()


def delete_key(api_key: ApiKey) -> None:
    api_key.delete()


def deactivate_user(api_key: ApiKey) -> None:
    api_key.user.is_active = False
    api_key.user.save()


def delete_user(api_key: ApiKey) -> None:
    api_key.user.delete()


@pytest.mark.parametrize(
    "change", [revoke_by_service, revoke_by_saving, delete_key, deactivate_user, delete_user]
)
def test_a_revoked_key_or_gone_user_is_refused_at_once(cached, member, change):
    client = moco_client(raw_api_key(member))
    assert client.get(LIST_URL).status_code == HTTPStatus.OK
    assert client.get(LIST_URL).status_code == HTTPStatus.OK  # served from memory

    change(ApiKey.objects.select_related("user").get(user=member))

    response = client.get(LIST_URL)
    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json() == {"message": "Invalid, revoked or unknown API key."}


def test_a_change_to_the_user_is_read_afresh(cached, member):
    client = moco_client(raw_api_key(member))
    client.get(LIST_URL)
    member.role = "admin"
    member.save()

    assert key_lookups(client) == 1


def test_a_change_made_by_another_process_is_seen_through_the_shared_generation(cached, member):
    client = moco_client(raw_api_key(member))
    client.get(LIST_URL)
    cache.incr(keycache.GENERATION_KEY)  # what another process's revocation does

    assert key_lookups(client) == 1


def test_a_remembered_key_expires(cached, member):
    cached.API_KEY_CACHE_SECONDS = 0.05
    client = moco_client(raw_api_key(member))
    client.get(LIST_URL)
    time.sleep(0.1)

    assert key_lookups(client) == 1


def test_a_wrong_key_is_never_remembered(cached, member):
    key = raw_api_key(member)
    wrong = key[:-1] + ("A" if key[-1] != "A" else "B")

    for _ in range(2):
        assert moco_client(wrong).get(LIST_URL).status_code == HTTPStatus.UNAUTHORIZED
    assert keycache._entries == {}
    assert moco_client(key).get(LIST_URL).status_code == HTTPStatus.OK


def test_last_use_is_still_recorded_once_per_window(cached, member, settings):
    settings.API_KEY_LAST_USED_RESOLUTION_SECONDS = 0  # every request may write it
    client = moco_client(raw_api_key(member))
    client.get(LIST_URL)
    first = ApiKey.objects.get(user=member).last_used_at

    client.get(LIST_URL)  # served from memory, still records its use

    assert ApiKey.objects.get(user=member).last_used_at > first


def test_each_request_gets_its_own_user_object(cached, member):
    key = raw_api_key(member)
    client = moco_client(key)
    client.get(LIST_URL)
    key_hash = next(iter(keycache._entries))

    first, second = keycache.get(key_hash), keycache.get(key_hash)

    assert first is not None
    assert second is not None
    assert first.user is not second.user
    assert (first.user.pk, first.user.username) == (member.pk, member.username)


def test_a_cache_outage_does_not_stop_a_revocation(cached, member):
    moco_client(raw_api_key(member)).get(LIST_URL)
    api_key = ApiKey.objects.get(user=member)
    assert len(keycache._entries) == 1
    # A Redis nobody listens on: every cache call fails to connect.
    cached.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1",
        }
    }

    revoke_api_key(api_key=api_key)

    assert ApiKey.objects.get(pk=api_key.pk).revoked_at is not None
    assert keycache._entries == {}  # this process forgets at once all the same


def test_a_remembered_key_stops_working_when_it_expires(cached, member):
    import datetime as dt

    import time_machine

    from accounts.services import create_api_key

    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _, raw = create_api_key(user=member, expires_at=start + dt.timedelta(seconds=5))
        client = moco_client(raw)
        assert client.get(LIST_URL).status_code == HTTPStatus.OK
        assert key_lookups(client) == 0  # remembered
    # Expiry saves nothing that would clear the memory: the remembered key checks it itself.
    with time_machine.travel(start + dt.timedelta(seconds=6), tick=False):
        assert client.get(LIST_URL).status_code == HTTPStatus.UNAUTHORIZED
