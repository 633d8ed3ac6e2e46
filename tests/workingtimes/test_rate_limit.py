"""Per-key quota per 15-minute window: meta.apiLimitRemaining / apiLimitReset, then 429."""

from datetime import UTC, datetime
from http import HTTPStatus

import time_machine

from tests.workingtimes.conftest import LIST_URL, SPEC_EXAMPLE, snapshot

NOW = datetime(2021, 3, 2, 17, 5, tzinfo=UTC)  # 5 minutes into a window: 600 s left


@time_machine.travel(NOW, tick=False)
def test_quota_counts_down_and_then_refuses_with_429(settings, member, prosonata):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "prosonata": "2/900"}
    client = prosonata(member)

    first = client.get(LIST_URL)
    second = client.get(LIST_URL)
    before = snapshot()
    third = client.post(LIST_URL, {**SPEC_EXAMPLE, "userID": member.pk}, format="json")

    assert [
        first.json()["meta"]["apiLimitRemaining"],
        second.json()["meta"]["apiLimitRemaining"],
    ] == [1, 0]
    assert first.json()["meta"]["apiLimitReset"] == 600
    assert third.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert third.json() == {
        "meta": {
            "status": 429,
            "message": "Rate limit exceeded; try again in 600 seconds.",
            "apiLimitRemaining": 0,
            "apiLimitReset": 600,
        },
        "data": [],
    }
    assert snapshot() == before


def test_quota_is_per_key_and_resets_with_the_window(settings, member, prosonata):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "prosonata": "1/900"}
    with time_machine.travel(NOW, tick=False) as traveller:
        client, other_key = prosonata(member), prosonata(member)
        assert client.get(LIST_URL).status_code == HTTPStatus.OK
        assert client.get(LIST_URL).status_code == HTTPStatus.TOO_MANY_REQUESTS
        assert other_key.get(LIST_URL).status_code == HTTPStatus.OK

        traveller.shift(600)  # the next window

        assert client.get(LIST_URL).status_code == HTTPStatus.OK
