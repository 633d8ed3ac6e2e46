"""What real MOCO clients and MOCO's own docs expect, through HTTP: touch origin, 423 for
every conflicting touch, blank `to`, `.json` paths, empty filters, no-op PUTs."""

import datetime as dt
from http import HTTPStatus

import pytest
import time_machine

from presences.models import Presence
from tests.factories import PresenceFactory
from tests.presences.conftest import LIST_URL, TOUCH_URL, detail_url, intervals, snapshot


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


# 2026-05-04 09:30 in Berlin (CEST) is 07:30 UTC.
AT_0930 = utc(2026, 5, 4, 7, 30, 10)
AT_0930_LATER = utc(2026, 5, 4, 7, 30, 50)


def test_touch_does_not_delete_a_presence_it_did_not_start(moco, member):
    client = moco(member)
    with time_machine.travel(AT_0930, tick=False):
        created = client.post(LIST_URL, {"date": "2026-05-04", "from": "09:30"}, format="json")
    before = snapshot()

    with time_machine.travel(AT_0930_LATER, tick=False):
        response = client.post(TOUCH_URL)

    assert created.status_code == HTTPStatus.CREATED
    # Closing at its own start is impossible and discarding is only for touch-opened
    # presences: a conflicting touch.
    assert response.status_code == HTTPStatus.LOCKED
    assert response.json()["message"].startswith("09:30 is not after the start of presence")
    assert snapshot() == before


def test_touch_still_discards_a_presence_it_started_in_the_same_minute(moco, member):
    client = moco(member)
    with time_machine.travel(AT_0930, tick=False):
        opened = client.post(TOUCH_URL)
    with time_machine.travel(AT_0930_LATER, tick=False):
        response = client.post(TOUCH_URL)

    assert opened.status_code == HTTPStatus.OK
    assert response.status_code == HTTPStatus.NO_CONTENT
    assert not Presence.objects.exists()


def test_touch_does_not_discard_a_touched_presence_whose_start_was_edited(moco, member):
    client = moco(member)
    with time_machine.travel(utc(2026, 5, 4, 7, 0), tick=False):  # 09:00 local
        opened = client.post(TOUCH_URL).json()
        client.put(detail_url(opened["id"]), {"from": "09:30"}, format="json")
    with time_machine.travel(AT_0930_LATER, tick=False):
        response = client.post(TOUCH_URL)

    assert response.status_code == HTTPStatus.LOCKED
    assert intervals(member) == [("2026-05-04", "09:30", None)]


@pytest.mark.parametrize(
    ("open_from", "touch_at", "body"),
    [
        pytest.param("23:58", utc(2026, 5, 4, 8, 0), None, id="open-presence-starts-later"),
        pytest.param("09:30", AT_0930, None, id="posted-presence-same-minute"),
        pytest.param("09:00", None, {"override": "2026-05-04 08:00"}, id="override-before"),
    ],
)
def test_conflicting_touch_is_423_never_422(moco, member, open_from, touch_at, body):
    client = moco(member)
    created = client.post(LIST_URL, {"date": "2026-05-04", "from": open_from}, format="json")
    assert created.status_code == HTTPStatus.CREATED
    before = snapshot()

    with time_machine.travel(touch_at or utc(2026, 5, 4, 12, 0), tick=False):
        response = client.post(TOUCH_URL, body, format="json")

    assert response.status_code == HTTPStatus.LOCKED
    assert set(response.json()) == {"message"}
    assert snapshot() == before


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({"to": ""}, id="blank"),
        pytest.param({"to": None}, id="null"),
        pytest.param({}, id="left-out"),
    ],
)
def test_blank_to_leaves_the_presence_open_on_create(moco, member, body):
    response = moco(member).post(
        LIST_URL, {"date": "2026-05-04", "from": "08:00", **body}, format="json"
    )

    assert response.status_code == HTTPStatus.CREATED
    assert response.json()["to"] is None
    assert intervals(member) == [("2026-05-04", "08:00", None)]


def test_blank_to_reopens_the_presence_on_update(moco, member):
    presence = PresenceFactory(user=member, from_time=dt.time(8), to_time=dt.time(12))

    response = moco(member).put(detail_url(presence.pk), {"to": ""}, format="json")

    assert response.status_code == HTTPStatus.OK
    assert response.json()["to"] is None
    assert intervals(member) == [("2026-05-04", "08:00", None)]


