"""POST /workingtimes: create, defaults, replace the day's record, who may record for whom."""

from datetime import UTC, date, datetime, time
from decimal import Decimal
from http import HTTPStatus

import pytest
import time_machine

from tests.factories import UserFactory, WorkingTimeFactory
from tests.workingtimes.conftest import LIST_URL, SPEC_EXAMPLE, detail_url, snapshot
from workingtimes.models import WorkingTime

NOW = datetime(2021, 3, 2, 17, 0, tzinfo=UTC)  # on a 15-minute boundary: apiLimitReset 900


@time_machine.travel(NOW, tick=False)
def test_post_spec_example_creates_the_record_and_answers_201_with_insert_id(member, prosonata):
    response = prosonata(member).post(
        LIST_URL, {**SPEC_EXAMPLE, "userID": member.pk}, format="json"
    )

    assert response.status_code == HTTPStatus.CREATED
    record = WorkingTime.objects.get()
    assert response.json() == {
        "meta": {
            "status": 201,
            "insertID": record.pk,
            "requestUserID": member.pk,
            "requestUsername": "bob",
            "usergroupName": "Mitarbeiter",
            "apiLimitRemaining": 499,
            "apiLimitReset": 900,
        },
        "data": {
            "workingTimeID": record.pk,
            "userID": member.pk,
            "username": "bob",
            "userFirstName": "Bob",
            "userLastName": "Member",
            "workingDate": "2021-03-02",
            "dailyTimeStart": "08:18:00",
            "dailyTimeEnd": "16:48:00",
            "dayType": 0,
            "halfHoliday": 0,
            "homeOffice": 0,
            "break1Start": "12:06:00",
            "break1End": "12:51:00",
            "break2Start": None,
            "break2End": None,
            "break3Start": None,
            "break3End": None,
            "break4Start": None,
            "break4End": None,
            "dailyTimeTotal": 7.75,
            "comments": "eine Anmerkung",
            "editedByUserID": 0,
            # The creation instant in the user's zone (Europe/Berlin, winter time).
            "workingTimeCreationDate": "2021-03-02T18:00:00+01:00",
            "workingTimeViaApi": 1,
        },
    }
    assert record.user == member
    assert record.working_date == date(2021, 3, 2)
    assert (record.daily_time_start, record.daily_time_end) == (time(8, 18), time(16, 48))
    assert (record.break1_start, record.break1_end) == (time(12, 6), time(12, 51))
    assert record.daily_time_total == Decimal("7.75")
    assert record.created_via_api is True
    assert record.edited_by is None


def test_post_fills_the_spec_defaults(member, prosonata):
    body = {
        "userID": member.pk,
        "workingDate": "2021-03-03",
        "dailyTimeStart": "09:00:00",
        "dailyTimeEnd": "17:00:00",
        "dailyTimeTotal": 8,
    }
    response = prosonata(member).post(LIST_URL, body, format="json")

    assert response.status_code == HTTPStatus.CREATED
    data = response.json()["data"]
    assert data["dayType"] == 0
    assert (data["halfHoliday"], data["homeOffice"]) == (0, 0)
    assert [data[f"break{n}{p}"] for n in range(1, 5) for p in ("Start", "End")] == [None] * 8
    assert data["comments"] == ""
    assert data["dailyTimeTotal"] == 8.0


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ({"halfHoliday": 1, "homeOffice": 0}, (1, 0)),
        ({"halfHoliday": True, "homeOffice": True}, (1, 1)),
        ({"halfHoliday": False, "homeOffice": "1"}, (0, 1)),
        ({"halfHoliday": "0", "homeOffice": 1}, (0, 1)),
    ],
)
def test_post_accepts_flags_as_0_1_booleans_or_digit_strings(member, prosonata, flags, expected):
    body = {**SPEC_EXAMPLE, "userID": member.pk, **flags}
    response = prosonata(member).post(LIST_URL, body, format="json")

    assert response.status_code == HTTPStatus.CREATED
    data = response.json()["data"]
    assert (data["halfHoliday"], data["homeOffice"]) == expected


