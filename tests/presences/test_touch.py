"""POST /users/presences/touch: MOCO's time clock for RFID terminals."""

import datetime as dt
from http import HTTPStatus

import pytest
import time_machine
from django.db import connection

from presences.models import Presence
from tests.factories import PresenceFactory, UserFactory
from tests.presences.conftest import TOUCH_URL, intervals, snapshot

DAY = dt.date(2026, 5, 4)


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def touch(client, body=None):  # type: ignore[no-untyped-def]
    return (
        client.post(TOUCH_URL, body, format="json") if body is not None else client.post(TOUCH_URL)
    )


@time_machine.travel(utc(2026, 5, 4, 7, 30, 42), tick=False)  # 09:30 in Berlin (CEST)
def test_first_touch_opens_a_presence_at_local_now(moco, member):
    response = touch(moco(member))

    assert response.status_code == HTTPStatus.OK
    presence = Presence.objects.get()
    assert response.json() == {
        "id": presence.pk,
        "date": "2026-05-04",
        "from": "09:30",
        "to": None,
        "is_home_office": False,
        "user": {"id": member.pk, "firstname": "Bob", "lastname": "Member"},
        "created_at": "2026-05-04T07:30:42Z",
        "updated_at": "2026-05-04T07:30:42Z",
    }


def test_second_touch_closes_the_open_presence(moco, member):
    client = moco(member)
    with time_machine.travel(utc(2026, 5, 4, 7, 30), tick=False):
        opened = touch(client)
    with time_machine.travel(utc(2026, 5, 4, 9, 30, 59), tick=False):
        closed = touch(client)

    assert closed.status_code == HTTPStatus.OK
    assert closed.json()["id"] == opened.json()["id"]
    assert (closed.json()["from"], closed.json()["to"]) == ("09:30", "11:30")
    assert intervals(member) == [("2026-05-04", "09:30", "11:30")]


def test_touch_within_same_minute_discards_presence(moco, member):
    client = moco(member)
    with time_machine.travel(utc(2026, 5, 4, 7, 30, 1), tick=False):
        assert touch(client).status_code == HTTPStatus.OK
    with time_machine.travel(utc(2026, 5, 4, 7, 30, 59), tick=False):
        response = touch(client)

    assert response.status_code == HTTPStatus.NO_CONTENT
    assert response.content == b""
    assert not Presence.objects.exists()


def test_touches_alternate_open_close_open(moco, member):
    client = moco(member)
    for hour in (6, 10, 11, 15):  # 08:00, 12:00, 13:00, 17:00 local
        with time_machine.travel(utc(2026, 5, 4, hour), tick=False):
            assert touch(client).status_code == HTTPStatus.OK

    assert intervals(member) == [("2026-05-04", "08:00", "12:00"), ("2026-05-04", "13:00", "17:00")]


def test_touch_with_override_uses_that_local_time_and_date(moco, member):
    client = moco(member)

    opened = touch(client, {"override": "2026-05-02 08:15"})
    closed = touch(client, {"override": "2026-05-02T16:45"})

    assert (opened.status_code, closed.status_code) == (HTTPStatus.OK, HTTPStatus.OK)
    assert intervals(member) == [("2026-05-02", "08:15", "16:45")]


def test_override_before_the_open_presences_start_is_423(moco, member):
    open_presence = PresenceFactory(user=member, from_time=dt.time(9), to_time=None)
    before = snapshot()

    response = touch(moco(member), {"override": "2026-05-04 08:59"})

    assert response.status_code == HTTPStatus.LOCKED
    assert response.json() == {
        "message": f"override: 08:59 is not after the start of presence {open_presence.pk} "
        "(open since 09:00); it cannot be closed there, nothing was changed."
    }
    assert snapshot() == before


@pytest.mark.parametrize(
    "override",
    ["2026-05-04", "09:30", "2026-05-04 25:00", "2026-02-30 09:00", "04.05.2026 09:30", 930],
)
def test_malformed_override_is_422(moco, member, override):
    response = touch(moco(member), {"override": override})

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert response.json()["message"].startswith("override: ")
    assert not Presence.objects.exists()


