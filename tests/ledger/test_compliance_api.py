"""ArbZG findings through HTTP: on day rows, in /violations and its CSV, never blocking."""

import csv
import io
from datetime import date, datetime, time
from http import HTTPStatus
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from drf_spectacular.generators import SchemaGenerator

from clock.models import TimeEntry
from ledger.compliance import current_rule_set
from presences.models import Presence
from tests.factories import PresenceFactory, TimeEntryFactory, UserFactory, WorkingTimeFactory
from workingtimes.models import WorkingTime

BERLIN = ZoneInfo("Europe/Berlin")
VIOLATIONS = "/api/timebridge/v1/violations"
DAY = "2026-03-02"  # a Monday


def at(day: str, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(date.fromisoformat(day), time(hour, minute), tzinfo=BERLIN)


def one_day(**extra):  # type: ignore[no-untyped-def]
    return {"from": DAY, "to": DAY, **extra}


@pytest.fixture
def get(api_client):  # type: ignore[no-untyped-def]
    """get(viewer, path, params) -> GET as `viewer` with a Bearer key (None: no key)."""
    return lambda viewer, path, params: api_client(viewer, "timebridge").get(path, params)


@pytest.mark.django_db
def test_overlapping_moco_presence_and_mctime_entry_are_judged_once(api_client, days, member):
    moco = api_client(member, "moco").post(
        "/api/v1/users/presences", {"date": DAY, "from": "08:00", "to": "15:00"}, format="json"
    )
    mctime = api_client(member, "mctime").post(
        "/api/v2/auth/times",
        {"times": [{"from": f"{DAY}T09:00:00+01:00", "to": f"{DAY}T14:30:00+01:00",
                    "timeType": "work"}]},
        format="json",
    )  # fmt: skip
    assert (moco.status_code, mctime.status_code) == (HTTPStatus.CREATED, HTTPStatus.OK)

    row = days(member, **one_day()).json()["results"][0]

    # 08:00-15:00 once (7 h), not 12 h 30 min: no §3 daily maximum, no §16 notice.
    assert row["work_minutes"] == 420
    version = current_rule_set().version
    assert row["violations"] == [
        {
            "rule": "ARBZG_4_BREAK",
            "paragraph": "§4 ArbZG",
            "severity": "violation",
            "detail": "7 h worked, 0 min of qualifying breaks; 30 min required",
            "measured": {
                "work_minutes": 420,
                "qualifying_break_minutes": 0,
                "required_minutes": 30,
            },
            "rule_set": version,
        },
        {
            "rule": "ARBZG_4_STRETCH",
            "paragraph": "§4 ArbZG",
            "severity": "violation",
            "detail": (
                "7 h of work in a row from 08:00 to 15:00 without a break of at least 15 min; "
                "at most 6 h allowed"
            ),
            "measured": {
                "stretch_minutes": 420,
                "max_stretch_minutes": 360,
                "start": f"{DAY}T08:00:00+01:00",
                "end": f"{DAY}T15:00:00+01:00",
            },
            "rule_set": version,
        },
    ]
    listed = days(member, VIOLATIONS, **one_day()).json()
    assert listed["count"] == 2
    user = {"id": member.pk, "username": "bob", "name": "Bob Member"}
    assert listed["results"] == [
        {"user": user, "date": DAY, "timezone": "Europe/Berlin", **finding}
        for finding in row["violations"]
    ]


SUNDAY = "2026-03-01"
# 13 hours without a break on a Sunday, eight hours after the previous day ended.
WRITES = [
    pytest.param(
        "moco", "/api/v1/users/presences", {"date": SUNDAY, "from": "06:00", "to": "19:00"},
        lambda user: Presence.objects.values_list("from_time", "to_time").get(user=user),
        id="moco-presence",
    ),
    pytest.param(
        "mctime", "/api/v2/auth/times",
        {"times": [{"from": f"{SUNDAY}T06:00:00+01:00", "to": f"{SUNDAY}T19:00:00+01:00",
                    "timeType": "work"}]},
        lambda user: tuple(
            t.astimezone(BERLIN).time()
            for t in TimeEntry.objects.values_list("starts_at", "ends_at").get(user=user)
        ),
        id="mctime-times",
    ),
    pytest.param(
        "prosonata", "/api/v1/workingtimes",
        {"workingDate": SUNDAY, "dailyTimeStart": "06:00:00", "dailyTimeEnd": "19:00:00",
         "dailyTimeTotal": 13},
        lambda user: WorkingTime.objects.values_list(
            "daily_time_start", "daily_time_end"
        ).get(user=user),
        id="prosonata-workingtimes",
    ),
]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(("dialect", "path", "body", "stored"), WRITES)
def test_writes_are_never_refused_or_changed_by_a_finding(
    api_client, days, member, dialect, path, body, stored
):
    # Saturday until 22:00 on the MOCO terminal: only 8 h of rest before Sunday 06:00.
    PresenceFactory(user=member, date=date(2026, 2, 28), from_time=time(12), to_time=time(22))
    if dialect == "prosonata":
        body = {**body, "userID": member.pk}

    response = api_client(member, dialect).post(path, body, format="json")

    assert response.status_code in {HTTPStatus.OK, HTTPStatus.CREATED}, response.content
    if dialect != "moco":
        assert stored(member) == (time(6), time(19))
    row = days(member, **{"from": SUNDAY, "to": SUNDAY}).json()["results"][0]
    assert row["work_minutes"] == 780
    assert [v["rule"] for v in row["violations"]] == [
        "ARBZG_3_DAILY_MAX",
        "ARBZG_4_BREAK",
        "ARBZG_4_STRETCH",
        "ARBZG_5_REST",
        "ARBZG_9_SUNDAY",
        "ARBZG_16_OVER_8H",
    ]


@pytest.mark.django_db
def test_a_terminal_touch_and_an_out_of_office_go_through_on_a_day_of_findings(
    api_client, days, member
):
    # Twelve hours already on the MOCO terminal today.
    PresenceFactory(user=member, date=date(2026, 3, 2), from_time=time(6), to_time=time(18))
    with time_machine.travel(at(DAY, 18, 5), tick=False):
        assert days(member, **one_day()).json()["results"][0]["violations"]
        touch = api_client(member, "moco").post("/api/v1/users/presences/touch")
        ooo = api_client(member, "huddle").post(
            "/presence/create", {"isActive": True, "message": "gone"}, format="json"
        )
    assert touch.status_code in {HTTPStatus.OK, HTTPStatus.CREATED}, touch.content
    assert ooo.status_code == HTTPStatus.CREATED, ooo.content
    assert Presence.objects.filter(user=member, to_time__isnull=True).count() == 1


def make_long_days(user, count: int = 3) -> None:  # type: ignore[no-untyped-def]
    for n in range(count):
        PresenceFactory(user=user, date=date(2026, 3, 2 + n), from_time=time(6), to_time=time(17))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "rules"),
    [
        ({}, ["ARBZG_3_DAILY_MAX", "ARBZG_4_BREAK", "ARBZG_4_STRETCH", "ARBZG_16_OVER_8H"]),
        ({"rule": "ARBZG_4_BREAK"}, ["ARBZG_4_BREAK"]),
        ({"severity": "notice"}, ["ARBZG_16_OVER_8H"]),
        ({"severity": "violation", "rule": "ARBZG_16_OVER_8H"}, []),
    ],
)
def test_violations_filter_by_rule_and_severity(get, admin, member, params, rules):
    make_long_days(member, count=1)
    response = get(admin, VIOLATIONS, one_day(user=member.pk, **params))
    assert response.status_code == HTTPStatus.OK
    assert [v["rule"] for v in response.json()["results"]] == rules


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"rule": "ARBZG_99"}, "rule"),
        ({"severity": "fatal"}, "severity"),
        ({"from": "2026-02-30"}, "from"),
        ({"to": "2027-03-04"}, "to"),
        ({"page_size": "1001"}, "page_size"),
    ],
)
def test_violations_reject_bad_queries_as_problem_details(days, member, params, field):
    response = days(member, VIOLATIONS, **{**one_day(), **params})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response["Content-Type"] == "application/problem+json"
    assert field in response.json()["detail"]