def test_post_accepts_times_without_seconds_and_totals_as_strings(member, prosonata):
    body = {
        **SPEC_EXAMPLE,
        "userID": member.pk,
        "dailyTimeStart": "08:18",
        "dailyTimeEnd": "16:48",
        "break1Start": "12:06",
        "break1End": "12:51",
        "dailyTimeTotal": "7.75",
    }
    response = prosonata(member).post(LIST_URL, body, format="json")

    assert response.status_code == HTTPStatus.CREATED
    data = response.json()["data"]
    assert (data["dailyTimeStart"], data["break1End"]) == ("08:18:00", "12:51:00")
    assert data["dailyTimeTotal"] == 7.75


def test_post_rounds_a_total_with_more_decimals_half_up(member, prosonata):
    # 09:15-17:10 minus 30 min = 7.41666… h; a client sending the unrounded value is fine.
    body = {
        "userID": member.pk,
        "workingDate": "2021-03-20",
        "dailyTimeStart": "09:15:00",
        "dailyTimeEnd": "17:10:00",
        "break1Start": "12:00:00",
        "break1End": "12:30:00",
        "dailyTimeTotal": 7.416666,
    }
    response = prosonata(member).post(LIST_URL, body, format="json")

    assert response.status_code == HTTPStatus.CREATED
    assert response.json()["data"]["dailyTimeTotal"] == 7.42
    assert WorkingTime.objects.get().daily_time_total == Decimal("7.42")


def test_post_ignores_read_only_and_unknown_keys(member, prosonata):
    body = {
        **SPEC_EXAMPLE,
        "userID": member.pk,
        "workingTimeID": 999,
        "username": "someone else",
        "editedByUserID": 5,
        "workingTimeViaApi": 0,
        "somethingNew": True,
    }
    response = prosonata(member).post(LIST_URL, body, format="json")

    assert response.status_code == HTTPStatus.CREATED
    data = response.json()["data"]
    assert data["workingTimeID"] != 999
    assert (data["username"], data["editedByUserID"], data["workingTimeViaApi"]) == ("bob", 0, 1)


def test_post_replaces_the_users_record_of_that_day_and_history_shows_both(
    member, other_member, prosonata
):
    old = WorkingTimeFactory(user=member, working_date=date(2021, 3, 2), comments="old")
    other_day = WorkingTimeFactory(user=member, working_date=date(2021, 3, 3))
    other_user = WorkingTimeFactory(user=other_member, working_date=date(2021, 3, 2))

    response = prosonata(member).post(
        LIST_URL, {**SPEC_EXAMPLE, "userID": member.pk}, format="json"
    )

    assert response.status_code == HTTPStatus.CREATED
    new_id = response.json()["data"]["workingTimeID"]
    assert new_id != old.pk
    assert response.json()["meta"]["insertID"] == new_id
    assert not WorkingTime.objects.filter(pk=old.pk).exists()
    assert set(WorkingTime.objects.values_list("pk", flat=True)) == {
        new_id,
        other_day.pk,
        other_user.pk,
    }
    deletion = WorkingTime.history.get(id=old.pk, history_type="-")
    assert deletion.comments == "old"
    assert deletion.history_user == member
    assert "Replaced" in deletion.history_change_reason
    creation = WorkingTime.history.get(id=new_id, history_type="+")
    assert creation.history_user == member
    # The deletion is recorded before the creation.
    assert deletion.history_id < creation.history_id