@pytest.mark.parametrize(
    ("override", "clash"),
    [
        ("2026-05-04 08:00", "08:00-12:00"),  # opening at the start of an existing presence
        ("2026-05-04 10:00", "08:00-12:00"),  # opening inside an existing presence
        ("2026-05-04 11:59", "08:00-12:00"),
        ("2026-05-04 07:00", "08:00-12:00"),  # open runs to end of day: over a later one
        ("2026-05-04 13:30", "13:00-14:00"),
    ],
)
def test_touch_opening_inside_an_existing_presence_is_423(moco, member, override, clash):
    PresenceFactory(user=member, from_time=dt.time(8), to_time=dt.time(12))
    PresenceFactory(user=member, from_time=dt.time(13), to_time=dt.time(14))
    before = snapshot()

    response = touch(moco(member), {"override": override})

    assert response.status_code == HTTPStatus.LOCKED
    assert list(response.json()) == ["message"]
    assert f"({clash})" in response.json()["message"]
    assert snapshot() == before


@pytest.mark.parametrize(
    ("existing", "override"),
    [
        ([("08:00", "12:00")], "2026-05-04 12:00"),  # half-open: 12:00 is free again
        ([("08:00", "12:00"), ("13:00", "14:00")], "2026-05-04 14:00"),
        ([("08:00", "12:00"), ("13:00", "14:00")], "2026-05-04 18:00"),
    ],
)
def test_touch_may_open_right_where_the_last_presence_ends(moco, member, existing, override):
    for start, end in existing:
        PresenceFactory(
            user=member, from_time=dt.time.fromisoformat(start), to_time=dt.time.fromisoformat(end)
        )

    response = touch(moco(member), {"override": override})

    assert response.status_code == HTTPStatus.OK
    assert response.json()["to"] is None


def test_touch_closing_across_a_later_presence_is_423(moco, member):
    """Only reachable with rows that already break the invariant (written around the
    services on a database that does not enforce it): the touch still refuses."""
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL's exclusion constraint makes this state impossible")
    PresenceFactory(user=member, from_time=dt.time(8), to_time=None)
    PresenceFactory(user=member, from_time=dt.time(10), to_time=dt.time(11))
    before = snapshot()

    response = touch(moco(member), {"override": "2026-05-04 12:00"})

    assert response.status_code == HTTPStatus.LOCKED
    assert snapshot() == before


@time_machine.travel(utc(2026, 5, 4, 7, 0), tick=False)  # 09:00 local
def test_forgotten_clock_out_of_an_earlier_day_does_not_block_today(moco, member):
    yesterday = PresenceFactory(
        user=member, date=DAY - dt.timedelta(days=1), from_time=dt.time(8), to_time=None
    )

    response = touch(moco(member))

    assert response.status_code == HTTPStatus.OK
    assert intervals(member) == [("2026-05-03", "08:00", None), ("2026-05-04", "09:00", None)]
    yesterday.refresh_from_db()
    assert yesterday.to_time is None  # left for correction


def test_touch_home_office_sets_the_whole_day(moco, member):
    morning = PresenceFactory(user=member, from_time=dt.time(8), to_time=dt.time(12))
    client = moco(member)

    touch(client, {"override": "2026-05-04 13:00", "is_home_office": True})
    assert set(Presence.objects.values_list("is_home_office", flat=True)) == {True}

    # Without the flag a touch keeps the day's value; with it, it sets the whole day again.
    touch(client, {"override": "2026-05-04 15:00"})
    assert set(Presence.objects.values_list("is_home_office", flat=True)) == {True}
    touch(client, {"override": "2026-05-04 16:00"})
    touch(client, {"override": "2026-05-04 17:00", "is_home_office": False})
    assert set(Presence.objects.values_list("is_home_office", flat=True)) == {False}
    morning.refresh_from_db()
    assert morning.is_home_office is False