@pytest.mark.django_db
def test_members_see_only_their_own_findings(get, member, other_member, admin):
    make_long_days(member, count=1)
    make_long_days(other_member, count=1)
    hidden = get(member, VIOLATIONS, one_day(user=other_member.pk))
    assert hidden.status_code == HTTPStatus.NOT_FOUND
    mine = get(member, VIOLATIONS, one_day()).json()["results"]
    assert {v["user"]["id"] for v in mine} == {member.pk}
    everyone = get(admin, VIOLATIONS, one_day()).json()["results"]
    assert {v["user"]["id"] for v in everyone} == {member.pk, other_member.pk}
    assert get(None, VIOLATIONS, one_day()).status_code == HTTPStatus.UNAUTHORIZED


@pytest.mark.django_db
def test_violations_page_and_export_agree(days, member):
    make_long_days(member)
    query = {"from": "2026-03-02", "to": "2026-03-04"}
    first = days(member, VIOLATIONS, page_size=5, **query).json()
    second = days(member, VIOLATIONS, page_size=5, page=3, **query).json()
    assert (first["count"], len(first["results"]), len(second["results"])) == (12, 5, 2)
    assert "page=2" in first["next"]
    assert "page=2" in second["previous"]

    response = days(member, VIOLATIONS + ".csv", **query)
    assert response["Content-Disposition"] == (
        'attachment; filename="timebridge-violations-2026-03-02-2026-03-04.csv"'
    )
    lines = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    listed = days(member, VIOLATIONS, **query).json()["results"]
    assert [
        (int(line["user_id"]), line["date"], line["rule"], line["severity"], line["detail"])
        for line in lines
    ] == [(v["user"]["id"], v["date"], v["rule"], v["severity"], v["detail"]) for v in listed]


