"""Every JSON write endpoint of the four APIs, with a valid body for the member persona.

`setup(member)` creates what the endpoint needs (an existing record to update…) and returns
the URL; `body(member)` is a body the endpoint accepts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from accounts.models import User
from tests.factories import (
    OutOfOfficeFactory,
    PresenceFactory,
    TeamFactory,
    WorkingTimeFactory,
    WorkspaceFactory,
)


@dataclass(frozen=True)
class Endpoint:
    id: str
    dialect: str
    method: str
    setup: Callable[[User], str]
    body: Callable[[User], Any]


def _moco_detail(user: User) -> str:
    presence = PresenceFactory(user=user, date=date(2026, 5, 5))
    return f"/api/v1/users/presences/{presence.pk}"


def _huddle_detail(user: User) -> str:
    presence = OutOfOfficeFactory(user=user)
    return f"/presence/{user.pk}/{presence.pk}"


def _huddle_team(user: User) -> str:
    return f"/presence/teams/{TeamFactory(members=[user]).pk}"


def _huddle_workspace(user: User) -> str:
    return f"/presence/workspace/{WorkspaceFactory(members=[user]).pk}"


def _prosonata_detail(user: User) -> str:
    record = WorkingTimeFactory(
        user=user,
        working_date=date(2021, 3, 3),
        daily_time_start=time(8),
        daily_time_end=time(16),
        daily_time_total=Decimal("7.50"),
    )
    return f"/api/v1/workingtimes/{record.pk}"


def _fixed(url: str) -> Callable[[User], str]:
    return lambda user: url


MOCO_BODY = {"date": "2026-05-04", "from": "08:00", "to": "12:00", "is_home_office": False}
HUDDLE_BODY = {
    "isActive": True,
    "startDate": "2026-05-04T08:00:00+00:00",
    "endDate": "2026-05-08T18:00:00+00:00",
    "message": "Back on Monday",
}
HUDDLE_RANGE = {"startDate": "2026-05-01T00:00:00+00:00", "endDate": "2026-06-01T00:00:00+00:00"}
TIMES_BODY = {
    "times": [
        {
            "from": "2026-05-04T08:00:00+02:00",
            "to": "2026-05-04T16:00:00+02:00",
            "breaks": [{"from": "2026-05-04T12:00:00+02:00", "to": "2026-05-04T12:30:00+02:00"}],
            "timeType": "work",
            "comment": "on site",
        }
    ]
}
CLOCK_BODY = {
    "action": "start",
    "dateTime": "2026-05-04T08:00:00+02:00",
    "timeType": "work",
    "comment": "early shift",
}


def _prosonata_body(user: User) -> dict[str, Any]:
    return {
        "userID": user.pk,
        "workingDate": "2021-03-02",
        "dailyTimeStart": "08:18:00",
        "dailyTimeEnd": "16:48:00",
        "dailyTimeTotal": 7.75,
        "break1Start": "12:06:00",
        "break1End": "12:51:00",
        "dayType": 0,
        "comments": "eine Anmerkung",
    }


def _huddle_users_body(user: User) -> dict[str, Any]:
    return {**HUDDLE_RANGE, "links": [{"rel": "user", "href": f"/users/{user.pk}"}]}


WRITE_ENDPOINTS = [
    Endpoint("moco-create", "moco", "post", _fixed("/api/v1/users/presences"), lambda u: MOCO_BODY),
    Endpoint("moco-update", "moco", "put", _moco_detail, lambda u: MOCO_BODY),
    Endpoint(
        "moco-touch",
        "moco",
        "post",
        _fixed("/api/v1/users/presences/touch"),
        lambda u: {"is_home_office": True, "override": "2026-05-04 08:00"},
    ),
    Endpoint("huddle-create", "huddle", "post", _fixed("/presence/create"), lambda u: HUDDLE_BODY),
    Endpoint("huddle-update", "huddle", "put", _huddle_detail, lambda u: HUDDLE_BODY),
    Endpoint("huddle-by-users", "huddle", "post", _fixed("/presence"), _huddle_users_body),
    Endpoint("huddle-by-team", "huddle", "post", _huddle_team, lambda u: HUDDLE_RANGE),
    Endpoint("huddle-by-workspace", "huddle", "post", _huddle_workspace, lambda u: HUDDLE_RANGE),
    Endpoint("mctime-clock", "mctime", "post", _fixed("/api/v2/auth/clock"), lambda u: CLOCK_BODY),
    Endpoint("mctime-times", "mctime", "post", _fixed("/api/v2/auth/times"), lambda u: TIMES_BODY),
    Endpoint(
        "prosonata-create", "prosonata", "post", _fixed("/api/v1/workingtimes"), _prosonata_body
    ),
    Endpoint(
        "prosonata-update",
        "prosonata",
        "put",
        _prosonata_detail,
        lambda u: {"dailyTimeStart": "07:30:00", "dailyTimeTotal": 8, "comments": "früher"},
    ),
]
BY_ID = {endpoint.id: endpoint for endpoint in WRITE_ENDPOINTS}
NOW = datetime(2026, 5, 4, 10, tzinfo=UTC)