@time_machine.travel(utc(2026, 5, 4, 23, 30), tick=False)
@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("Europe/Berlin", ("2026-05-05", "01:30")),
        ("America/New_York", ("2026-05-04", "19:30")),
        ("Asia/Kolkata", ("2026-05-05", "05:00")),
        ("UTC", ("2026-05-04", "23:30")),
    ],
)
def test_touch_uses_the_users_own_time_zone(moco, zone, expected):
    user = UserFactory(timezone=zone)

    body = touch(moco(user)).json()

    assert (body["date"], body["from"]) == expected


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        # 2026-03-29, Europe/Berlin springs forward at 01:00 UTC (02:00 CET -> 03:00 CEST).
        (utc(2026, 3, 29, 0, 59), ("2026-03-29", "01:59")),
        (utc(2026, 3, 29, 1, 0), ("2026-03-29", "03:00")),
        (utc(2026, 3, 29, 1, 30), ("2026-03-29", "03:30")),
        # 2026-10-25, Europe/Berlin falls back at 01:00 UTC (03:00 CEST -> 02:00 CET).
        (utc(2026, 10, 25, 0, 30), ("2026-10-25", "02:30")),
        (utc(2026, 10, 25, 1, 30), ("2026-10-25", "02:30")),
        (utc(2026, 10, 25, 2, 30), ("2026-10-25", "03:30")),
    ],
)
def test_touch_on_dst_switch_days_records_local_wall_time(moco, member, instant, expected):
    with time_machine.travel(instant, tick=False):
        body = touch(moco(member)).json()

    assert (body["date"], body["from"]) == expected


@pytest.mark.parametrize(
    ("opened_at", "closed_at", "expected"),
    [
        (utc(2026, 3, 29, 0, 30), utc(2026, 3, 29, 1, 30), ("01:30", "03:30")),
        (utc(2026, 10, 25, 0, 15), utc(2026, 10, 25, 2, 45), ("02:15", "03:45")),
    ],
)
def test_touch_across_the_dst_switch_records_wall_times(
    moco, member, opened_at, closed_at, expected
):
    client = moco(member)
    with time_machine.travel(opened_at, tick=False):
        touch(client)
    with time_machine.travel(closed_at, tick=False):
        response = touch(client)

    assert (response.json()["from"], response.json()["to"]) == expected


@pytest.mark.parametrize("caller", ["admin", "member", "other_member"])
def test_touch_is_for_the_keys_own_user(request, moco, admin, member, other_member, caller):
    user = request.getfixturevalue(caller)

    response = touch(moco(user), {"override": "2026-05-04 09:00"})

    assert response.status_code == HTTPStatus.OK
    assert list(Presence.objects.values_list("user_id", flat=True)) == [user.pk]


def test_admin_touches_for_the_impersonated_user(moco, admin, member):
    client = moco(admin, HTTP_X_IMPERSONATE_USER_ID=str(member.pk))

    response = touch(client, {"override": "2026-05-04 09:00"})

    assert response.json()["user"]["id"] == member.pk
    assert Presence.objects.get().history.get().history_user == admin


def test_touch_without_key_is_401(moco):
    response = touch(moco(None))

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert not Presence.objects.exists()


@pytest.mark.parametrize(
    ("raw", "content_type"),
    [(b"{oops", "application/json"), (b"[true]", "application/json")],
)
def test_touch_with_malformed_body_is_422(moco, member, raw, content_type):
    response = moco(member).generic("POST", TOUCH_URL, raw, content_type=content_type)

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert not Presence.objects.exists()


@pytest.mark.parametrize("content_type", ["application/json", None])
def test_touch_with_empty_body_works(moco, member, content_type):
    kwargs = {"content_type": content_type} if content_type else {}

    response = moco(member).generic("POST", TOUCH_URL, b"", **kwargs)

    assert response.status_code == HTTPStatus.OK


def test_touch_answers_only_post(moco, member):
    assert moco(member).get(TOUCH_URL).status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_touch_before_a_future_open_presence_is_423(moco, member):
    PresenceFactory(user=member, from_time=dt.time(14), to_time=None)

    with time_machine.travel(utc(2026, 5, 4, 8, 0), tick=False):  # 10:00 local
        response = touch(moco(member))

    assert response.status_code == HTTPStatus.LOCKED
    assert response.json()["message"].startswith("10:00 is not after the start of presence")


def test_touch_in_the_repeated_autumn_hour_compares_wall_times(moco, member):
    """02:30 CEST and 02:30 CET are one wall time: the second touch counts as the same
    minute (documented limitation of wall-clock records)."""
    client = moco(member)
    with time_machine.travel(utc(2026, 10, 25, 0, 30), tick=False):
        assert touch(client).json()["from"] == "02:30"
    with time_machine.travel(utc(2026, 10, 25, 1, 30), tick=False):
        response = touch(client)

    assert response.status_code == HTTPStatus.NO_CONTENT
