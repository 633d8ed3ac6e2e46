"""GET, POST and DELETE /times."""

from http import HTTPStatus
from urllib.parse import urlencode

import pytest

from clock.models import TimeEntry
from tests.clock.conftest import TIMES_URL, at, entry_spans, failure, snapshot, success
from tests.factories import OrganizationFactory, TimeEntryBreakFactory, TimeEntryFactory

MAY = {"from": "2026-05-01T00:00:00+02:00", "to": "2026-06-01T00:00:00+02:00"}


def list_url(**params: str) -> str:
    return f"{TIMES_URL}?{urlencode({**MAY, **params}, doseq=True)}"


def day_entry(user, day: int, **kwargs):  # type: ignore[no-untyped-def]
    starts_at = at(f"2026-05-{day:02d}T08:00:00+02:00")
    return TimeEntryFactory(
        user=user, starts_at=starts_at, ends_at=starts_at.replace(hour=16), **kwargs
    )


def ids(response) -> list[str]:  # type: ignore[no-untyped-def]
    groups = response.json()["items"][0]["data"]["timeEntries"]
    return [time["id"] for group in groups for time in group["times"]]


# --- GET ---------------------------------------------------------------------------------


def test_list_groups_entries_per_user_in_the_spec_shape(mctime, admin, member, other_member):
    organization = OrganizationFactory(name="Project ABC")
    first = day_entry(member, 4, comment="Test Comment", organization=organization)
    brk = TimeEntryBreakFactory(
        entry=first,
        starts_at=at("2026-05-04T12:00:00+02:00"),
        ends_at=at("2026-05-04T12:30:00+02:00"),
    )
    second = day_entry(member, 5, time_type="sick", creation_type=None)
    third = day_entry(other_member, 4, approval_status="approved")
    response = mctime(admin).get(list_url())
    assert response.status_code == HTTPStatus.OK

    def shape(entry, user, **overrides):  # type: ignore[no-untyped-def]
        local = entry.starts_at.astimezone(user.zone)
        return {
            "id": str(entry.pk),
            "from": local.isoformat(),
            "to": local.replace(hour=16).isoformat(),
            "breaks": [],
            "comment": "",
            "type": "work",
            "organizationName": None,
            "userId": str(user.uuid),
            "category": "productive",
            "creationType": "times",
            "approvalStatus": "not_approved_yet",
            "valid": True,
            **overrides,
        }

    assert response.json() == success(
        {
            "timeEntries": [
                {
                    "userId": str(member.uuid),
                    "times": [
                        shape(
                            first,
                            member,
                            comment="Test Comment",
                            organizationName="Project ABC",
                            breaks=[
                                {
                                    "id": str(brk.pk),
                                    "from": "2026-05-04T12:00:00+02:00",
                                    "to": "2026-05-04T12:30:00+02:00",
                                    "automatic": False,
                                }
                            ],
                        ),
                        shape(second, member, type="sick", category="sick", creationType=None),
                    ],
                },
                {
                    "userId": str(other_member.uuid),
                    "times": [shape(third, other_member, approvalStatus="approved")],
                },
            ]
        }
    )


def test_members_see_only_their_own_entries(mctime, member, other_member):
    own = day_entry(member, 4)
    day_entry(other_member, 4)
    assert ids(mctime(member).get(list_url())) == [str(own.pk)]
    refused = mctime(member).get(list_url(userIds=str(other_member.uuid)))
    assert refused.status_code == HTTPStatus.UNAUTHORIZED  # McTime's answer for that case


