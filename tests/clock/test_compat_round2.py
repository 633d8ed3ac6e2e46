"""McTime compatibility: the published clock-status shape, organizationIds over names,
refusals for users the caller may not see, null as "not provided", update and dateTime,
and RFC 3339 instants (offsets within ±14:00, ASCII digits, lowercase z)."""

import datetime as dt
from http import HTTPStatus
from urllib.parse import urlencode
from uuid import uuid4

import pytest
import time_machine

from clock.models import Clock, TimeEntry
from tests.clock.conftest import CLOCK_URL, TIMES_URL, at, snapshot
from tests.factories import ClockBreakFactory, ClockFactory, OrganizationFactory, TimeEntryFactory

START = at("2026-05-04T08:00:00+02:00")
MAY = {"from": "2026-05-01T00:00:00+02:00", "to": "2026-06-01T00:00:00+02:00"}
STATUS_FIELDS = {
    "userId",
    "userFirstName",
    "userLastName",
    "clockedIn",
    "onBreak",
    "from",
    "timeType",
    "organization",
    "comment",
    "breaks",
}


def clock_url(**params) -> str:  # type: ignore[no-untyped-def]
    return f"{CLOCK_URL}?{urlencode(params, doseq=True)}"


def times_url(**params) -> str:  # type: ignore[no-untyped-def]
    return f"{TIMES_URL}?{urlencode({**MAY, **params}, doseq=True)}"


# --- GET /clock in the published clock-status shape ---------------------------------------


def test_clock_status_lists_one_item_per_clocked_in_user(mctime, admin, member, other_member):
    organization = OrganizationFactory(name="Project ABC")
    mine = ClockFactory(user=member, started_at=START, organization=organization, comment="c")
    ClockBreakFactory(clock=mine, started_at=START + dt.timedelta(hours=1))
    ClockFactory(user=other_member, started_at=START + dt.timedelta(minutes=5))

    response = mctime(admin).get(CLOCK_URL)

    assert response.status_code == HTTPStatus.OK
    body = response.json()
    assert set(body) == {"items", "valid"}
    assert body["valid"] is True
    # A client reading items[i].userId finds the users directly, no message/data nesting.
    assert [item["userId"] for item in body["items"]] == [
        str(member.uuid),
        str(other_member.uuid),
    ]
    assert all(set(item) == STATUS_FIELDS for item in body["items"])
    assert body["items"][0] == {
        "userId": str(member.uuid),
        "userFirstName": "Bob",
        "userLastName": "Member",
        "clockedIn": True,
        "onBreak": True,
        "from": "2026-05-04T08:00:00+02:00",
        "timeType": "work",
        "organization": {"id": str(organization.pk), "name": "Project ABC"},
        "comment": "c",
        "breaks": [{"from": "2026-05-04T09:00:00+02:00", "to": None}],
    }


def test_clock_status_gives_a_400_item_for_a_user_the_member_may_not_see(
    mctime, member, other_member
):
    ClockFactory(user=member, started_at=START)
    ClockFactory(user=other_member, started_at=START)

    response = mctime(member).get(clock_url(userIds=[str(other_member.uuid), str(member.uuid)]))

    assert response.status_code == HTTPStatus.OK
    items = response.json()["items"]
    assert items[0] == {
        "userId": str(other_member.uuid),
        "status": 400,
        "message": f"Not allowed to see user {other_member.uuid}.",
    }
    assert [item["userId"] for item in items[1:]] == [str(member.uuid)]
    assert "clockedIn" not in items[0]


def test_clock_status_naming_only_refused_users_lists_no_clock(mctime, member, other_member):
    ClockFactory(user=member, started_at=START)
    ClockFactory(user=other_member, started_at=START)

    items = mctime(member).get(clock_url(userIds=str(other_member.uuid))).json()["items"]

    assert [item.get("status") for item in items] == [400]


def test_clock_status_gives_a_400_item_for_an_unknown_user_to_an_admin(mctime, admin, member):
    ClockFactory(user=member, started_at=START)
    unknown = uuid4()

    items = mctime(admin).get(clock_url(userIds=f"{unknown},{member.uuid}")).json()["items"]

    assert [(item["userId"], item.get("status")) for item in items] == [
        (str(unknown), 400),
        (str(member.uuid), None),
    ]


