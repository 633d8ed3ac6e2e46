"""While a user's date is closed, every write on it is refused in that API's own words."""

import datetime as dt
from http import HTTPStatus

import pytest
import time_machine

from clock.models import TimeEntry
from tests.closing.conftest import snapshot
from tests.factories import (
    ClockFactory,
    OutOfOfficeFactory,
    PresenceFactory,
    TimeEntryFactory,
    WorkingTimeFactory,
)

CLOSED_MESSAGE = "2026-03-05 is in a closed period (2026-03-01 to 2026-03-31, closure {id})"


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


# --- MOCO presences: 423 {"message"} --------------------------------------------------------


@pytest.fixture
def moco_client(api_client, member):  # type: ignore[no-untyped-def]
    return api_client(member, "moco")


MOCO_WRITES = {
    "create": lambda c, p: c.post(
        "/api/v1/users/presences",
        {"date": "2026-03-05", "from": "13:00", "to": "14:00"},
        format="json",
    ),
    "update": lambda c, p: c.put(f"/api/v1/users/presences/{p.pk}", {"to": "13:00"}, format="json"),
    "move out": lambda c, p: c.put(
        f"/api/v1/users/presences/{p.pk}", {"date": "2026-04-02"}, format="json"
    ),
    "delete": lambda c, p: c.delete(f"/api/v1/users/presences/{p.pk}"),
    "touch": lambda c, p: c.post("/api/v1/users/presences/touch"),
}


@time_machine.travel(at("2026-03-05T15:00:00+01:00"), tick=False)
@pytest.mark.parametrize("write", MOCO_WRITES.values(), ids=MOCO_WRITES.keys())
def test_moco_write_on_a_closed_date_is_423_locked(moco_client, member, close, write):
    presence = PresenceFactory(user=member, date=dt.date(2026, 3, 5))
    closure = close(member)
    before = snapshot()

    response = write(moco_client, presence)

    assert response.status_code == HTTPStatus.LOCKED
    body = response.json()
    assert list(body) == ["message"]
    assert body["message"].startswith(CLOSED_MESSAGE.format(id=closure.pk))
    assert snapshot() == before


@time_machine.travel(at("2026-03-05T15:00:00+01:00"), tick=False)
def test_moco_put_that_changes_nothing_on_a_closed_date_succeeds_and_writes_nothing(
    moco_client, member, close
):
    presence = PresenceFactory(
        user=member, date=dt.date(2026, 3, 5), from_time=dt.time(8), to_time=dt.time(12)
    )
    close(member)
    before = snapshot()

    response = moco_client.put(
        f"/api/v1/users/presences/{presence.pk}", {"from": "08:00", "to": "12:00"}, format="json"
    )

    assert response.status_code == HTTPStatus.OK
    assert snapshot() == before


def test_moco_moving_a_presence_into_a_closed_date_is_refused(moco_client, member, close):
    presence = PresenceFactory(user=member, date=dt.date(2026, 4, 2))
    close(member)
    response = moco_client.put(
        f"/api/v1/users/presences/{presence.pk}", {"date": "2026-03-05"}, format="json"
    )
    assert response.status_code == HTTPStatus.LOCKED


def test_moco_writes_of_other_users_and_dates_go_through(api_client, member, other_member, close):
    close(member)
    created = api_client(other_member, "moco").post(
        "/api/v1/users/presences", {"date": "2026-03-05", "from": "08:00"}, format="json"
    )
    assert created.status_code == HTTPStatus.CREATED
    april = api_client(member, "moco").post(
        "/api/v1/users/presences", {"date": "2026-04-01", "from": "08:00"}, format="json"
    )
    assert april.status_code == HTTPStatus.CREATED


# --- ProSonata working times: 403 meta.message ------------------------------------------------

