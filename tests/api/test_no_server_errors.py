"""Inputs that used to answer 500: each is now a 4xx in the API's own error format, and
changes nothing (or, for a byte-order mark, is simply accepted)."""

from __future__ import annotations

import json
import time
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import pytest
import time_machine

from presences.models import Presence
from tests.api.conftest import assert_dialect_error, db_state
from tests.api.endpoints import BY_ID, NOW, TIMES_BODY, WRITE_ENDPOINTS
from tests.factories import (
    PresenceFactory,
    TeamFactory,
    UserFactory,
    WorkingTimeFactory,
    WorkspaceFactory,
)
from workingtimes.models import WorkingTime

pytestmark = pytest.mark.django_db


def send(client: Any, method: str, url: str, raw: bytes | str, content_type: str) -> Any:
    return getattr(client, method)(url, data=raw, content_type=content_type)


def nested(depth: int) -> str:
    return '{"a":' * depth + "1" + "}" * depth


@pytest.mark.parametrize("endpoint", WRITE_ENDPOINTS, ids=lambda e: e.id)
@pytest.mark.parametrize("depth", [1000, 100_000])
def test_deeply_nested_json_is_bad_input(api_client, member, endpoint, depth):
    url = endpoint.setup(member)
    before = db_state()
    client = api_client(member, endpoint.dialect)
    response = send(client, endpoint.method, url, nested(depth), "application/json")
    assert_dialect_error(response, endpoint.dialect)
    assert "nest" in response.content.decode().lower()
    assert db_state() == before


@pytest.mark.parametrize(
    ("raw", "content_type"),
    [
        ('{"date": 1e999}', "application/json"),
        ('{"date": NaN}', "application/json"),
        ('{"date": "2026-05-04"}', "application/json; charset=iso-8859-1"),
        (b'{"date": "\xff"}', "application/json"),
    ],
)
def test_json_that_is_not_interchange_json_is_bad_input(api_client, member, raw, content_type):
    response = api_client(member, "moco").post(
        "/api/v1/users/presences", data=raw, content_type=content_type
    )
    assert_dialect_error(response, "moco", HTTPStatus.UNPROCESSABLE_ENTITY)
    assert not Presence.objects.exists()


@pytest.mark.parametrize("endpoint", WRITE_ENDPOINTS, ids=lambda e: e.id)
def test_byte_order_mark_before_json_is_ignored(api_client, member, endpoint):
    url = endpoint.setup(member)
    client = api_client(member, endpoint.dialect)
    raw = b"\xef\xbb\xbf" + json.dumps(endpoint.body(member)).encode()
    with time_machine.travel(NOW, tick=False):
        response = send(client, endpoint.method, url, raw, "application/json; charset=utf-8")
    assert response.status_code < 300, response.content[:300]


@pytest.mark.parametrize(
    ("dialect", "url"),
    [
        ("moco", "/api/v1/users/presences?ids=%C2%B2"),
        ("moco", "/api/v1/users/presences?ids=1,%D9%A3"),
        ("moco", "/api/v1/users/presences?user_id=%D9%A3"),
        ("moco", "/api/v1/users/presences?user_id=%EF%BC%91"),
        ("moco", "/api/v1/users/presences?from=%D9%A2026-05-04&to=2026-05-05"),
        ("moco", "/api/v1/users/presences?updated_after=%D9%A2026-05-04T00:00:00Z"),
        ("prosonata", "/api/v1/workingtimes?userID=%C2%B2"),
        ("prosonata", "/api/v1/workingtimes?userID=%D9%A3"),
        ("prosonata", "/api/v1/workingtimes?dayType=%C2%B2"),
        ("prosonata", "/api/v1/workingtimes?dayType=%EF%BC%91"),
        ("prosonata", "/api/v1/workingtimes?workingDate=%D9%A2021-03-02"),
        ("prosonata", "/api/v1/workingtimes?perPage=%D9%A3"),
        (
            "mctime",
            "/api/v2/auth/times?from=%D9%A2026-05-04T00:00:00%2B00:00&to=2026-05-05T00:00:00Z",
        ),
        ("huddle", "/presence/1?page=%D9%A1"),
        ("mctime", "/api/v2/auth/clock?userIds=%D9%A0" + "0" * 31),
        ("mctime", "/api/v2/auth/users?page=%D9%A1"),
    ],
)
def test_only_ascii_digits_are_digits_in_query_parameters(api_client, admin, dialect, url):
    response = api_client(admin, dialect).get(url)
    assert_dialect_error(response, dialect)


def arabic_indic(number: int) -> str:
    return "".join(chr(0x0660 + int(digit)) for digit in str(number))