def test_replaced_record_answers_404_afterwards(member, prosonata):
    old = WorkingTimeFactory(user=member, working_date=date(2021, 3, 2))
    client = prosonata(member)
    client.post(LIST_URL, {**SPEC_EXAMPLE, "userID": member.pk}, format="json")

    response = client.get(detail_url(old.pk))

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_admin_records_for_another_user_and_is_named_as_editor(admin, member, prosonata):
    response = prosonata(admin).post(LIST_URL, {**SPEC_EXAMPLE, "userID": member.pk}, format="json")

    assert response.status_code == HTTPStatus.CREATED
    data = response.json()["data"]
    assert (data["userID"], data["username"], data["editedByUserID"]) == (
        member.pk,
        "bob",
        admin.pk,
    )
    assert response.json()["meta"]["usergroupName"] == "Administrator"
    record = WorkingTime.objects.get()
    assert (record.user, record.edited_by) == (member, admin)
    assert record.history.get().history_user == admin


def test_admin_replaces_a_members_day(admin, member, prosonata):
    old = WorkingTimeFactory(user=member, working_date=date(2021, 3, 2))

    response = prosonata(admin).post(LIST_URL, {**SPEC_EXAMPLE, "userID": member.pk}, format="json")

    assert response.status_code == HTTPStatus.CREATED
    assert list(WorkingTime.objects.values_list("user", flat=True)) == [member.pk]
    assert WorkingTime.history.get(id=old.pk, history_type="-").history_user == admin


@pytest.mark.parametrize("target", ["other_member", "admin", "unknown"])
def test_member_may_not_record_for_anyone_else(member, other_member, admin, prosonata, target):
    user_id = {"other_member": other_member.pk, "admin": admin.pk, "unknown": 987654}[target]
    WorkingTimeFactory(user=other_member, working_date=date(2021, 3, 2))
    before = snapshot()

    response = prosonata(member).post(LIST_URL, {**SPEC_EXAMPLE, "userID": user_id}, format="json")

    assert response.status_code == HTTPStatus.FORBIDDEN
    body = response.json()
    assert body["meta"]["status"] == HTTPStatus.FORBIDDEN
    assert "userID" in body["meta"]["message"]
    assert body["data"] == []
    assert snapshot() == before


@pytest.mark.parametrize("user_id", [987654, 2**63 - 1])
def test_admin_posting_for_an_unknown_user_gets_400(admin, prosonata, user_id):
    response = prosonata(admin).post(LIST_URL, {**SPEC_EXAMPLE, "userID": user_id}, format="json")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {
        "meta": {"status": 400, "message": f"userID: there is no user with id {user_id}."},
        "data": [],
    }
    assert not WorkingTime.objects.exists()


def test_post_with_trailing_slash_and_api_key_in_query(member, api_client):
    client = api_client(None, "prosonata")
    from tests.factories import raw_api_key

    key = raw_api_key(member)
    response = client.post(
        f"{LIST_URL}/?apiKey={key}&appID=myapp",
        {**SPEC_EXAMPLE, "userID": member.pk},
        format="json",
    )

    assert response.status_code == HTTPStatus.CREATED
    assert WorkingTime.objects.get().user == member


def test_post_without_content_type_is_read_as_json(member, prosonata):
    import json

    response = prosonata(member).generic(
        "POST", LIST_URL, json.dumps({**SPEC_EXAMPLE, "userID": member.pk}), content_type=""
    )

    assert response.status_code == HTTPStatus.CREATED


def test_post_requires_an_api_key(member, prosonata):
    response = prosonata(None).post(LIST_URL, {**SPEC_EXAMPLE, "userID": member.pk}, format="json")

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json()["meta"]["status"] == HTTPStatus.UNAUTHORIZED
    assert response.json()["data"] == []
    assert not WorkingTime.objects.exists()


def test_records_of_users_in_other_time_zones_render_creation_in_their_zone(prosonata):
    tokyo = UserFactory(username="kenji", timezone="Asia/Tokyo")
    with time_machine.travel(NOW, tick=False):
        response = prosonata(tokyo).post(
            LIST_URL, {**SPEC_EXAMPLE, "userID": tokyo.pk}, format="json"
        )

    assert response.json()["data"]["workingTimeCreationDate"] == "2021-03-03T02:00:00+09:00"