WORKING_DAY = {"dailyTimeStart": "08:00:00", "dailyTimeEnd": "12:00:00", "dailyTimeTotal": 4}
PROSONATA_WRITES = {
    "create": lambda c, w: c.post(
        "/api/v1/workingtimes",
        {**WORKING_DAY, "workingDate": "2026-03-06", "userID": w.user_id},
        format="json",
    ),
    "replace on POST": lambda c, w: c.post(
        "/api/v1/workingtimes",
        {**WORKING_DAY, "workingDate": "2026-03-05", "userID": w.user_id},
        format="json",
    ),
    "update": lambda c, w: c.put(
        f"/api/v1/workingtimes/{w.pk}", {"comments": "changed"}, format="json"
    ),
    "delete": lambda c, w: c.delete(f"/api/v1/workingtimes/{w.pk}"),
}


@pytest.mark.parametrize("write", PROSONATA_WRITES.values(), ids=PROSONATA_WRITES.keys())
def test_prosonata_write_on_a_closed_date_is_403(api_client, member, close, write):
    record = WorkingTimeFactory(user=member, working_date=dt.date(2026, 3, 5))
    closure = close(member)
    before = snapshot()

    response = write(api_client(member, "prosonata"), record)

    assert response.status_code == HTTPStatus.FORBIDDEN
    body = response.json()
    assert body["data"] == []
    assert body["meta"]["status"] == HTTPStatus.FORBIDDEN
    assert "is in a closed period (2026-03-01 to 2026-03-31" in body["meta"]["message"]
    assert f"closure {closure.pk}" in body["meta"]["message"]
    assert snapshot() == before


# --- Huddle out of office: 403 errorCode PeriodClosed -----------------------------------------

OOO_BODY = {
    "isActive": True,
    "startDate": "2026-03-30T08:00:00+02:00",
    "endDate": "2026-04-03T18:00:00+02:00",
    "message": "away",
}
HUDDLE_WRITES = {
    "create touching the period": lambda c, u, o: c.post(
        "/presence/create", OOO_BODY, format="json"
    ),
    "create without dates": lambda c, u, o: c.post(
        "/presence/create",
        {"isActive": True, "startDate": "2026-02-20T08:00:00+01:00"},
        format="json",
    ),
    "update": lambda c, u, o: c.put(
        f"/presence/{u.pk}/{o.pk}",
        {**OOO_BODY, "startDate": "2026-04-01T08:00:00+02:00"},
        format="json",
    ),
    "delete": lambda c, u, o: c.delete(f"/presence/{u.pk}/{o.pk}"),
}


@pytest.mark.parametrize("write", HUDDLE_WRITES.values(), ids=HUDDLE_WRITES.keys())
def test_huddle_write_touching_a_closed_date_is_403_period_closed(api_client, member, close, write):
    presence = OutOfOfficeFactory(
        user=member,
        start_date=at("2026-03-10T00:00:00+01:00"),
        end_date=at("2026-03-12T00:00:00+01:00"),
    )
    close(member)
    before = snapshot()

    response = write(api_client(member, "huddle"), member, presence)

    assert response.status_code == HTTPStatus.FORBIDDEN
    body = response.json()
    assert body["statusCode"] == HTTPStatus.FORBIDDEN
    assert body["errorCode"] == "PeriodClosed"
    assert "is in a closed period" in body["errorMessages"][0]
    assert snapshot() == before


def test_huddle_setting_after_the_period_is_accepted(api_client, member, close):
    close(member)
    response = api_client(member, "huddle").post(
        "/presence/create",
        {**OOO_BODY, "startDate": "2026-04-01T08:00:00+02:00"},
        format="json",
    )
    assert response.status_code == HTTPStatus.CREATED


# --- McTime: 400 envelope naming the date; a stop yields the invalid clocking entry ----------

TIMES_URL = "/api/v2/auth/times"
CLOCK_URL = "/api/v2/auth/clock"
SPAN = {"from": "2026-03-05T13:00:00+01:00", "to": "2026-03-05T14:00:00+01:00"}


