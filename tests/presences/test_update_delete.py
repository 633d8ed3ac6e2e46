"""PUT and DELETE /users/presences/{id}."""

import datetime as dt
from http import HTTPStatus

import pytest

from presences.models import Presence
from tests.factories import PresenceFactory
from tests.presences.conftest import detail_url, intervals, snapshot

DAY = dt.date(2026, 5, 4)


@pytest.mark.parametrize(
    ("caller", "owner", "status"),
    [
        ("admin", "admin", HTTPStatus.OK),
        ("admin", "member", HTTPStatus.OK),
        ("member", "member", HTTPStatus.OK),
        ("member", "other_member", HTTPStatus.NOT_FOUND),
        ("other_member", "member", HTTPStatus.NOT_FOUND),
        ("member", "admin", HTTPStatus.NOT_FOUND),
    ],
)
def test_put_by_role(request, moco, caller, owner, status):
    presence = PresenceFactory(user=request.getfixturevalue(owner))

    response = moco(request.getfixturevalue(caller)).put(
        detail_url(presence.pk), {"to": "14:00"}, format="json"
    )

    assert response.status_code == status
    presence.refresh_from_db()
    assert presence.to_time == (dt.time(14) if status == HTTPStatus.OK else dt.time(12))


@pytest.mark.parametrize(
    ("caller", "owner", "status"),
    [
        ("admin", "admin", HTTPStatus.NO_CONTENT),
        ("admin", "member", HTTPStatus.NO_CONTENT),
        ("member", "member", HTTPStatus.NO_CONTENT),
        ("member", "other_member", HTTPStatus.NOT_FOUND),
        ("other_member", "member", HTTPStatus.NOT_FOUND),
        ("member", "admin", HTTPStatus.NOT_FOUND),
    ],
)
def test_delete_by_role(request, moco, caller, owner, status):
    presence = PresenceFactory(user=request.getfixturevalue(owner))

    response = moco(request.getfixturevalue(caller)).delete(detail_url(presence.pk))

    assert response.status_code == status
    assert Presence.objects.filter(pk=presence.pk).exists() == (status != HTTPStatus.NO_CONTENT)


def test_delete_answers_204_without_body_and_keeps_history(moco, member):
    presence = PresenceFactory(user=member)

    response = moco(member).delete(detail_url(presence.pk))

    assert response.status_code == HTTPStatus.NO_CONTENT
    assert response.content == b""
    assert Presence.history.filter(id=presence.pk).values_list("history_type", flat=True)[0] == "-"


def test_delete_unknown_is_404(moco, admin):
    response = moco(admin).delete(detail_url(424242))

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json() == {"message": "Presence 424242 not found."}


def test_put_changes_only_the_given_fields_and_returns_the_presence(moco, member):
    presence = PresenceFactory(user=member, is_home_office=True)

    response = moco(member).put(detail_url(presence.pk), {"to": "14:00"}, format="json")

    assert response.status_code == HTTPStatus.OK
    body = response.json()
    assert {k: body[k] for k in ("id", "date", "from", "to", "is_home_office")} == {
        "id": presence.pk,
        "date": "2026-05-04",
        "from": "08:00",
        "to": "14:00",
        "is_home_office": True,
    }


def test_put_may_reopen_and_move_a_presence(moco, member):
    presence = PresenceFactory(user=member)

    response = moco(member).put(
        detail_url(presence.pk), {"date": "2026-05-05", "from": "09:00", "to": None}, format="json"
    )

    assert response.status_code == HTTPStatus.OK
    assert intervals(member) == [("2026-05-05", "09:00", None)]


def test_put_of_itself_is_no_overlap(moco, member):
    presence = PresenceFactory(user=member)

    response = moco(member).put(
        detail_url(presence.pk), {"from": "09:00", "to": "11:00"}, format="json"
    )

    assert response.status_code == HTTPStatus.OK
    assert intervals(member) == [("2026-05-04", "09:00", "11:00")]


def test_put_home_office_sets_the_whole_day(moco, member):
    morning = PresenceFactory(user=member)
    afternoon = PresenceFactory(user=member, from_time=dt.time(13), to_time=dt.time(17))
    next_day = PresenceFactory(user=member, date=DAY + dt.timedelta(days=1))

    response = moco(member).put(detail_url(afternoon.pk), {"is_home_office": True}, format="json")

    assert response.status_code == HTTPStatus.OK
    assert dict(Presence.objects.values_list("pk", "is_home_office")) == {
        morning.pk: True,
        afternoon.pk: True,
        next_day.pk: False,
    }


def test_put_moving_to_another_day_joins_that_days_home_office(moco, member):
    PresenceFactory(user=member, date=DAY + dt.timedelta(days=1), is_home_office=True)
    moved = PresenceFactory(user=member, from_time=dt.time(13), to_time=dt.time(17))

    response = moco(member).put(detail_url(moved.pk), {"date": "2026-05-05"}, format="json")

    assert response.json()["is_home_office"] is True


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"to": "07:00"}, "to"),  # to <= from
        ({"to": "08:00"}, "to"),
        ({"from": "12:00"}, "to"),  # from moves onto to
        ({"from": "25:00"}, "from"),
        ({"to": "8pm"}, "to"),
        ({"date": "2018-02-30"}, "date"),
        ({"date": None}, "date"),
        ({"from": None}, "from"),
        ({"to": "18:00"}, "from"),  # overlaps the afternoon presence
        ({"from": "13:30", "to": "15:00"}, "from"),
        ({"to": None}, "to"),  # a second open presence on the day
    ],
)
def test_put_bad_input_is_422_naming_the_field_and_changes_nothing(moco, member, body, field):
    presence = PresenceFactory(user=member)
    PresenceFactory(user=member, from_time=dt.time(13), to_time=dt.time(17))
    PresenceFactory(user=member, from_time=dt.time(18), to_time=None)
    before = snapshot()

    response = moco(member).put(detail_url(presence.pk), body, format="json")

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert response.json()["message"].startswith(f"{field}: ")
    assert snapshot() == before


def test_put_with_malformed_json_is_422(moco, member):
    presence = PresenceFactory(user=member)
    before = snapshot()

    response = moco(member).generic(
        "PUT", detail_url(presence.pk), b'{"to": ', content_type="application/json"
    )

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert list(response.json()) == ["message"]
    assert snapshot() == before


def test_put_history_records_the_impersonating_admin(moco, admin, member):
    presence = PresenceFactory(user=member)
    client = moco(admin, HTTP_X_IMPERSONATE_USER_ID=str(member.pk))

    client.put(detail_url(presence.pk), {"to": "13:00"}, format="json")

    assert presence.history.first().history_user == admin


def test_delete_answers_with_a_content_type(moco, member):
    presence = PresenceFactory(user=member)

    response = moco(member).delete(detail_url(presence.pk))

    assert response.status_code == HTTPStatus.NO_CONTENT
    assert response["Content-Type"] == "application/json"