def test_list_filters_on_the_entry_start_half_open(mctime, member):
    inside = TimeEntryFactory(
        user=member,
        starts_at=at("2026-04-30T22:00:00+00:00"),  # = 2026-05-01T00:00+02:00
        ends_at=at("2026-05-01T08:00:00+02:00"),
    )
    TimeEntryFactory(
        user=member,
        starts_at=at("2026-04-30T20:00:00+02:00"),  # ends inside, starts before: out
        ends_at=at("2026-05-01T00:00:00+02:00"),
    )
    TimeEntryFactory(
        user=member,
        starts_at=at("2026-06-01T00:00:00+02:00"),  # starts at `to`: out
        ends_at=at("2026-06-01T08:00:00+02:00"),
    )
    assert ids(mctime(member).get(list_url())) == [str(inside.pk)]


@pytest.mark.parametrize("style", ["comma", "repeated"])
def test_list_filters(mctime, admin, member, other_member, style):
    abc = OrganizationFactory(name="ABC")
    xyz = OrganizationFactory(name="XYZ")
    a = day_entry(member, 4, organization=abc)
    b = day_entry(member, 5, time_type="vacation", approval_status="approved", organization=xyz)
    c = day_entry(other_member, 4, time_type="sick")

    def query(name: str, values: list[str]) -> list[str]:
        value = ",".join(values) if style == "comma" else values
        return ids(mctime(admin).get(list_url(**{name: value})))

    assert query("userIds", [str(member.uuid)]) == [str(a.pk), str(b.pk)]
    assert query("userIds", [str(member.uuid), str(other_member.uuid)]) == [
        str(a.pk),
        str(b.pk),
        str(c.pk),
    ]
    assert query("timeTypes", ["vacation", "sick"]) == [str(b.pk), str(c.pk)]
    assert query("approvalStatuses", ["approved"]) == [str(b.pk)]
    assert query("organizationIds", [str(abc.pk), str(xyz.pk)]) == [str(a.pk), str(b.pk)]
    assert query("organizationNames", ["XYZ"]) == [str(b.pk)]


def test_list_filters_given_as_indexed_lists(mctime, admin, member, other_member):
    # DRF reads `name[0]=…&name[1]=…` as a list too; the query serializer builds only the
    # filters a query names, and these count as named.
    a = day_entry(member, 4)
    day_entry(other_member, 4, time_type="sick")
    assert ids(mctime(admin).get(list_url(**{"userIds[0]": str(member.uuid)}))) == [str(a.pk)]
    assert ids(mctime(admin).get(list_url(**{"timeTypes[0]": "work"}))) == [str(a.pk)]
    response = mctime(admin).get(list_url(**{"timeTypes[0]": "nap"}))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "timeTypes" in response.json()["items"][0]["message"]


def test_list_pages_by_twenty(mctime, member):
    for day in range(1, 26):
        day_entry(member, day)
    client = mctime(member)
    assert len(ids(client.get(list_url()))) == 20
    assert len(ids(client.get(list_url(page="2")))) == 5
    assert ids(client.get(list_url(page="3"))) == []


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"from": None}, "from: This field is required."),
        ({"to": None}, "to: This field is required."),
        ({"from": "yesterday"}, "from: Datetime has wrong format. Use one of these formats "
         "instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."),
        ({"from": "2026-05-01T00:00:00"},
         "from: Datetime must include a time zone offset, e.g. 2022-04-25T08:00:00+03:00."),
        ({"to": "2026-04-01T00:00:00+02:00"}, "to: must be after from."),
        ({"from": "2025-04-30T00:00:00+02:00"}, "to: must be at most 366 days after from."),
        ({"timeTypes": "work,coffee"}, 'timeTypes.1: "coffee" is not a valid choice.'),
        ({"userIds": "bob"}, "userIds.0: Must be a valid UUID."),
        ({"page": "0"}, "page must be between 1 and 1000000000."),
    ],
)  # fmt: skip
def test_bad_list_queries_are_refused(mctime, member, params, message):
    query = {**MAY, **params}
    query = {k: v for k, v in query.items() if v is not None}
    response = mctime(member).get(f"{TIMES_URL}?{urlencode(query)}")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == failure(message)


