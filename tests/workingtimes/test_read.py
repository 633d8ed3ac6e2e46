"""GET /workingtimes and /workingtimes/{id}: shape, filters, ordering, paging, visibility."""

from datetime import UTC, date, datetime, time
from decimal import Decimal
from http import HTTPStatus
from urllib.parse import urlencode

import pytest
import time_machine

from tests.factories import UserFactory, WorkingTimeFactory
from tests.workingtimes.conftest import LIST_URL, detail_url
from workingtimes.models import DayType

NOW = datetime(2021, 3, 20, 10, 0, tzinfo=UTC)  # on a 15-minute boundary: apiLimitReset 900


@time_machine.travel(NOW, tick=False)
def test_detail_renders_every_field_of_the_spec_example(admin, prosonata):
    owner = UserFactory(username="Max", first_name="Max", last_name="Mustermann")
    record = WorkingTimeFactory(
        user=owner,
        working_date=date(2021, 3, 20),
        daily_time_start=time(9, 15),
        daily_time_end=time(17, 10),
        break1_start=time(12, 0),
        break1_end=time(12, 30),
        daily_time_total=Decimal("7.42"),
    )

    response = prosonata(admin).get(detail_url(record.pk))

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "meta": {
            "status": 200,
            "requestUserID": admin.pk,
            "requestUsername": "alice",
            "usergroupName": "Administrator",
            "apiLimitRemaining": 499,
            "apiLimitReset": 900,
        },
        "data": {
            "workingTimeID": record.pk,
            "userID": owner.pk,
            "username": "Max",
            "userFirstName": "Max",
            "userLastName": "Mustermann",
            "workingDate": "2021-03-20",
            "dailyTimeStart": "09:15:00",
            "dailyTimeEnd": "17:10:00",
            "dayType": 0,
            "halfHoliday": 0,
            "homeOffice": 0,
            "break1Start": "12:00:00",
            "break1End": "12:30:00",
            "break2Start": None,
            "break2End": None,
            "break3Start": None,
            "break3End": None,
            "break4Start": None,
            "break4End": None,
            "dailyTimeTotal": 7.42,
            "comments": "",
            "editedByUserID": 0,
            "workingTimeCreationDate": "2021-03-20T11:00:00+01:00",
            "workingTimeViaApi": 0,
        },
    }


def test_detail_renders_null_creation_date_of_imported_records(admin, prosonata):
    record = WorkingTimeFactory(created_at=None)

    data = prosonata(admin).get(detail_url(record.pk)).json()["data"]

    assert data["workingTimeCreationDate"] is None


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_unknown_id_is_404_data_not_found(admin, prosonata, method):
    response = getattr(prosonata(admin), method)(detail_url(424242), {}, format="json")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json() == {
        "meta": {
            "status": 404,
            "message": "Data not found. No working time with workingTimeID 424242.",
        },
        "data": [],
    }


def test_detail_of_an_id_beyond_the_integer_range_is_404(admin, prosonata):
    response = prosonata(admin).get(detail_url(10**30))

    assert response.status_code == HTTPStatus.NOT_FOUND


# --- the list: data set ---------------------------------------------------------------------


@pytest.fixture
def days(admin, member, other_member):  # type: ignore[no-untyped-def]
    """Six records; created out of date order so that id order differs from date order."""

    def make(user, day, **kwargs):  # type: ignore[no-untyped-def]
        return WorkingTimeFactory(user=user, working_date=date(2021, 3, day), **kwargs)

    records = {}
    records["c2"] = make(other_member, 4, day_type=DayType.SICKNESS)
    records["b3"] = make(member, 3, half_holiday=True)
    records["a1"] = make(admin, 3)
    records["b1"] = make(member, 1, home_office=True)
    records["c1"] = make(other_member, 2)
    records["b2"] = make(member, 2, day_type=DayType.VACATION)
    return records


def _query(pairs: list[tuple[str, str]], encoding: str) -> str:
    if encoding == "encoded":
        return urlencode(pairs)
    return "&".join(f"{key}={value}" for key, value in pairs)


def _names(response, days) -> set[str]:  # type: ignore[no-untyped-def]
    by_id = {record.pk: name for name, record in days.items()}
    return {by_id[item["workingTimeID"]] for item in response.json()["data"]}


ALL = {"a1", "b1", "b2", "b3", "c1", "c2"}


