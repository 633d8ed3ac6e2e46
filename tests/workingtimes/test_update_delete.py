"""PUT and DELETE /workingtimes/{id}."""

from datetime import date, time
from decimal import Decimal
from http import HTTPStatus

import pytest

from tests.factories import WorkingTimeFactory
from tests.workingtimes.conftest import detail_url, snapshot
from workingtimes.models import DayType, WorkingTime


@pytest.fixture
def record(member):  # type: ignore[no-untyped-def]
    """bob, 2021-03-02, 08:00-16:30, break 12:00-12:30, 8.00 h."""
    return WorkingTimeFactory(user=member, working_date=date(2021, 3, 2), comments="first")


def test_put_changes_only_what_is_sent(member, record, prosonata):
    before = prosonata(member).get(detail_url(record.pk)).json()["data"]

    response = prosonata(member).put(
        detail_url(record.pk), {"comments": "Kundentermin", "homeOffice": 1}, format="json"
    )

    assert response.status_code == HTTPStatus.OK
    assert response.json()["meta"]["status"] == HTTPStatus.OK
    assert response.json()["data"] == {**before, "comments": "Kundentermin", "homeOffice": 1}
    record.refresh_from_db()
    assert (record.comments, record.home_office) == ("Kundentermin", True)
    assert record.history.first().history_type == "~"
    assert record.history.first().history_user == member


@pytest.mark.parametrize(
    "body",
    [
        {"userID": "{member}", "comments": "x"},
        {"workingDate": "2021-03-02", "comments": "x"},
        {"userID": "{member}", "workingDate": "2021-03-02", "comments": "x"},
    ],
)
def test_put_may_repeat_user_and_date_unchanged(member, record, prosonata, body):
    body = {k: int(v.format(member=member.pk)) if k == "userID" else v for k, v in body.items()}

    response = prosonata(member).put(detail_url(record.pk), body, format="json")

    assert response.status_code == HTTPStatus.OK
    assert response.json()["data"]["comments"] == "x"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"userID": "{other}"}, "userID"),
        ({"userID": "{other}", "comments": "x"}, "userID"),
        ({"workingDate": "2021-03-03"}, "workingDate"),
        ({"workingDate": "2021-03-03", "comments": "x"}, "workingDate"),
    ],
)
def test_put_refuses_to_move_a_record_to_another_user_or_day(
    admin, other_member, record, prosonata, body, field
):
    body = {
        k: int(v.format(other=other_member.pk)) if k == "userID" else v for k, v in body.items()
    }
    before = snapshot()

    response = prosonata(admin).put(detail_url(record.pk), body, format="json")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    meta = response.json()["meta"]
    assert meta["status"] == HTTPStatus.BAD_REQUEST
    assert meta["message"].startswith(f"{field}: cannot be changed")
    assert response.json()["data"] == []
    assert snapshot() == before


def test_put_changing_times_without_total_recomputes_it(member, record, prosonata):
    response = prosonata(member).put(
        detail_url(record.pk),
        {
            "dailyTimeStart": "08:18:00",
            "dailyTimeEnd": "16:48:00",
            "break1Start": "12:06:00",
            "break1End": "12:51:00",
        },
        format="json",
    )

    assert response.status_code == HTTPStatus.OK
    assert response.json()["data"]["dailyTimeTotal"] == 7.75
    record.refresh_from_db()
    assert record.daily_time_total == Decimal("7.75")


def test_put_removing_a_break_recomputes_the_total(member, record, prosonata):
    response = prosonata(member).put(
        detail_url(record.pk), {"break1Start": None, "break1End": None}, format="json"
    )

    assert response.status_code == HTTPStatus.OK
    assert response.json()["data"]["dailyTimeTotal"] == 8.5


