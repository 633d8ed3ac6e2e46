"""Instants across the daylight-saving switches of Europe/Berlin (docs/decisions.md)."""

from datetime import timedelta
from http import HTTPStatus

import pytest
import time_machine

from clock.models import TimeEntry
from tests.clock.conftest import CLOCK_URL, TIMES_URL, at


@pytest.mark.parametrize(
    ("start", "stop", "hours"),
    [
        # 2026-10-25 03:00 CEST becomes 02:00 CET: the night has one hour more.
        ("2026-10-24T22:00:00+02:00", "2026-10-25T06:00:00+01:00", 9),
        # 2026-03-29 02:00 CET becomes 03:00 CEST: the night has one hour less.
        ("2026-03-28T22:00:00+01:00", "2026-03-29T06:00:00+02:00", 7),
    ],
)
def test_a_clock_over_the_night_of_the_switch_has_the_right_duration(
    mctime, member, start, stop, hours
):
    client = mctime(member)
    client.post(CLOCK_URL, {"action": "start", "dateTime": start}, format="json")
    response = client.post(CLOCK_URL, {"action": "stop", "dateTime": stop}, format="json")
    assert response.status_code == HTTPStatus.OK
    data = response.json()["items"][0]["data"]
    assert (data["from"], data["to"]) == (start, stop)
    entry = TimeEntry.objects.get(user=member)
    assert entry.ends_at - entry.starts_at == timedelta(hours=hours)


def test_now_is_rendered_with_the_offset_in_force_at_that_instant(mctime, member):
    client = mctime(member)
    # 00:30 UTC is 02:30 CEST; 02:30 UTC is 03:30 CET: the same wall clock hour twice over.
    with time_machine.travel(at("2026-10-25T00:30:00+00:00"), tick=False):
        started = client.post(CLOCK_URL, {"action": "start"}, format="json")
    with time_machine.travel(at("2026-10-25T01:30:00+00:00"), tick=False):
        stopped = client.post(CLOCK_URL, {"action": "stop"}, format="json")
    assert started.json()["items"][0]["data"]["from"] == "2026-10-25T02:30:00+02:00"
    data = stopped.json()["items"][0]["data"]
    assert (data["from"], data["to"]) == ("2026-10-25T02:30:00+02:00", "2026-10-25T02:30:00+01:00")


def test_a_user_in_another_zone_sees_their_own_offsets(mctime, member):
    member.timezone = "America/New_York"
    member.save()
    client = mctime(member)
    client.post(
        CLOCK_URL, {"action": "start", "dateTime": "2026-11-01T05:00:00+00:00"}, format="json"
    )
    response = client.post(
        CLOCK_URL, {"action": "stop", "dateTime": "2026-11-01T07:00:00+00:00"}, format="json"
    )
    data = response.json()["items"][0]["data"]
    # New York leaves daylight saving time at 2026-11-01 06:00 UTC.
    assert (data["from"], data["to"]) == ("2026-11-01T01:00:00-04:00", "2026-11-01T02:00:00-05:00")
    listed = client.get(
        TIMES_URL,
        {"from": "2026-11-01T00:00:00-04:00", "to": "2026-11-02T00:00:00-05:00"},
    )
    assert listed.json()["items"][0]["data"]["timeEntries"][0]["times"][0]["from"] == (
        "2026-11-01T01:00:00-04:00"
    )
