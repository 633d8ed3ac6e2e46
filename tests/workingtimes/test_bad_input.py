"""Bad input: the right status in HTTP and meta, a message naming the field, data [], and
the database unchanged (the existing record of that day is not replaced)."""

from datetime import date
from http import HTTPStatus
from typing import Any

import pytest

from tests.factories import WorkingTimeFactory
from tests.workingtimes.conftest import LIST_URL, SPEC_EXAMPLE, detail_url, snapshot

MISSING = object()


@pytest.fixture
def existing(member):  # type: ignore[no-untyped-def]
    """bob already has records for the day of the spec example and the day before."""
    WorkingTimeFactory(user=member, working_date=date(2021, 3, 1))
    return WorkingTimeFactory(user=member, working_date=date(2021, 3, 2), comments="keep me")


def _assert_refused(response, status: int, field: str, before) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"meta", "data"}
    assert body["meta"]["status"] == status
    assert field in body["meta"]["message"]
    assert body["data"] == []
    assert snapshot() == before


BAD_POSTS: list[tuple[str, dict[str, Any], str]] = [
    # (case, changes to the spec example, field the message names)
    ("missing userID", {"userID": MISSING}, "userID"),
    ("missing workingDate", {"workingDate": MISSING}, "workingDate"),
    ("missing dailyTimeStart", {"dailyTimeStart": MISSING}, "dailyTimeStart"),
    ("missing dailyTimeEnd", {"dailyTimeEnd": MISSING}, "dailyTimeEnd"),
    ("missing dailyTimeTotal", {"dailyTimeTotal": MISSING}, "dailyTimeTotal"),
    ("null dailyTimeStart", {"dailyTimeStart": None}, "dailyTimeStart"),
    ("userID not a number", {"userID": "bob"}, "userID"),
    ("userID zero", {"userID": 0}, "userID"),
    ("userID beyond 64 bits", {"userID": 10**30}, "userID"),
    ("date impossible", {"workingDate": "2021-02-30"}, "workingDate"),
    ("date German", {"workingDate": "02.03.2021"}, "workingDate"),
    ("date with time", {"workingDate": "2021-03-02T08:00:00"}, "workingDate"),
    ("time words", {"dailyTimeStart": "8 Uhr"}, "dailyTimeStart"),
    ("time 25h", {"dailyTimeStart": "25:00:00"}, "dailyTimeStart"),
    ("time 24:00", {"dailyTimeEnd": "24:00:00"}, "dailyTimeEnd"),
    ("time as number", {"dailyTimeStart": 800}, "dailyTimeStart"),
    ("end before start", {"dailyTimeEnd": "07:00:00"}, "dailyTimeEnd"),
    ("end equals start", {"dailyTimeEnd": "08:18:00"}, "dailyTimeEnd"),
    ("break without end", {"break1End": MISSING}, "break1End"),
    ("break without start", {"break1Start": None}, "break1Start"),
    ("break end before start", {"break1End": "12:00:00"}, "break1End"),
    ("break zero length", {"break1End": "12:06:00"}, "break1End"),
    ("break before the day", {"break2Start": "07:00:00", "break2End": "07:30:00"}, "break2Start"),
    ("break after the day", {"break2Start": "16:30:00", "break2End": "17:00:00"}, "break2Start"),
    ("breaks overlapping", {"break2Start": "12:30:00", "break2End": "13:00:00"}, "break2Start"),
    ("break inside break", {"break3Start": "12:10:00", "break3End": "12:20:00"}, "break3Start"),
    ("fifth break", {"break5Start": "14:00:00", "break5End": "14:10:00"}, "break5Start"),
    ("malformed break", {"break1Start": "zwölf"}, "break1Start"),
    ("dayType 7", {"dayType": 7}, "dayType"),
    ("dayType -1", {"dayType": -1}, "dayType"),
    ("dayType word", {"dayType": "Arbeit"}, "dayType"),
    ("dayType fraction", {"dayType": 1.5}, "dayType"),
    ("halfHoliday 2", {"halfHoliday": 2}, "halfHoliday"),
    ("halfHoliday yes", {"halfHoliday": "yes"}, "halfHoliday"),
    ("halfHoliday null", {"halfHoliday": None}, "halfHoliday"),
    ("homeOffice -1", {"homeOffice": -1}, "homeOffice"),
    ("homeOffice 1.0", {"homeOffice": 1.0}, "homeOffice"),
    ("comment too long", {"comments": "x" * 101}, "comments"),
    ("comment not text", {"comments": {"a": 1}}, "comments"),
    ("total with comma", {"dailyTimeTotal": "7,75"}, "dailyTimeTotal"),
    ("total text", {"dailyTimeTotal": "seven"}, "dailyTimeTotal"),
    ("total boolean", {"dailyTimeTotal": True}, "dailyTimeTotal"),
    ("total null", {"dailyTimeTotal": None}, "dailyTimeTotal"),
    ("total list", {"dailyTimeTotal": [7.75]}, "dailyTimeTotal"),
    ("total wrong", {"dailyTimeTotal": 8}, "dailyTimeTotal"),
    ("total negative", {"dailyTimeTotal": -1, "dayType": 1}, "dailyTimeTotal"),
]