def test_a_range_of_exactly_366_days_is_accepted(mctime, member):
    response = mctime(member).get(
        f"{TIMES_URL}?"
        + urlencode({"from": "2027-05-01T00:00:00+02:00", "to": "2028-05-01T00:00:00+02:00"})
    )
    assert response.status_code == HTTPStatus.OK


# --- POST --------------------------------------------------------------------------------


def test_post_adds_entries_with_breaks_and_organization(mctime, admin, member):
    organization = OrganizationFactory(name="Project ABC")
    response = mctime(admin).post(
        TIMES_URL,
        {
            "userId": str(member.uuid),
            "times": [
                {
                    "from": "2026-05-04T08:00:00+02:00",
                    "to": "2026-05-04T16:00:00+02:00",
                    "breaks": [
                        {"from": "2026-05-04T12:00:00+02:00", "to": "2026-05-04T12:30:00+02:00"}
                    ],
                    "timeType": "home_office",
                    "comment": "from home",
                    "organization": {"name": "Project ABC"},
                },
                {
                    "from": "2026-05-05T06:00:00+00:00",
                    "to": "2026-05-05T14:00:00+00:00",
                    "timeType": "vacation",
                    "organization": {"id": str(organization.pk)},
                },
            ],
        },
        format="json",
    )
    assert response.status_code == HTTPStatus.OK, response.json()
    first, second = TimeEntry.objects.filter(user=member).order_by("starts_at")
    data = response.json()["items"][0]["data"]
    assert data == [
        {
            "id": str(first.pk),
            "from": "2026-05-04T08:00:00+02:00",
            "to": "2026-05-04T16:00:00+02:00",
            "breaks": [
                {
                    "id": str(first.breaks.get().pk),
                    "from": "2026-05-04T12:00:00+02:00",
                    "to": "2026-05-04T12:30:00+02:00",
                    "automatic": False,
                }
            ],
            "comment": "from home",
            "type": "home_office",
            "organizationName": "Project ABC",
            "userId": str(member.uuid),
            "category": "productive",
            "creationType": "times",
            "approvalStatus": "not_approved_yet",
            "valid": True,
        },
        {
            "id": str(second.pk),
            "from": "2026-05-05T08:00:00+02:00",
            "to": "2026-05-05T16:00:00+02:00",
            "breaks": [],
            "comment": "",
            "type": "vacation",
            "organizationName": "Project ABC",
            "userId": str(member.uuid),
            "category": "vacation",
            "creationType": "times",
            "approvalStatus": "not_approved_yet",
            "valid": True,
        },
    ]


def test_post_with_id_edits_the_entry(mctime, member):
    original = day_entry(member, 4, approval_status="disapproved", comment="old")
    TimeEntryBreakFactory(entry=original)
    response = mctime(member).post(
        TIMES_URL,
        {
            "times": [
                {
                    "id": str(original.pk),
                    "from": "2026-05-04T09:00:00+02:00",
                    "to": "2026-05-04T17:00:00+02:00",
                    "breaks": [],
                    "timeType": "travel",
                }
            ]
        },
        format="json",
    )
    assert response.status_code == HTTPStatus.OK, response.json()
    original.refresh_from_db()
    assert (original.starts_at, original.ends_at) == (
        at("2026-05-04T09:00:00+02:00"),
        at("2026-05-04T17:00:00+02:00"),
    )
    # Edited: creationType null, back into approval, unchanged fields kept.
    assert (original.time_type, original.comment, original.creation_type) == (
        "travel",
        "old",
        None,
    )
    assert original.approval_status == "not_approved_yet"
    assert not original.breaks.exists()
    assert original.history.count() == 2