def test_times_with_a_user_the_member_may_not_see_is_401(mctime, member, other_member):
    TimeEntryFactory(user=other_member, starts_at=START)

    response = mctime(member).get(times_url(userIds=str(other_member.uuid)))

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json() == {
        "items": [
            {"message": f"userIds: not allowed to see user {other_member.uuid}.", "data": None}
        ],
        "valid": False,
    }


def test_times_with_an_unknown_user_is_401_for_an_admin_too(mctime, admin):
    response = mctime(admin).get(times_url(userIds=str(uuid4())))

    assert response.status_code == HTTPStatus.UNAUTHORIZED


def test_times_with_the_members_own_id_is_allowed(mctime, member):
    entry = TimeEntryFactory(user=member, starts_at=START)

    response = mctime(member).get(times_url(userIds=str(member.uuid)))

    groups = response.json()["items"][0]["data"]["timeEntries"]
    assert [t["id"] for g in groups for t in g["times"]] == [str(entry.pk)]


# --- organizationIds wins over organizationNames -----------------------------------------


def test_organization_ids_win_over_organization_names(mctime, admin, member, other_member):
    wanted, ignored = OrganizationFactory(name="Wanted"), OrganizationFactory(name="Ignored")
    ClockFactory(user=member, started_at=START, organization=wanted)
    ClockFactory(user=other_member, started_at=START, organization=ignored)
    mine = TimeEntryFactory(user=member, starts_at=START, organization=wanted)
    TimeEntryFactory(user=other_member, starts_at=START, organization=ignored)
    both = {"organizationIds": str(wanted.pk), "organizationNames": "Ignored"}

    clocks = mctime(admin).get(clock_url(**both)).json()["items"]
    times = mctime(admin).get(times_url(**both)).json()["items"][0]["data"]["timeEntries"]

    assert [item["userId"] for item in clocks] == [str(member.uuid)]
    assert [t["id"] for g in times for t in g["times"]] == [str(mine.pk)]


def test_organization_names_alone_still_filter(mctime, admin, member, other_member):
    named = OrganizationFactory(name="Named")
    ClockFactory(user=member, started_at=START, organization=named)
    ClockFactory(user=other_member, started_at=START)

    clocks = mctime(admin).get(clock_url(organizationNames="Named")).json()["items"]

    assert [item["userId"] for item in clocks] == [str(member.uuid)]


# --- null for an optional field means "not provided" -------------------------------------


@pytest.mark.parametrize("field", ["userId", "comment", "timeType", "dateTime"])
def test_null_optional_field_on_clock_start_means_not_provided(mctime, member, field):
    with time_machine.travel(dt.datetime(2026, 5, 4, 6, 0, tzinfo=dt.UTC), tick=False):
        response = mctime(member).post(CLOCK_URL, {"action": "start", field: None}, format="json")

    assert response.status_code == HTTPStatus.OK, response.json()
    clock = Clock.objects.get(user=member)
    assert (clock.time_type, clock.comment) == ("work", "")
    assert clock.started_at == dt.datetime(2026, 5, 4, 6, 0, tzinfo=dt.UTC)


def test_null_comment_on_update_leaves_the_comment_as_it_is(mctime, member):
    ClockFactory(user=member, started_at=START, comment="keep", time_type="travel")

    response = mctime(member).post(
        CLOCK_URL, {"action": "update", "comment": None, "timeType": "home_office"}, format="json"
    )

    assert response.status_code == HTTPStatus.OK, response.json()
    clock = Clock.objects.get(user=member)
    assert (clock.comment, clock.time_type) == ("keep", "home_office")