@pytest.mark.parametrize(
    ("dialect", "path", "make_id"),
    [
        ("moco", "/api/v1/users/presences/{}", lambda u: PresenceFactory(user=u).pk),
        ("moco", "/api/v1/users/{}", lambda u: u.pk),
        ("prosonata", "/api/v1/workingtimes/{}", lambda u: WorkingTimeFactory(user=u).pk),
        ("huddle", "/users/{}", lambda u: u.pk),
        ("huddle", "/teams/{}", lambda u: TeamFactory(members=[u]).pk),
        ("huddle", "/presence/{}/audits", lambda u: u.pk),
    ],
)
def test_only_ascii_digits_are_digits_in_path_ids(api_client, admin, dialect, path, make_id):
    # The record exists under its ASCII id; its Arabic-Indic spelling must not reach it.
    client = api_client(admin, dialect)
    pk = make_id(admin)
    assert client.get(path.format(pk)).status_code == HTTPStatus.OK
    assert_dialect_error(client.get(path.format(arabic_indic(pk))), dialect)


@pytest.mark.parametrize(
    ("endpoint_id", "change"),
    [
        ("moco-create", {"date": "\u0662\u0660\u0662\u0666-05-04"}),
        ("moco-create", {"from": "\u0660\u0668:00"}),
        ("moco-touch", {"override": "2026-05-04 \u0660\u0668:00"}),
        ("prosonata-create", {"dayType": "\u0661"}),
        ("prosonata-create", {"dailyTimeTotal": "\u0667.5"}),
        ("prosonata-create", {"dailyTimeStart": "\u0660\u0668:00:00"}),
        ("prosonata-create", {"workingDate": "\u0662021-03-02"}),
        ("prosonata-create", {"userID": "\uff11"}),
        ("prosonata-create", {"halfHoliday": "\u0661"}),
        ("huddle-create", {"startDate": "\u0662026-05-04T08:00:00+00:00"}),
    ],
)
def test_only_ascii_digits_are_digits_in_bodies(api_client, member, endpoint_id, change):
    endpoint = BY_ID[endpoint_id]
    url = endpoint.setup(member)
    before = db_state()
    body = {**endpoint.body(member), **change}
    with time_machine.travel(NOW, tick=False):
        response = getattr(api_client(member, endpoint.dialect), endpoint.method)(
            url, body, format="json"
        )
    assert_dialect_error(response, endpoint.dialect)
    assert db_state() == before


@pytest.mark.parametrize(
    "value", ["0001-01-01T00:00:00", "9999-12-31T23:59:59", "1899-12-31T23:00:00Z"]
)
def test_moco_updated_after_outside_the_date_range_is_422(api_client, member, value):
    response = api_client(member, "moco").get("/api/v1/users/presences", {"updated_after": value})
    assert_dialect_error(response, "moco", HTTPStatus.UNPROCESSABLE_ENTITY)


@pytest.mark.parametrize(
    ("url", "rel", "code"),
    [
        ("/presence", "user", "UserNotProvided"),
        ("/presence/teams/{team}", "team", "TeamNotProvided"),
        ("/presence/workspace/{workspace}", "workspace", "WorkspaceNotProvided"),
    ],
)
@pytest.mark.parametrize("href", ["http://[::1", "http://[", "http://[::1/users/1", 7])
def test_huddle_link_href_that_is_no_url_is_not_provided(api_client, member, url, rel, code, href):
    team = TeamFactory(members=[member])
    workspace = WorkspaceFactory(members=[member])
    response = api_client(member, "huddle").post(
        url.format(team=team.pk, workspace=workspace.pk),
        {"links": [{"rel": rel, "href": href}]},
        format="json",
    )
    assert_dialect_error(response, "huddle", HTTPStatus.BAD_REQUEST)
    assert response.json()["errorCode"] == code


@pytest.mark.parametrize(
    ("url", "raw"),
    [
        ("/api/v2/auth/clock", '{"action": "\\ud800"}'),
        ("/api/v2/auth/clock", '{"action": "start", "timeType": "\\udfff"}'),
        ("/api/v2/auth/clock", '{"action": "start", "comment": "a\\ud800b"}'),
        (
            "/api/v2/auth/times",
            '{"times": [{"from": "2026-05-04T08:00:00+02:00", '
            '"to": "2026-05-04T09:00:00+02:00", "timeType": "\\ud800"}]}',
        ),
        ("/api/v2/auth/clock", '{"\\ud800": "start"}'),
    ],
)
def test_mctime_unpaired_surrogates_are_bad_input(api_client, member, url, raw):
    before = db_state()
    response = api_client(member, "mctime").post(url, raw, content_type="application/json")
    assert_dialect_error(response, "mctime", HTTPStatus.BAD_REQUEST)
    response.content.decode("utf-8")  # the message echoes nothing unencodable
    assert db_state() == before


def _times_with_breaks(count: int) -> dict[str, Any]:
    breaks = [
        {
            "from": f"2026-05-04T{8 + i // 60:02d}:{i % 60:02d}:00+02:00",
            "to": f"2026-05-04T{8 + i // 60:02d}:{i % 60:02d}:30+02:00",
        }
        for i in range(count)
    ]
    item = {"from": "2026-05-04T08:00:00+02:00", "to": "2026-05-04T20:00:00+02:00"}
    return {"times": [{**item, "breaks": breaks}]}