def test_editing_an_invalid_clocking_entry_makes_it_valid(mctime, member):
    invalid = day_entry(member, 4, is_valid=False, creation_type="clock")
    response = mctime(member).post(
        TIMES_URL,
        {"times": [{"id": str(invalid.pk), "from": "2026-05-04T08:00:00+02:00",
                    "to": "2026-05-04T12:00:00+02:00"}]},
        format="json",
    )  # fmt: skip
    assert response.status_code == HTTPStatus.OK
    assert entry_spans(member) == [
        ("2026-05-04T08:00:00+02:00", "2026-05-04T12:00:00+02:00", None, True)
    ]


def test_edit_moving_over_another_entry_overwrites_it(mctime, member):
    moving = day_entry(member, 4)
    day_entry(member, 5)
    response = mctime(member).post(
        TIMES_URL,
        {"times": [{"id": str(moving.pk), "from": "2026-05-05T06:00:00+02:00",
                    "to": "2026-05-05T10:00:00+02:00"}]},
        format="json",
    )  # fmt: skip
    assert response.status_code == HTTPStatus.CREATED
    assert entry_spans(member) == [
        ("2026-05-05T06:00:00+02:00", "2026-05-05T10:00:00+02:00", None, True),
        ("2026-05-05T10:00:00+02:00", "2026-05-05T16:00:00+02:00", None, True),
    ]


@pytest.mark.parametrize("status", ["under_approval", "approved", "exported"])
def test_locked_entries_cannot_be_edited(mctime, member, status):
    locked = day_entry(member, 4, approval_status=status)
    before = snapshot(member)
    response = mctime(member).post(
        TIMES_URL,
        {"times": [{"id": str(locked.pk), "from": "2026-05-04T09:00:00+02:00",
                    "to": "2026-05-04T10:00:00+02:00"}]},
        format="json",
    )  # fmt: skip
    assert response.status_code == HTTPStatus.BAD_REQUEST
    label = status.replace("_", " ").title()
    assert response.json() == failure(
        f"times.0.id: time entry {locked.pk} is {label} and cannot be edited."
    )
    assert snapshot(member) == before


def test_editing_someone_elses_entry_is_not_found(mctime, member, other_member):
    theirs = day_entry(other_member, 4)
    response = mctime(member).post(
        TIMES_URL,
        {"times": [{"id": str(theirs.pk), "from": "2026-05-04T09:00:00+02:00",
                    "to": "2026-05-04T10:00:00+02:00"}]},
        format="json",
    )  # fmt: skip
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert TimeEntry.objects.get(pk=theirs.pk).starts_at == theirs.starts_at


T = {"from": "2026-05-04T08:00:00+02:00", "to": "2026-05-04T16:00:00+02:00"}


def hb(start: str, end: str) -> dict[str, str]:
    """A break on 2026-05-04 from and to HH:MM (Berlin summer time)."""
    return {"from": f"2026-05-04T{start}:00+02:00", "to": f"2026-05-04T{end}:00+02:00"}


@pytest.mark.parametrize(
    ("times", "message"),
    [
        ([], "times: Ensure this field has at least 1 elements."),
        ([{**T, "to": T["from"]}], "times.0.to: must be after from."),
        ([{**T, "from": "2026-05-04T08:00:00"}],
         "times.0.from: Datetime must include a time zone offset, e.g. 2022-04-25T08:00:00+03:00."),
        ([{**T, "timeType": "nap"}], 'times.0.timeType: "nap" is not a valid choice.'),
        ([{**T, "breaks": [hb("07:00", "08:30")]}],
         "times.0.breaks.0: a break must lie inside its time entry."),
        ([{**T, "breaks": [hb("09:00", "10:00"), hb("09:30", "10:30")]}],
         "times.0.breaks.1: breaks must not overlap each other."),
        ([{**T, "breaks": [hb("09:00", "09:00")]}],
         "times.0.breaks.0.to: a break must end after it starts."),
        ([T, {**T, "from": "2026-05-04T15:00:00+02:00", "to": "2026-05-04T18:00:00+02:00"}],
         "times.1: overlaps another time entry of the same request."),
        ([{**T, "organization": {"name": "Nowhere"}}],
         "organizationName: no organization named 'Nowhere'."),
    ],
)  # fmt: skip
def test_bad_times_are_refused_and_nothing_is_saved(mctime, member, times, message):
    day_entry(member, 4)
    before = snapshot(member)
    response = mctime(member).post(TIMES_URL, {"times": times}, format="json")
    assert response.status_code in (HTTPStatus.BAD_REQUEST, HTTPStatus.NOT_FOUND)
    assert response.json() == failure(message)
    assert snapshot(member) == before