@pytest.mark.django_db
def test_day_export_carries_the_findings(days, member):
    make_long_days(member, count=1)
    response = days(member, "/api/timebridge/v1/days.csv", **one_day())
    line = next(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert line["violations"].startswith(
        "ARBZG_3_DAILY_MAX (violation): 11 h worked; at most 10 h allowed; ARBZG_4_BREAK"
    )


@pytest.mark.django_db
def test_rest_and_average_look_back_before_the_range(days, member):
    # The previous day lies outside the requested range; §5 still sees it.
    PresenceFactory(user=member, date=date(2026, 3, 1), from_time=time(14), to_time=time(23))
    PresenceFactory(user=member, date=date(2026, 3, 2), from_time=time(7), to_time=time(9))
    row = days(member, **one_day()).json()["results"][0]
    assert [(v["rule"], v["measured"]["rest_minutes"]) for v in row["violations"]] == [
        ("ARBZG_5_REST", 480)
    ]


@pytest.mark.django_db
def test_holiday_region_of_the_user_overrides_the_company_region(days, member):
    member.holiday_region = "DE-BY"
    member.save()
    TimeEntryFactory(user=member, starts_at=at("2026-01-06", 9), ends_at=at("2026-01-06", 12))
    row = days(member, **{"from": "2026-01-06", "to": "2026-01-06"}).json()["results"][0]
    assert [v["measured"] for v in row["violations"]] == [
        {"work_minutes": 180, "holiday": "Epiphany", "region": "DE-BY"}
    ]


def _queries(days, admin, path: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        assert days(admin, path, **{"from": "2026-03-02", "to": "2026-03-04"}).status_code == 200
    return len(captured)


@pytest.mark.django_db
@pytest.mark.parametrize("path", [VIOLATIONS, "/api/timebridge/v1/days"])
def test_findings_cost_a_constant_number_of_queries(days, admin, path):
    make_long_days(UserFactory())
    few = _queries(days, admin, path)
    for _ in range(4):
        make_long_days(UserFactory())
    assert _queries(days, admin, path) == few


def test_schema_describes_violations():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert {"/api/timebridge/v1/violations/", "/api/timebridge/v1/violations.csv/"} <= set(
        schema["paths"]
    )
    components = schema["components"]["schemas"]
    assert "violations" in components["Day"]["properties"]
    assert set(components["Violation"]["properties"]) >= {"rule", "measured", "rule_set", "user"}


@pytest.mark.django_db
@pytest.mark.parametrize(("saturday", "expected"), [("vacation", 1), ("free", 0), ("half", 0)])
def test_a_day_of_leave_is_neutral_in_the_average(get, settings, member, saturday, expected):
    # A one-week window keeps the data small: 9 h Monday to Friday is 45 h; over six
    # Werktage 7 h 30 min, over five (Saturday on leave) 9 h.
    settings.COMPLIANCE_THRESHOLDS = {"average_weeks": 1}
    for n in range(5):
        PresenceFactory(user=member, date=date(2026, 3, 2 + n), from_time=time(7), to_time=time(16))
    if saturday != "free":
        WorkingTimeFactory(
            user=member, working_date=date(2026, 3, 7), day_type=1, half_holiday=saturday == "half"
        )
    response = get(
        member, VIOLATIONS, {"from": "2026-03-02", "to": "2026-03-02", "rule": "ARBZG_3_AVERAGE"}
    )
    assert response.json()["count"] == expected