def test_mctime_breaks_per_entry_are_capped(api_client, member):
    from clock.serializers import MAX_BREAKS_PER_ENTRY

    client = api_client(member, "mctime")
    before = db_state()
    response = client.post(
        "/api/v2/auth/times", _times_with_breaks(MAX_BREAKS_PER_ENTRY + 1), format="json"
    )
    assert_dialect_error(response, "mctime", HTTPStatus.BAD_REQUEST)
    assert "breaks" in response.json()["items"][0]["message"]
    assert db_state() == before
    response = client.post(
        "/api/v2/auth/times", _times_with_breaks(MAX_BREAKS_PER_ENTRY), format="json"
    )
    assert response.status_code == HTTPStatus.OK, response.json()


def test_mctime_thousands_of_breaks_are_refused_quickly(api_client, member):
    body = _times_with_breaks(5000)  # about 500 kB
    client = api_client(member, "mctime")
    started = time.monotonic()
    response = client.post("/api/v2/auth/times", body, format="json")
    assert_dialect_error(response, "mctime", HTTPStatus.BAD_REQUEST)
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(
    "url",
    [
        "/admin/clock/timeentry/not-a-uuid/history/",
        "/admin/clock/timeentry/not-a-uuid/history/1/",
        "/admin/clock/timeentry/00000000-0000-0000-0000-000000000000/history/x/",
        "/admin/presences/presence/x/history/",
        "/admin/presences/presence/99999999999999999999999/history/",
        "/admin/ooo/outofoffice/x/history/",
        "/admin/workingtimes/workingtime/x/history/",
        "/admin/clock/clock/x/history/",
    ],
)
def test_admin_malformed_object_id_is_404(client, url):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND


OUT_OF_RANGE_DAYS = ["0099-01-02", "0999-12-31", "1899-12-31", "3000-01-01", "99-01-02"]


@pytest.mark.parametrize("day", OUT_OF_RANGE_DAYS)
@pytest.mark.parametrize(
    ("endpoint_id", "field"),
    [("moco-create", "date"), ("moco-update", "date"), ("prosonata-create", "workingDate")],
)
def test_dates_outside_1900_to_2999_are_refused(api_client, member, day, endpoint_id, field):
    endpoint = BY_ID[endpoint_id]
    url = endpoint.setup(member)
    before = db_state()
    body = {**endpoint.body(member), field: day}
    response = getattr(api_client(member, endpoint.dialect), endpoint.method)(
        url, body, format="json"
    )
    assert_dialect_error(response, endpoint.dialect)
    assert field in response.content.decode()
    assert db_state() == before


@pytest.mark.parametrize(
    ("dialect", "url"),
    [
        ("moco", "/api/v1/users/presences?from=0099-01-02&to=2026-01-01"),
        ("moco", "/api/v1/users/presences?from=2026-01-01&to=3000-01-01"),
        ("prosonata", "/api/v1/workingtimes?workingDate=0099-01-02"),
        ("prosonata", "/api/v1/workingtimes?workingDate=%3C3000-01-01"),
    ],
)
def test_date_filters_outside_1900_to_2999_are_refused(api_client, member, dialect, url):
    assert_dialect_error(api_client(member, dialect).get(url), dialect)


def test_moco_touch_override_outside_the_date_range_is_refused(api_client, member):
    response = api_client(member, "moco").post(
        "/api/v1/users/presences/touch", {"override": "0099-01-02 08:00"}, format="json"
    )
    assert_dialect_error(response, "moco", HTTPStatus.UNPROCESSABLE_ENTITY)
    assert not Presence.objects.exists()


@pytest.mark.parametrize("day", ["1900-01-01", "2999-12-31"])
def test_dates_at_the_ends_of_the_range_round_trip(api_client, admin, day):
    moco = api_client(admin, "moco")
    created = moco.post(
        "/api/v1/users/presences", {"date": day, "from": "08:00", "to": "09:00"}, format="json"
    )
    assert created.status_code == HTTPStatus.CREATED, created.json()
    assert created.json()["date"] == day
    prosonata = api_client(admin, "prosonata")
    body = {**BY_ID["prosonata-create"].body(admin), "workingDate": day}
    response = prosonata.post("/api/v1/workingtimes", body, format="json")
    assert response.status_code == HTTPStatus.CREATED, response.json()
    assert response.json()["data"]["workingDate"] == day
    assert WorkingTime.objects.get().working_date.isoformat() == day


def test_mctime_times_body_stays_valid():
    # The fixture body used above is itself accepted input (guards the tests' own data).
    assert TIMES_BODY["times"][0]["breaks"]


@pytest.mark.parametrize("form", ["path", "query"])
def test_mctime_entry_id_with_non_ascii_digits_names_nothing(api_client, member, form):
    from clock.models import TimeEntry
    from tests.factories import TimeEntryFactory

    entry = TimeEntryFactory(user=member)
    spelled = "".join(chr(0x0660 + int(c)) if c.isdigit() else c for c in str(entry.pk))
    assert spelled != str(entry.pk)
    client = api_client(member, "mctime")
    if form == "path":
        response = client.delete(f"/api/v2/auth/times/{spelled}")
    else:
        response = client.delete(f"/api/v2/auth/times?id={quote(spelled)}")
    assert_dialect_error(response, "mctime", HTTPStatus.BAD_REQUEST)
    assert TimeEntry.objects.filter(pk=entry.pk).exists()