@pytest.mark.usefixtures("strict_totals")
@pytest.mark.parametrize(
    ("changes", "field"), [row[1:] for row in BAD_POSTS], ids=[row[0] for row in BAD_POSTS]
)
def test_bad_post_is_refused_and_changes_nothing(member, existing, prosonata, changes, field):
    body = {**SPEC_EXAMPLE, "userID": member.pk, **changes}
    body = {key: value for key, value in body.items() if value is not MISSING}
    before = snapshot()

    response = prosonata(member).post(LIST_URL, body, format="json")

    _assert_refused(response, HTTPStatus.BAD_REQUEST, field, before)


def test_all_field_errors_are_reported_together(member, prosonata):
    response = prosonata(member).post(
        LIST_URL, {"userID": member.pk, "dayType": 9, "halfHoliday": 3}, format="json"
    )

    message = response.json()["meta"]["message"]
    for field in (
        "workingDate",
        "dailyTimeStart",
        "dailyTimeEnd",
        "dailyTimeTotal",
        "dayType",
        "halfHoliday",
    ):
        assert f"{field}:" in message


@pytest.mark.parametrize(
    ("content_type", "payload", "fragment"),
    [
        ("application/json", '{"userID": 1, "workingDate": ', "JSON"),
        ("application/json", "userID=1&workingDate=2021-03-02", "JSON"),
        ("application/x-www-form-urlencoded", "userID=1&workingDate=2021-03-02", "JSON"),
        ("text/plain", "hello", "JSON"),
        ("application/json", '[{"userID": 1}]', "dictionary"),
        ("application/json", '"just a string"', "dictionary"),
        ("application/json", '{"userID": 1, "dailyTimeTotal": NaN}', "JSON"),
    ],
)
def test_a_body_that_is_not_a_json_object_is_400(
    member, existing, prosonata, content_type, payload, fragment
):
    before = snapshot()

    response = prosonata(member).generic("POST", LIST_URL, payload, content_type=content_type)

    _assert_refused(response, HTTPStatus.BAD_REQUEST, fragment, before)


@pytest.mark.usefixtures("strict_totals")
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"dailyTimeEnd": "07:00:00"}, "dailyTimeEnd"),
        ({"dailyTimeStart": "12:15:00"}, "break1Start"),  # the break now starts before the day
        ({"break1Start": None}, "break1Start"),
        ({"break2Start": "12:20:00", "break2End": "12:40:00"}, "break2Start"),
        ({"dayType": 7}, "dayType"),
        ({"homeOffice": "ja"}, "homeOffice"),
        ({"comments": "y" * 101}, "comments"),
        ({"dailyTimeTotal": "8,0"}, "dailyTimeTotal"),
        ({"dailyTimeTotal": 7}, "dailyTimeTotal"),
        ({"userID": "x"}, "userID"),
        ({"workingDate": "tomorrow"}, "workingDate"),
        ({"break4Start": "13:00:00", "break4End": "13:10:00", "break9End": "14:00"}, "break9End"),
    ],
)
def test_bad_put_is_refused_and_changes_nothing(member, existing, prosonata, body, field):
    before = snapshot()

    response = prosonata(member).put(detail_url(existing.pk), body, format="json")

    _assert_refused(response, HTTPStatus.BAD_REQUEST, field, before)


def test_bad_put_body_is_400(member, existing, prosonata):
    before = snapshot()

    response = prosonata(member).generic(
        "PUT", detail_url(existing.pk), "{not json", content_type="application/json"
    )

    _assert_refused(response, HTTPStatus.BAD_REQUEST, "JSON", before)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"orderBy": "username"}, "orderBy"),
        ({"orderBy": "workingDate SIDEWAYS"}, "orderBy"),
        ({"orderBy": "workingDate DESC ASC"}, "orderBy"),
        ({"orderBy": "workingDate,dayType"}, "orderBy"),
        ({"perPage": "0"}, "perPage"),
        ({"perPage": "1001"}, "perPage"),
        ({"perPage": "-5"}, "perPage"),
        ({"perPage": "many"}, "perPage"),
        ({"page": "0"}, "page"),
        ({"page": "first"}, "page"),
        ({"userID": "bob"}, "userID"),
        ({"userID": "-1"}, "userID"),
        ({"workingDate": "2021-13-01"}, "workingDate"),
        ({"workingDate": "02.03.2021"}, "workingDate"),
        ({"workingDate": "20210302"}, "workingDate"),
        ({"workingDate": "><2021-03-02"}, "workingDate"),
        ({"workingDate2": "!2021-03-02"}, "workingDate2"),
        ({"dayType": "7"}, "dayType"),
        ({"dayType": "Urlaub"}, "dayType"),
        ({"halfHoliday": "2"}, "halfHoliday"),
        ({"homeOffice": "yes"}, "homeOffice"),
    ],
)
def test_bad_list_parameters_are_400(admin, existing, prosonata, params, field):
    before = snapshot()

    response = prosonata(admin).get(LIST_URL, params)

    _assert_refused(response, HTTPStatus.BAD_REQUEST, field, before)


def test_methods_the_spec_does_not_name_are_405_in_the_envelope(member, existing, prosonata):
    before = snapshot()

    response = prosonata(member).patch(detail_url(existing.pk), {"comments": "x"}, format="json")

    _assert_refused(response, HTTPStatus.METHOD_NOT_ALLOWED, "PATCH", before)