def test_update_with_only_nulls_changes_nothing_and_says_so(mctime, member):
    ClockFactory(user=member, started_at=START, comment="keep", time_type="travel")
    before = snapshot(member)

    response = mctime(member).post(
        CLOCK_URL, {"action": "update", "comment": None, "timeType": None}, format="json"
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["items"][0]["message"].startswith("update needs timeType, comment")
    assert snapshot(member) == before


def test_null_optional_fields_on_times_mean_not_provided(mctime, member):
    body = {
        "userId": None,
        "times": [
            {
                "id": None,
                "from": "2026-05-04T08:00:00+02:00",
                "to": "2026-05-04T12:00:00+02:00",
                "breaks": None,
                "timeType": None,
                "comment": None,
            }
        ],
    }

    response = mctime(member).post(TIMES_URL, body, format="json")

    assert response.status_code == HTTPStatus.OK, response.json()
    entry = TimeEntry.objects.get(user=member)
    assert (entry.time_type, entry.comment, entry.breaks.count()) == ("work", "", 0)


# --- update never ignores input silently ------------------------------------------------


def test_update_with_a_datetime_is_refused(mctime, member):
    ClockFactory(user=member, started_at=START)
    before = snapshot(member)

    response = mctime(member).post(
        CLOCK_URL,
        {"action": "update", "dateTime": "2026-05-04T09:00:00+02:00", "comment": "x"},
        format="json",
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["items"][0]["message"] == (
        "dateTime: update does not take a dateTime; use start, break or stop."
    )
    assert snapshot(member) == before


# --- offsets and formats -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-05-04T08:00:00+14:00", "2026-05-03T18:00:00+00:00"),
        ("2026-05-04T08:00:00-14:00", "2026-05-04T22:00:00+00:00"),
        ("2026-05-04T08:00:00z", "2026-05-04T08:00:00+00:00"),
        ("2026-05-04t08:00:00Z", "2026-05-04T08:00:00+00:00"),
        ("2026-05-04T08:00:00.5+02:00", "2026-05-04T06:00:00+00:00"),
    ],
)
def test_rfc3339_instants_within_14_hours_are_accepted(mctime, member, text, expected):
    response = mctime(member).post(CLOCK_URL, {"action": "start", "dateTime": text}, format="json")

    assert response.status_code == HTTPStatus.OK, response.json()
    assert Clock.objects.get(user=member).started_at.isoformat() == expected


OFFSET_MESSAGE = "Datetime offset must lie between -14:00 and +14:00."
FORMAT_MESSAGE = (
    "Datetime has wrong format. Use one of these formats instead: "
    "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."
)
BAD_INSTANTS = [
    pytest.param("2026-05-04T08:00:00+23:59", OFFSET_MESSAGE, id="plus-23-59"),
    pytest.param("2026-05-04T08:00:00+14:01", OFFSET_MESSAGE, id="plus-14-01"),
    pytest.param("2026-05-04T08:00:00-15:00", OFFSET_MESSAGE, id="minus-15"),
    pytest.param("2026-05-04T08:00:00+12:60", OFFSET_MESSAGE, id="minute-60"),
    pytest.param(
        "\uff12\uff10\uff12\uff16-05-04T08:00:00+02:00", FORMAT_MESSAGE, id="fullwidth-year"
    ),
    pytest.param("2026-05-04T\uff10\uff18:00:00+02:00", FORMAT_MESSAGE, id="fullwidth-hour"),
    pytest.param("2026-05-04T08:00:00+\uff10\uff12:00", FORMAT_MESSAGE, id="fullwidth-offset"),
    pytest.param("2026-05-04T08:00:00+\u0660\u0662:00", FORMAT_MESSAGE, id="arabic-indic-offset"),
    pytest.param("2026-W19-1T08:00:00+02:00", FORMAT_MESSAGE, id="iso-week-date"),
    pytest.param("2026W191T08:00:00+02:00", FORMAT_MESSAGE, id="iso-week-date-basic"),
    pytest.param("2026-124T08:00:00+02:00", FORMAT_MESSAGE, id="ordinal-date"),
]


@pytest.mark.parametrize(("text", "message"), BAD_INSTANTS)
def test_bad_offsets_and_formats_are_refused_on_clock_actions(mctime, member, text, message):
    before = snapshot(member)

    response = mctime(member).post(CLOCK_URL, {"action": "start", "dateTime": text}, format="json")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["items"][0]["message"] == f"dateTime: {message}"
    assert snapshot(member) == before


@pytest.mark.parametrize(("text", "message"), BAD_INSTANTS)
def test_bad_offsets_and_formats_are_refused_on_times(mctime, member, text, message):
    body = {"times": [{"from": text, "to": "2026-05-05T12:00:00+02:00"}]}

    written = mctime(member).post(TIMES_URL, body, format="json")
    listed = mctime(member).get(f"{TIMES_URL}?{urlencode({**MAY, 'from': text})}")

    assert written.status_code == listed.status_code == HTTPStatus.BAD_REQUEST
    assert written.json()["items"][0]["message"] == f"times.0.from: {message}"
    assert listed.json()["items"][0]["message"] == f"from: {message}"
    assert not TimeEntry.objects.exists()