@pytest.mark.parametrize("suffix", [".json", ".json/"])
def test_json_suffix_is_accepted_on_every_moco_path(moco, member, suffix):
    client = moco(member)

    created = client.post(
        f"{LIST_URL}{suffix}", {"date": "2026-05-04", "from": "08:00"}, format="json"
    )
    pk = created.json()["id"]
    listed = client.get(f"{LIST_URL}{suffix}")
    shown = client.get(f"{detail_url(pk)}{suffix}")
    updated = client.put(f"{detail_url(pk)}{suffix}", {"to": "12:00"}, format="json")
    with time_machine.travel(utc(2026, 5, 4, 12, 0), tick=False):
        touched = client.post(f"{TOUCH_URL}{suffix}")
    users = client.get(f"/api/v1/users{suffix}")
    user = client.get(f"/api/v1/users/{member.pk}{suffix}")
    deleted = client.delete(f"{detail_url(pk)}{suffix}")

    assert [
        r.status_code for r in (created, listed, shown, updated, touched, users, user, deleted)
    ] == [
        HTTPStatus.CREATED,
        HTTPStatus.OK,
        HTTPStatus.OK,
        HTTPStatus.OK,
        HTTPStatus.OK,
        HTTPStatus.OK,
        HTTPStatus.OK,
        HTTPStatus.NO_CONTENT,
    ]
    assert [p["id"] for p in listed.json()] == [pk]
    assert updated.json()["to"] == "12:00"


def test_json_suffix_does_not_open_other_paths(moco, member):
    response = moco(member).get(f"{LIST_URL}.xml")

    assert response.status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize(
    "query",
    [
        "user_id=",
        "is_home_office=",
        "user_id=&is_home_office=",
        "user_id=&is_home_office=&ids=&updated_after=&sort_by=",
    ],
)
def test_empty_filter_values_are_no_filter(moco, admin, member, other_member, query):
    mine = PresenceFactory(user=member, is_home_office=True)
    theirs = PresenceFactory(user=other_member, is_home_office=False)

    response = moco(admin).get(f"{LIST_URL}?{query}")

    assert response.status_code == HTTPStatus.OK
    assert sorted(p["id"] for p in response.json()) == sorted([mine.pk, theirs.pk])


def test_a_filled_filter_still_filters(moco, admin, member, other_member):
    mine = PresenceFactory(user=member)
    PresenceFactory(user=other_member)

    response = moco(admin).get(f"{LIST_URL}?user_id={member.pk}&is_home_office=")

    assert [p["id"] for p in response.json()] == [mine.pk]


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({}, id="empty"),
        pytest.param({"date": "2026-05-04", "from": "08:00", "to": "12:00"}, id="same-values"),
        pytest.param({"is_home_office": False, "to": "12:00:00"}, id="same-flag-and-seconds"),
    ],
)
def test_put_that_changes_nothing_does_not_move_updated_at(moco, member, body):
    with time_machine.travel(utc(2026, 5, 4, 6, 0), tick=False):
        created = moco(member).post(
            LIST_URL, {"date": "2026-05-04", "from": "08:00", "to": "12:00"}, format="json"
        )
    pk = created.json()["id"]
    history = Presence.history.count()

    with time_machine.travel(utc(2026, 5, 5, 6, 0), tick=False):
        response = moco(member).put(detail_url(pk), body, format="json")
        synced = moco(member).get(f"{LIST_URL}?updated_after=2026-05-04T12:00:00Z")

    assert response.status_code == HTTPStatus.OK
    assert response.json()["updated_at"] == created.json()["updated_at"] == "2026-05-04T06:00:00Z"
    assert Presence.history.count() == history
    assert synced.json() == []


def test_put_that_changes_something_moves_updated_at(moco, member):
    with time_machine.travel(utc(2026, 5, 4, 6, 0), tick=False):
        pk = (
            moco(member)
            .post(LIST_URL, {"date": "2026-05-04", "from": "08:00", "to": "12:00"}, format="json")
            .json()["id"]
        )
    with time_machine.travel(utc(2026, 5, 5, 6, 0), tick=False):
        response = moco(member).put(detail_url(pk), {"to": "12:30"}, format="json")

    assert response.json()["updated_at"] == "2026-05-05T06:00:00Z"