def test_a_request_is_all_or_nothing(mctime, member):
    day_entry(member, 5, approval_status="approved")
    before = snapshot(member)
    response = mctime(member).post(
        TIMES_URL,
        {
            "times": [
                T,
                {"from": "2026-05-05T09:00:00+02:00", "to": "2026-05-05T10:00:00+02:00"},
            ]
        },
        format="json",
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert snapshot(member) == before


# --- DELETE ------------------------------------------------------------------------------


@pytest.mark.parametrize("form", ["path", "query"])
@pytest.mark.parametrize(
    ("kwargs", "status"),
    [
        ({}, HTTPStatus.OK),
        ({"approval_status": "disapproved"}, HTTPStatus.OK),
        ({"is_valid": False, "creation_type": "clock"}, HTTPStatus.OK),
        ({"approval_status": "under_approval"}, HTTPStatus.BAD_REQUEST),
        ({"approval_status": "approved"}, HTTPStatus.BAD_REQUEST),
        ({"approval_status": "exported"}, HTTPStatus.BAD_REQUEST),
    ],
)
def test_delete(mctime, member, form, kwargs, status):
    target = day_entry(member, 4, **kwargs)
    url = f"{TIMES_URL}/{target.pk}" if form == "path" else f"{TIMES_URL}?id={target.pk}"
    response = mctime(member).delete(url)
    assert response.status_code == status
    assert TimeEntry.objects.filter(pk=target.pk).exists() is (status != HTTPStatus.OK)
    if status == HTTPStatus.OK:
        assert response.json()["items"][0]["data"]["id"] == str(target.pk)


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        (f"{TIMES_URL}/00000000-0000-0000-0000-000000000000", HTTPStatus.NOT_FOUND,
         "Time entry 00000000-0000-0000-0000-000000000000 not found."),
        (f"{TIMES_URL}?id=nope", HTTPStatus.BAD_REQUEST, "id: a time entry id (uuid) is required."),
        (TIMES_URL, HTTPStatus.BAD_REQUEST, "id: a time entry id (uuid) is required."),
    ],
)  # fmt: skip
def test_delete_unknown_or_missing_id(mctime, member, url, status, message):
    response = mctime(member).delete(url)
    assert response.status_code == status
    assert response.json() == failure(message)


def test_deleting_someone_elses_entry_is_not_found(mctime, member, other_member):
    theirs = day_entry(other_member, 4)
    response = mctime(member).delete(f"{TIMES_URL}/{theirs.pk}")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert TimeEntry.objects.filter(pk=theirs.pk).exists()


def test_a_new_entry_may_take_the_old_span_of_an_entry_moved_in_the_same_request(mctime, member):
    moving = day_entry(member, 4)
    response = mctime(member).post(
        TIMES_URL,
        {
            "times": [
                T,  # 2026-05-04 08:00-16:00: exactly where `moving` is now
                {"id": str(moving.pk), "from": "2026-05-05T08:00:00+02:00",
                 "to": "2026-05-05T16:00:00+02:00"},
            ]
        },
        format="json",
    )  # fmt: skip
    assert response.status_code == HTTPStatus.OK, response.json()
    assert entry_spans(member) == [
        ("2026-05-04T08:00:00+02:00", "2026-05-04T16:00:00+02:00", "times", True),
        ("2026-05-05T08:00:00+02:00", "2026-05-05T16:00:00+02:00", None, True),
    ]