@pytest.mark.parametrize("encoding", ["raw", "encoded"])
@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        ([], ALL),
        ([("userID", "{member}")], {"b1", "b2", "b3"}),
        ([("userID", "myself")], {"a1"}),
        ([("userID", "MySelf")], {"a1"}),
        ([("userID", "987654")], set()),
        ([("userID", "9" * 30)], set()),
        ([("username", "charlie")], {"c1", "c2"}),
        ([("username", "CHARLIE")], {"c1", "c2"}),
        ([("username", "nobody")], set()),
        ([("workingDate", "2021-03-02")], {"b2", "c1"}),
        ([("workingDate", ">2021-03-03")], {"b3", "a1", "c2"}),
        ([("workingDate", "<2021-03-02")], {"b1", "b2", "c1"}),
        ([("workingDate", ">=2021-03-04")], {"c2"}),
        ([("workingDate", "<=2021-03-01")], {"b1"}),
        ([("workingDate2", "2021-03-04")], {"c2"}),
        (
            [("workingDate", ">2021-03-02"), ("workingDate2", "<2021-03-03")],
            {"b2", "c1", "b3", "a1"},
        ),
        (
            [("workingDate", "<2021-03-03"), ("workingDate2", ">2021-03-02")],
            {"b2", "c1", "b3", "a1"},
        ),
        ([("workingDate", ">2021-03-02"), ("workingDate2", ">2021-03-04")], {"c2"}),
        ([("workingDate", "2021-03-01"), ("workingDate2", "2021-03-02")], set()),
        ([("dayType", "0")], {"a1", "b1", "b3", "c1"}),
        ([("dayType", "1")], {"b2"}),
        ([("dayType", "2")], {"c2"}),
        ([("dayType", "6")], set()),
        ([("halfHoliday", "1")], {"b3"}),
        ([("halfHoliday", "0")], ALL - {"b3"}),
        ([("homeOffice", "1")], {"b1"}),
        ([("homeOffice", "0")], ALL - {"b1"}),
        ([("userID", "{member}"), ("dayType", "0"), ("workingDate", ">2021-03-02")], {"b3"}),
        ([("username", "bob"), ("homeOffice", "1")], {"b1"}),
        ([("userID", "{other_member}"), ("username", "bob")], set()),
        ([("workingDate", "2021-03-03"), ("userID", "myself")], {"a1"}),
        ([("userID", "")], ALL),  # an empty parameter is no filter
        # Not filters (the header's key authenticates; X-APP-ID's query twin is ignored).
        ([("apiKey", "not-a-filter"), ("appID", "x"), ("page", "1")], ALL),
    ],
)
def test_admin_list_filters(
    admin, member, other_member, days, prosonata, pairs, expected, encoding
):
    ids = {"member": member.pk, "other_member": other_member.pk}
    client = prosonata(admin)
    pairs = [(key, value.format(**ids)) for key, value in pairs]

    response = client.get(f"{LIST_URL}?{_query(pairs, encoding)}")

    assert response.status_code == HTTPStatus.OK, response.json()
    assert _names(response, days) == expected
    assert response.json()["meta"]["totalCount"] == len(expected)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"b1", "b2", "b3"}),
        ("userID=myself", {"b1", "b2", "b3"}),
        ("userID={member}", {"b1", "b2", "b3"}),
        ("userID={other_member}", set()),
        ("userID={admin}", set()),
        ("username=charlie", set()),
        ("workingDate=2021-03-02", {"b2"}),
        ("dayType=2", set()),
    ],
)
def test_members_list_only_their_own(admin, member, other_member, days, prosonata, query, expected):
    query = query.format(admin=admin.pk, member=member.pk, other_member=other_member.pk)

    response = prosonata(member).get(f"{LIST_URL}?{query}")

    assert response.status_code == HTTPStatus.OK
    assert _names(response, days) == expected
    meta = response.json()["meta"]
    assert (meta["requestUserID"], meta["usergroupName"]) == (member.pk, "Mitarbeiter")


@pytest.mark.parametrize(
    ("viewer", "owner", "expected"),
    [
        ("admin", "member", HTTPStatus.OK),
        ("admin", "admin", HTTPStatus.OK),
        ("member", "member", HTTPStatus.OK),
        ("member", "other_member", HTTPStatus.NOT_FOUND),
        ("member", "admin", HTTPStatus.NOT_FOUND),
    ],
)
def test_detail_visibility(request, prosonata, viewer, owner, expected):
    record = WorkingTimeFactory(user=request.getfixturevalue(owner))

    response = prosonata(request.getfixturevalue(viewer)).get(detail_url(record.pk))

    assert response.status_code == expected


def test_member_cannot_tell_a_foreign_id_from_a_missing_one(member, other_member, prosonata):
    foreign = WorkingTimeFactory(user=other_member)
    client = prosonata(member)

    hidden = client.get(detail_url(foreign.pk)).json()["meta"]["message"]
    missing = client.get(detail_url(foreign.pk + 1000)).json()["meta"]["message"]

    assert hidden.replace(str(foreign.pk), "N") == missing.replace(str(foreign.pk + 1000), "N")