def test_mctime_post_times_on_a_closed_date_is_400_naming_the_date(api_client, member, close):
    close(member)
    before = snapshot()
    response = api_client(member, "mctime").post(TIMES_URL, {"times": [SPAN]}, format="json")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    body = response.json()
    assert body["valid"] is False
    assert body["items"][0]["message"].startswith("times.0: 2026-03-05 is in a closed period")
    assert snapshot() == before


@pytest.mark.parametrize(
    "entry_span",
    [
        ("2026-03-05T08:00:00+01:00", "2026-03-05T12:00:00+01:00"),  # edited where it is
        ("2026-04-01T08:00:00+02:00", "2026-04-01T12:00:00+02:00"),  # moved into the period
    ],
)
def test_mctime_editing_an_entry_on_or_onto_a_closed_date_is_refused(
    api_client, member, close, entry_span
):
    entry = TimeEntryFactory(user=member, starts_at=at(entry_span[0]), ends_at=at(entry_span[1]))
    close(member)
    before = snapshot()
    response = api_client(member, "mctime").post(
        TIMES_URL, {"times": [{**SPAN, "id": str(entry.pk)}]}, format="json"
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "2026-03-05 is in a closed period" in response.json()["items"][0]["message"]
    assert snapshot() == before


def test_mctime_new_entry_that_would_trim_one_on_a_closed_date_is_refused(
    api_client, member, close
):
    # The stored entry runs over midnight from the closed 31 March into April.
    TimeEntryFactory(
        user=member,
        starts_at=at("2026-03-31T22:00:00+02:00"),
        ends_at=at("2026-04-01T06:00:00+02:00"),
    )
    close(member)
    before = snapshot()
    response = api_client(member, "mctime").post(
        TIMES_URL,
        {"times": [{"from": "2026-04-01T05:00:00+02:00", "to": "2026-04-01T09:00:00+02:00"}]},
        format="json",
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "2026-03-31 is in a closed period" in response.json()["items"][0]["message"]
    assert snapshot() == before


@pytest.mark.parametrize("form", ["path", "query"])
def test_mctime_delete_times_on_a_closed_date_is_400(api_client, member, close, form):
    entry = TimeEntryFactory(
        user=member,
        starts_at=at("2026-03-05T08:00:00+01:00"),
        ends_at=at("2026-03-05T12:00:00+01:00"),
    )
    close(member)
    before = snapshot()
    url = f"{TIMES_URL}/{entry.pk}" if form == "path" else f"{TIMES_URL}?id={entry.pk}"
    response = api_client(member, "mctime").delete(url)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["valid"] is False
    assert "2026-03-05 is in a closed period" in response.json()["items"][0]["message"]
    assert snapshot() == before


def test_mctime_stop_on_a_closed_date_yields_the_invalid_clocking_entry(api_client, member, close):
    ClockFactory(user=member, started_at=at("2026-03-05T08:00:00+01:00"))
    close(member)
    response = api_client(member, "mctime").post(
        CLOCK_URL, {"action": "stop", "dateTime": "2026-03-05T12:00:00+01:00"}, format="json"
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    body = response.json()
    assert body["valid"] is False
    entry = TimeEntry.objects.get(user=member)
    assert entry.is_valid is False
    assert entry.creation_type == "clock"
    assert body["items"][0]["data"]["id"] == str(entry.pk)
    assert "invalid clocking time entry" in body["items"][0]["message"]
    assert "2026-03-05 is in a closed period" in body["items"][0]["message"]


def test_mctime_stop_after_the_period_makes_a_valid_entry(api_client, member, close):
    ClockFactory(user=member, started_at=at("2026-04-01T08:00:00+02:00"))
    close(member)
    response = api_client(member, "mctime").post(
        CLOCK_URL, {"action": "stop", "dateTime": "2026-04-01T12:00:00+02:00"}, format="json"
    )
    assert response.status_code == HTTPStatus.OK
    assert TimeEntry.objects.get(user=member).is_valid is True
