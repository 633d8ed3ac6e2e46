"""GET /clock: the running clocks the caller may see, filtered and paged."""

from datetime import timedelta
from http import HTTPStatus
from urllib.parse import urlencode

import pytest

from tests.clock.conftest import CLOCK_URL, at, failure
from tests.factories import ClockBreakFactory, ClockFactory, OrganizationFactory, UserFactory

START = at("2026-05-04T08:00:00+02:00")


def user_ids(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [item["userId"] for item in response.json()["items"]]


def test_list_shape(mctime, member):
    organization = OrganizationFactory(name="Project ABC")
    clock = ClockFactory(user=member, started_at=START, organization=organization, comment="c")
    ClockBreakFactory(clock=clock, started_at=START + timedelta(hours=1))
    response = mctime(member).get(CLOCK_URL)
    assert response.status_code == HTTPStatus.OK
    assert response.json() == {
        "items": [
            {
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
        ],
        "valid": True,
    }


def test_no_running_clock_is_an_empty_list(mctime, member):
    assert mctime(member).get(CLOCK_URL).json() == {"items": [], "valid": True}


@pytest.mark.parametrize("style", ["comma", "repeated"])
def test_list_filters(mctime, admin, member, other_member, style):
    abc = OrganizationFactory(name="ABC")
    ClockFactory(user=member, started_at=START, organization=abc)
    ClockFactory(user=other_member, started_at=START + timedelta(minutes=1), time_type="travel")
    ClockFactory(user=admin, started_at=START + timedelta(minutes=2), time_type="sick")

    def query(name: str, values: list[str]) -> list[str]:
        value = ",".join(values) if style == "comma" else values
        return user_ids(mctime(admin).get(f"{CLOCK_URL}?{urlencode({name: value}, doseq=True)}"))

    assert query("userIds", [str(member.uuid), str(admin.uuid)]) == [
        str(member.uuid),
        str(admin.uuid),
    ]
    assert query("timeTypes", ["travel", "sick"]) == [str(other_member.uuid), str(admin.uuid)]
    assert query("organizationIds", [str(abc.pk)]) == [str(member.uuid)]
    assert query("organizationNames", ["ABC"]) == [str(member.uuid)]


def test_list_pages_by_twenty(mctime, admin):
    for index in range(23):
        ClockFactory(user=UserFactory(), started_at=START + timedelta(minutes=index))
    client = mctime(admin)
    assert len(user_ids(client.get(CLOCK_URL))) == 20
    assert len(user_ids(client.get(f"{CLOCK_URL}?page=2"))) == 3


def test_bad_filter_is_refused(mctime, member):
    response = mctime(member).get(f"{CLOCK_URL}?timeTypes=nap")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == failure('timeTypes.0: "nap" is not a valid choice.')