# --- ordering and paging ------------------------------------------------------------------


def _expected_order(days, *keys):  # type: ignore[no-untyped-def]
    """Sort the fixture's records by (attribute, descending) keys, then by id."""
    records = list(days.items())
    records.sort(key=lambda item: item[1].pk)
    for attribute, descending in reversed(keys):
        records.sort(key=lambda item: getattr(item[1], attribute), reverse=descending)
    return [name for name, _ in records]


@pytest.mark.parametrize(
    ("order_by", "keys"),
    [
        (None, [("pk", False)]),
        ("workingTimeID", [("pk", False)]),
        ("workingTimeID DESC", [("pk", True)]),
        ("workingDate", [("working_date", False)]),
        ("workingDate ASC", [("working_date", False)]),
        ("workingDate DESC", [("working_date", True)]),
        ("workingdate desc", [("working_date", True)]),
        ("userID", [("user_id", False)]),
        ("workingDate DESC,userID", [("working_date", True), ("user_id", False)]),
        ("userID DESC, workingDate ASC", [("user_id", True), ("working_date", False)]),
        ("userID,workingDate DESC", [("user_id", False), ("working_date", True)]),
        ("workingDate,workingTimeID DESC", [("working_date", False), ("pk", True)]),
    ],
)
@pytest.mark.parametrize("encoding", ["raw", "encoded"])
def test_order_by(admin, days, prosonata, order_by, keys, encoding):
    if order_by is None:
        url = LIST_URL
    elif encoding == "encoded":
        url = f"{LIST_URL}?{urlencode({'orderBy': order_by})}"  # spaces as +
    else:
        url = f"{LIST_URL}?orderBy={order_by.replace(' ', '%20')}"

    response = prosonata(admin).get(url)

    assert response.status_code == HTTPStatus.OK, response.json()
    by_id = {record.pk: name for name, record in days.items()}
    names = [by_id[item["workingTimeID"]] for item in response.json()["data"]]
    assert names == _expected_order(days, *keys)


def test_paging_walks_through_a_sorted_list_without_gaps(admin, days, prosonata):
    client = prosonata(admin)
    seen = []
    metas = []
    for page in (1, 2, 3):
        response = client.get(LIST_URL, {"perPage": 4, "page": page, "orderBy": "workingDate DESC"})
        assert response.status_code == HTTPStatus.OK
        metas.append(
            {k: response.json()["meta"][k] for k in ("status", "page", "perPage", "totalCount")}
        )
        seen.append([item["workingTimeID"] for item in response.json()["data"]])

    assert metas == [
        {"status": 200, "page": 1, "perPage": 4, "totalCount": 6},
        {"status": 200, "page": 2, "perPage": 4, "totalCount": 6},
        {"status": 200, "page": 3, "perPage": 4, "totalCount": 6},
    ]
    assert [len(ids) for ids in seen] == [4, 2, 0]
    by_id = {record.pk: name for name, record in days.items()}
    assert [by_id[pk] for pk in seen[0] + seen[1]] == _expected_order(days, ("working_date", True))


def test_list_meta_defaults(admin, days, prosonata):
    with time_machine.travel(NOW, tick=False):
        response = prosonata(admin).get(LIST_URL)

    assert response.json()["meta"] == {
        "status": 200,
        "page": 1,
        "perPage": 100,
        "totalCount": 6,
        "requestUserID": admin.pk,
        "requestUsername": "alice",
        "usergroupName": "Administrator",
        "apiLimitRemaining": 499,
        "apiLimitReset": 900,
    }


def test_list_items_have_the_detail_shape(admin, days, prosonata):
    client = prosonata(admin)
    record = days["b1"]

    listed = client.get(LIST_URL, {"userID": record.user_id, "workingDate": "2021-03-01"})
    detail = client.get(detail_url(record.pk))

    assert listed.json()["data"] == [detail.json()["data"]]


def test_list_runs_a_constant_number_of_queries(admin, prosonata, django_assert_num_queries):
    for _user in range(3):
        user = UserFactory()
        for day in range(1, 11):
            WorkingTimeFactory(user=user, working_date=date(2021, 4, day), edited_by=admin)
    client = prosonata(admin)
    client.get(LIST_URL)  # the first use of a key records its last use

    # key lookup, COUNT, page
    with django_assert_num_queries(3):
        small = client.get(LIST_URL, {"perPage": 2})
    with django_assert_num_queries(3):
        large = client.get(LIST_URL, {"perPage": 1000, "orderBy": "userID DESC,workingDate"})

    assert (len(small.json()["data"]), len(large.json()["data"])) == (2, 30)