@pytest.mark.usefixtures("strict_totals")
def test_put_with_times_and_a_wrong_total_is_refused(member, record, prosonata):
    before = snapshot()

    response = prosonata(member).put(
        detail_url(record.pk), {"dailyTimeEnd": "17:30:00", "dailyTimeTotal": 8}, format="json"
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["meta"]["message"] == (
        "dailyTimeTotal: expected 9.00 (08:00-17:30 minus 30 min of breaks), got 8.00."
    )
    assert snapshot() == before


@pytest.mark.usefixtures("strict_totals")
def test_put_only_a_wrong_total_on_a_work_day_is_refused(member, record, prosonata):
    response = prosonata(member).put(detail_url(record.pk), {"dailyTimeTotal": 6}, format="json")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "dailyTimeTotal: expected 8.00" in response.json()["meta"]["message"]


def test_put_turning_a_work_day_into_vacation_keeps_the_credited_total(member, record, prosonata):
    response = prosonata(member).put(
        detail_url(record.pk), {"dayType": DayType.VACATION, "halfHoliday": 0}, format="json"
    )

    assert response.status_code == HTTPStatus.OK
    assert (response.json()["data"]["dayType"], response.json()["data"]["dailyTimeTotal"]) == (
        1,
        8.0,
    )


def test_put_turning_vacation_into_a_work_day_recomputes_the_total(member, prosonata):
    vacation = WorkingTimeFactory(
        user=member, day_type=DayType.VACATION, daily_time_total=Decimal("4.00")
    )

    response = prosonata(member).put(detail_url(vacation.pk), {"dayType": 0}, format="json")

    assert response.status_code == HTTPStatus.OK
    assert response.json()["data"]["dailyTimeTotal"] == 8.0


def test_editor_is_whoever_changed_it_last_unless_the_owner(admin, member, record, prosonata):
    by_admin = prosonata(admin).put(detail_url(record.pk), {"comments": "a"}, format="json")
    assert by_admin.json()["data"]["editedByUserID"] == admin.pk
    record.refresh_from_db()
    assert record.edited_by == admin
    assert record.history.first().history_user == admin

    by_owner = prosonata(member).put(detail_url(record.pk), {"comments": "b"}, format="json")
    assert by_owner.json()["data"]["editedByUserID"] == 0


def test_put_without_changes_writes_nothing(member, record, prosonata):
    before = snapshot()

    response = prosonata(member).put(
        detail_url(record.pk), {"comments": "first", "dailyTimeTotal": 8}, format="json"
    )

    assert response.status_code == HTTPStatus.OK
    assert snapshot() == before


@pytest.mark.parametrize(
    ("actor", "owner", "expected"),
    [
        ("admin", "member", HTTPStatus.OK),
        ("member", "member", HTTPStatus.OK),
        ("member", "other_member", HTTPStatus.NOT_FOUND),
        ("member", "admin", HTTPStatus.NOT_FOUND),
        ("admin", "admin", HTTPStatus.OK),
    ],
)
@pytest.mark.parametrize("method", ["put", "delete"])
def test_write_permissions(request, prosonata, actor, owner, expected, method):
    target = WorkingTimeFactory(user=request.getfixturevalue(owner))
    before = snapshot()

    client = prosonata(request.getfixturevalue(actor))
    response = getattr(client, method)(
        detail_url(target.pk), {"comments": "changed"}, format="json"
    )

    assert response.status_code == expected
    if expected == HTTPStatus.NOT_FOUND:
        assert response.json()["data"] == []
        assert response.json()["meta"]["message"].startswith("Data not found.")
        assert snapshot() == before
    elif method == "delete":
        assert not WorkingTime.objects.filter(pk=target.pk).exists()
    else:
        target.refresh_from_db()
        assert target.comments == "changed"


def test_delete_answers_200_with_empty_data_and_keeps_history(member, record, prosonata):
    response = prosonata(member).delete(detail_url(record.pk))

    assert response.status_code == HTTPStatus.OK
    body = response.json()
    assert body["data"] == []
    assert body["meta"]["status"] == HTTPStatus.OK
    assert body["meta"]["requestUserID"] == member.pk
    assert not WorkingTime.objects.exists()
    deletion = WorkingTime.history.get(id=record.pk, history_type="-")
    assert (deletion.history_user, deletion.comments) == (member, "first")


def test_delete_twice_is_404(member, record, prosonata):
    client = prosonata(member)
    client.delete(detail_url(record.pk))

    response = client.delete(detail_url(record.pk))

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_put_keeps_the_record_id_and_day(member, record, prosonata):
    response = prosonata(member).put(
        detail_url(record.pk),
        {
            "dailyTimeStart": "07:00",
            "dailyTimeEnd": "15:30",
            "break1Start": "11:00",
            "break1End": "11:30",
            "dailyTimeTotal": 8,
        },
        format="json",
    )

    assert response.status_code == HTTPStatus.OK
    record.refresh_from_db()
    assert (record.pk, record.working_date) == (
        response.json()["data"]["workingTimeID"],
        date(2021, 3, 2),
    )
    assert (record.daily_time_start, record.break1_end) == (time(7, 0), time(11, 30))
