"""import_data mctime: time entries from export files and from a live McTime API."""

from __future__ import annotations

import datetime as dt
import uuid
from http import HTTPStatus

import pytest

from accounts.models import Organization, User
from clock.models import TimeEntry, TimeEntryBreak
from clock.serializers import TimeInputSerializer
from clock.services import set_approval_status
from imports.models import ExternalUser, ImportedRecord
from imports.sources.mctime import month_windows, parse_canonical, parse_with_serializer
from tests.factories import AdminFactory, OrganizationFactory, TimeEntryFactory, UserFactory

pytestmark = pytest.mark.django_db

SOURCE_USER = "c9abc5d9-7c28-42a0-99fa-aae3f51a47b3"
OTHER_SOURCE_USER = "12341232-4ca4-4a0e-80d8-844be70aa0b3"
IDS = [f"85561232-4ca4-4a0e-80d8-{n:012d}" for n in range(40)]
BREAK_IDS = [f"59876501-5c90-467e-a4d4-{n:012d}" for n in range(40)]


def entry(n: int, day: str, start: str, end: str, **extra) -> dict:  # type: ignore[no-untyped-def, type-arg]
    """One time entry in GET /times' shape (the spec's example), in summer time (+02:00)."""
    return {
        "id": IDS[n],
        "from": f"{day}T{start}:00+02:00",
        "to": f"{day}T{end}:00+02:00",
        "breaks": [],
        "comment": "",
        "type": "work",
        "organizationName": None,
        "userId": SOURCE_USER,
        "category": "productive",
        "creationType": "times",
        "approvalStatus": "not_approved_yet",
        "valid": True,
        **extra,
    }


def brk(n: int, day: str, start: str, end: str, automatic: bool = False) -> dict:  # type: ignore[type-arg]
    return {
        "id": BREAK_IDS[n],
        "from": f"{day}T{start}:00+02:00",
        "to": f"{day}T{end}:00+02:00",
        "automatic": automatic,
    }


def page(*entries: dict) -> dict:  # type: ignore[type-arg]
    """McTime's envelope, entries grouped per user in order of appearance."""
    groups: dict[str, list] = {}  # type: ignore[type-arg]
    for item in entries:
        groups.setdefault(item["userId"], []).append(item)
    time_entries = [{"userId": user, "times": times} for user, times in groups.items()]
    return {"items": [{"message": "Success", "data": {"timeEntries": time_entries}}], "valid": True}


def at(day: str, hhmm: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{hhmm}:00+02:00")


def rows_of(user: User) -> list[tuple]:  # type: ignore[type-arg]
    """Everything an entry holds, except its id and user, in start order."""
    entries = (
        TimeEntry.objects.filter(user=user)
        .select_related("organization")
        .prefetch_related("breaks")
        .order_by("starts_at")
    )
    return [
        (
            e.starts_at,
            e.ends_at,
            e.time_type,
            e.category,
            e.comment,
            e.organization.name if e.organization else None,
            e.organization_id,
            e.approval_status,
            e.creation_type,
            e.is_valid,
            [(b.starts_at, b.ends_at, b.automatic) for b in e.breaks.all()],
        )
        for e in entries
    ]


@pytest.fixture
def sam(map_user) -> User:  # type: ignore[no-untyped-def]
    user = UserFactory(username="sam", first_name="Sam", last_name="Target")
    map_user("mctime", SOURCE_USER, user)
    return user


EXPORT = page(
    entry(
        0,
        "2022-04-22",
        "08:00",
        "16:30",
        breaks=[brk(0, "2022-04-22", "12:00", "12:30")],
        comment="Test Comment",
        organizationName="Project ABC",
    ),
    entry(1, "2022-04-25", "09:00", "17:00", type="home_office", organizationName="Brand new"),
    entry(
        2,
        "2022-04-26",
        "00:00",
        "23:59",
        type="vacation",
        category="paid_leave",  # the source's category is not imported: it follows the type
        creationType=None,
        approvalStatus="approved",
    ),
)


def test_file_in_mctimes_list_shape_is_imported(sam, run_import, write_json):
    project = OrganizationFactory(name="Project ABC")

    result = run_import("mctime", write_json("times.json", EXPORT))

    assert result.exit_code == 0, result.lines
    assert result.counts() == {
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "skipped": 0,
        "failed": 0,
    }
    new_org = Organization.objects.get(name="Brand new")
    assert rows_of(sam) == [
        (
            at("2022-04-22", "08:00"),
            at("2022-04-22", "16:30"),
            "work",
            "productive",
            "Test Comment",
            "Project ABC",
            project.pk,
            "not_approved_yet",
            "times",
            True,
            [(at("2022-04-22", "12:00"), at("2022-04-22", "12:30"), False)],
        ),
        (
            at("2022-04-25", "09:00"),
            at("2022-04-25", "17:00"),
            "home_office",
            "productive",
            "",
            "Brand new",
            new_org.pk,
            "not_approved_yet",
            "times",
            True,
            [],
        ),
        (
            at("2022-04-26", "00:00"),
            at("2022-04-26", "23:59"),
            "vacation",
            "vacation",
            "",
            None,
            None,
            "approved",
            None,
            True,
            [],
        ),
    ]
    # The McTime ids are kept (they are free here), breaks' too.
    assert sorted(str(pk) for pk in TimeEntry.objects.values_list("pk", flat=True)) == IDS[:3]
    assert [str(pk) for pk in TimeEntryBreak.objects.values_list("pk", flat=True)] == [BREAK_IDS[0]]
    assert TimeEntry.history.filter(history_type="+").count() == 3
    assert TimeEntryBreak.history.filter(history_type="+").count() == 1


def test_a_directory_of_pages_with_several_users_is_imported(map_user, run_import, write_json):
    sam, kim = UserFactory(username="sam"), UserFactory(username="kim")
    map_user("mctime", SOURCE_USER, sam)
    map_user("mctime", OTHER_SOURCE_USER, kim)
    write_json(
        "pages/page-1.json",
        page(
            entry(0, "2022-05-02", "08:00", "12:00"),
            entry(1, "2022-05-02", "08:00", "12:00", userId=OTHER_SOURCE_USER),
        ),
    )
    second = write_json("pages/page-2.json", page(entry(2, "2022-05-02", "13:00", "17:00")))

    result = run_import("mctime", second.parent)

    assert result.exit_code == 0, result.lines
    assert result.counts()["created"] == 3
    assert [len(rows_of(sam)), len(rows_of(kim))] == [2, 1]


def test_the_groups_user_stands_in_for_an_entry_without_one(sam, run_import, write_json):
    item = entry(0, "2022-05-02", "08:00", "12:00")
    del item["userId"]
    payload = {
        "items": [
            {
                "message": "Success",
                "data": {"timeEntries": [{"userId": SOURCE_USER, "times": [item]}]},
            }
        ],
        "valid": True,
    }

    assert run_import("mctime", write_json("t.json", payload)).exit_code == 0
    assert len(rows_of(sam)) == 1


def test_rerun_is_idempotent_and_a_source_change_is_picked_up(sam, run_import, write_json):
    run_import("mctime", write_json("t.json", EXPORT))
    again = run_import("mctime", write_json("t.json", EXPORT))
    assert again.counts() == {
        "created": 0,
        "updated": 0,
        "unchanged": 3,
        "skipped": 0,
        "failed": 0,
    }

    first, second, third = EXPORT["items"][0]["data"]["timeEntries"][0]["times"]
    changed = page(
        # The same instants with another offset (the user's zone changed): no change.
        {**first, "from": "2022-04-22T06:00:00Z", "to": "2022-04-22T14:30:00Z"},
        {
            **second,
            "comment": "corrected",
            "breaks": [brk(5, "2022-04-25", "12:00", "12:45", automatic=True)],
        },
        third,
    )
    result = run_import("mctime", write_json("t.json", changed))

    assert result.counts() == {
        "created": 0,
        "updated": 1,
        "unchanged": 2,
        "skipped": 0,
        "failed": 0,
    }
    updated = TimeEntry.objects.get(pk=IDS[1])
    assert updated.comment == "corrected"
    assert [(str(b.pk), b.automatic) for b in updated.breaks.all()] == [(BREAK_IDS[5], True)]
    assert TimeEntry.objects.count() == ImportedRecord.objects.count() == 3
    assert TimeEntry.history.filter(history_type="~").count() == 1


def test_an_update_keeps_breaks_that_did_not_change(sam, run_import, write_json):
    run_import("mctime", write_json("t.json", EXPORT))
    first, *rest = EXPORT["items"][0]["data"]["timeEntries"][0]["times"]
    # McTime answers a break with a new id after any edit of its entry; same span, same break.
    renamed = [{**first["breaks"][0], "id": BREAK_IDS[7]}]

    result = run_import(
        "mctime", write_json("t.json", page({**first, "comment": "x", "breaks": renamed}, *rest))
    )

    assert result.counts()["updated"] == 1
    assert [str(pk) for pk in TimeEntryBreak.objects.values_list("pk", flat=True)] == [BREAK_IDS[0]]
    assert not TimeEntryBreak.history.filter(history_type="-").exists()


def test_dry_run_writes_nothing(sam, run_import, write_json):
    result = run_import("mctime", write_json("t.json", EXPORT), "--dry-run")

    assert (result.exit_code, result.counts()["created"]) == (0, 3)
    assert result.summary.startswith("DRY RUN, nothing written")
    assert not TimeEntry.objects.exists()
    assert not TimeEntryBreak.objects.exists()
    assert not TimeEntry.history.exists()
    assert not Organization.objects.exists()  # not even the organization it would create
    assert not ImportedRecord.objects.exists()


@pytest.mark.parametrize(
    ("bad", "failure"),
    [
        ({"to": "2022-05-03T07:00:00+02:00"}, f"FAILED mctime:{IDS[9]}: to: must be after from."),
        (
            {"breaks": [brk(1, "2022-05-03", "07:00", "08:30")]},
            f"FAILED mctime:{IDS[9]}: breaks.0: a break must lie inside its time entry.",
        ),
        (
            {
                "breaks": [
                    brk(1, "2022-05-03", "10:00", "10:30"),
                    brk(2, "2022-05-03", "10:15", "10:45"),
                ]
            },
            f"FAILED mctime:{IDS[9]}: breaks.1: breaks must not overlap each other.",
        ),
        ({"type": "siesta"}, f'FAILED mctime:{IDS[9]}: type: "siesta" is not a valid choice.'),
        (
            {"from": "2022-05-03T08:00:00"},
            f"FAILED mctime:{IDS[9]}: from: Datetime must include a time zone offset",
        ),
        (
            {"approvalStatus": "maybe"},
            f"FAILED mctime:{IDS[9]}: approvalStatus: 'maybe' is not one of",
        ),
        ({"comment": "x" * 2001}, f"FAILED mctime:{IDS[9]}: comment: Ensure this field"),
        ({"id": "not-a-uuid"}, "FAILED mctime:#2: id: not a uuid ('not-a-uuid')"),
        (
            {"from": "2022-05-02T11:00:00+02:00", "to": "2022-05-02T13:00:00+02:00"},
            f"FAILED mctime:{IDS[9]}: overlaps time entry {IDS[8]} of this batch (user sam)",
        ),
        (
            {"from": "2022-05-03T08:00:00+23:59"},
            f"FAILED mctime:{IDS[9]}: from: Datetime offset must lie between -14:00 and +14:00.",
        ),
        (
            {
                "breaks": [
                    {
                        "from": f"2022-05-03T09:{m:02d}:00+02:00",
                        "to": f"2022-05-03T09:{m:02d}:30+02:00",
                        "automatic": False,
                    }
                    for m in range(51)
                ]
            },
            f"FAILED mctime:{IDS[9]}: breaks.non_field_errors: Ensure this field has no more",
        ),
    ],
    ids=[
        "to-before-from",
        "break-outside",
        "breaks-overlap",
        "type",
        "naive",
        "approval",
        "comment",
        "id",
        "overlap-in-batch",
        "offset-beyond-14h",
        "more-than-50-breaks",
    ],
)
def test_a_bad_record_fails_its_whole_batch_and_is_named(sam, run_import, write_json, bad, failure):
    pages = write_json(
        "pages/1.json",
        page(
            entry(8, "2022-05-02", "08:00", "12:00"),
            entry(9, "2022-05-03", "08:00", "16:00", **bad),
            entry(10, "2022-05-04", "08:00", "16:00"),
        ),
    ).parent
    write_json("pages/2.json", page(entry(11, "2022-05-10", "08:00", "16:00")))

    result = run_import("mctime", pages)

    assert result.exit_code == 1
    failures = [line for line in result.lines if line.startswith("FAILED")]
    assert len(failures) == 1, failures
    assert failures[0].startswith(failure), failures
    assert [str(pk) for pk in TimeEntry.objects.values_list("pk", flat=True)] == [IDS[11]]
    assert result.counts()["created"] == 1


def test_an_overlap_with_an_existing_entry_is_reported_not_merged(sam, run_import, write_json):
    existing = TimeEntryFactory(
        user=sam, starts_at=at("2022-04-22", "15:00"), ends_at=at("2022-04-22", "18:00")
    )

    result = run_import("mctime", write_json("t.json", EXPORT))

    assert result.exit_code == 1
    assert (
        f"FAILED mctime:{IDS[0]}: overlaps existing time entry {existing.pk} of user sam "
        "(2022-04-22T15:00:00+02:00 to 2022-04-22T18:00:00+02:00); not merged or trimmed"
    ) in "\n".join(result.lines)
    assert list(TimeEntry.objects.values_list("pk", "starts_at", "ends_at")) == [
        (existing.pk, existing.starts_at, existing.ends_at)
    ]


def test_invalid_entries_are_imported_as_invalid_even_where_they_overlap(
    sam, run_import, write_json
):
    payload = page(
        entry(0, "2022-05-02", "08:00", "16:00", approvalStatus="approved"),
        entry(1, "2022-05-02", "09:00", "18:00", creationType="clock", valid=False),
    )

    result = run_import("mctime", write_json("t.json", payload))

    assert result.exit_code == 0, result.lines
    assert [(r[8], r[9]) for r in rows_of(sam)] == [("times", True), ("clock", False)]


def test_an_entry_whose_user_contradicts_its_group_is_refused(sam, run_import, write_json):
    item = entry(0, "2022-05-02", "08:00", "12:00", userId=OTHER_SOURCE_USER)
    payload = page(item)
    payload["items"][0]["data"]["timeEntries"][0]["userId"] = SOURCE_USER

    result = run_import("mctime", write_json("t.json", payload))

    assert result.exit_code == 1
    assert any("differs from its group's userId" in line for line in result.lines)


def test_not_a_mctime_page_is_refused(run_import, write_json):
    result = run_import("mctime", write_json("t.json", {"timeEntries": []}))

    assert result.exit_code == 1
    assert any("not a McTime GET /times page" in line for line in result.lines)


def test_unmatched_users_are_reported_and_skipped(run_import, write_json):
    result = run_import("mctime", write_json("t.json", EXPORT))

    assert result.exit_code == 1
    assert result.counts()["skipped"] == 3
    assert any(f"McTime user {SOURCE_USER}" in line for line in result.lines)
    assert not TimeEntry.objects.exists()


def test_create_users_creates_a_placeholder_user_from_a_file(run_import, write_json):
    result = run_import("mctime", write_json("t.json", EXPORT), "--create-users")

    assert result.exit_code == 0, result.lines
    user = User.objects.get(username=f"mctime-{SOURCE_USER}")
    assert (user.first_name, user.role) == ("", User.Role.MEMBER)
    assert ExternalUser.objects.get(source="mctime", external_id=SOURCE_USER).user == user
    assert len(rows_of(user)) == 3


def test_a_live_import_needs_a_date_range(run_import):
    result = run_import("mctime", "--url", "http://127.0.0.1:9/api/v2/auth", "--api-key", "k")

    assert result.exit_code == 1
    assert "needs a date range: give --from and --to" in result.lines[-1]


# McTime clients (and the import's client) send `API_KEY`, which only the production server
# configuration delivers: these run against gunicorn, on PostgreSQL.
@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_round_trip_through_a_live_mctime_api(production_source, run_import, map_user):
    """Entries made through the API of a live server (POST /times, a stopped clock, a back
    office approval), fetched with --url month by month and page by page, imported for
    another set of users: identical content.

    Source and target are one database here, so a re-run would list the imported entries
    as source entries too; re-runs and source changes are covered by the file tests."""
    live_source = production_source
    admin = AdminFactory(username="exporter")
    OrganizationFactory(name="Project ABC")
    sources = [UserFactory(username=f"src{n}") for n in range(2)]
    targets = [UserFactory(username=f"dst{n}") for n in range(2)]
    base = f"{live_source.url}/api/v2/auth"
    for n, user in enumerate(sources):
        client = live_source.client(user, "mctime")
        times = [
            {
                "from": f"2023-07-{day:02d}T08:00:00+02:00",
                "to": f"2023-07-{day:02d}T16:30:00+02:00",
                "breaks": [
                    {
                        "from": f"2023-07-{day:02d}T12:00:00+02:00",
                        "to": f"2023-07-{day:02d}T12:30:00+02:00",
                    }
                ],
                "timeType": "home_office" if day % 2 else "work",
                "comment": f"day {day}",
                "organization": {"name": "Project ABC"} if n else None,
            }
            # 22 entries for the first user: more than a page (20) in that window.
            for day in range(1, 23 if n == 0 else 4)
        ]
        response = client.post(f"{base}/times", json={"times": times})
        assert response.status_code == HTTPStatus.OK, response.text
        # The next window: a clocked entry, in winter time.
        for action, at_ in (
            ("start", "2024-12-02T09:00:00+01:00"),
            ("stop", "2024-12-02T11:00:00+01:00"),
        ):
            response = client.post(f"{base}/clock", json={"action": action, "dateTime": at_})
            assert response.status_code == HTTPStatus.OK, response.text
        map_user("mctime", str(user.uuid), targets[n])
    set_approval_status(
        entries=TimeEntry.objects.filter(user=sources[1], starts_at__year=2023), status="approved"
    )

    args = (
        "mctime",
        "--url",
        base,
        "--api-key",
        live_source.key(admin),
        "--from",
        "2023-06-01",
        "--to",
        "2024-12-31",
    )
    result = run_import(*args)

    assert result.exit_code == 0, result.lines
    assert result.counts()["created"] == 22 + 3 + 2
    for source, target in zip(sources, targets, strict=True):
        assert rows_of(target) == rows_of(source)
    # Source and target are one database here: the imported entries got new ids.
    assert not set(TimeEntry.objects.filter(user__in=targets).values_list("pk", flat=True)) & set(
        TimeEntry.objects.filter(user__in=sources).values_list("pk", flat=True)
    )


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_live_users_are_named_from_mctimes_user_list(production_source, run_import):
    """Entries name their user by uuid only; GET /users gives names and email for matching
    and for --create-users."""
    live_source = production_source
    admin = AdminFactory(username="exporter")
    source = UserFactory(username="sam", first_name="Sam", last_name="Source", email="s@x.org")
    response = live_source.client(source, "mctime").post(
        f"{live_source.url}/api/v2/auth/times",
        json={"times": [{"from": "2024-03-04T08:00:00+01:00", "to": "2024-03-04T12:00:00+01:00"}]},
    )
    assert response.status_code == HTTPStatus.OK, response.text
    # Gone from Timebridge's active users, so that nobody matches it (it is its own source).
    User.objects.filter(pk=source.pk).update(is_active=False)
    args = (
        "mctime",
        "--url",
        f"{live_source.url}/api/v2/auth",
        "--api-key",
        live_source.key(admin),
    )
    args = (*args, "--from", "2024-03-01", "--to", "2024-03-31")

    skipped = run_import(*args)
    assert skipped.exit_code == 1
    assert any(
        f"no Timebridge user for McTime user {source.uuid}" in line for line in skipped.lines
    )

    created = run_import(*args, "--create-users")
    assert created.exit_code == 0, created.lines
    user = User.objects.get(is_active=True, first_name="Sam", last_name="Source")
    assert (user.username, user.email) == ("sam2", "s@x.org")
    assert rows_of(user) == rows_of(source)


@pytest.mark.parametrize(
    "item",
    [
        entry(0, "2022-04-22", "08:00", "16:30", breaks=[brk(0, "2022-04-22", "12:00", "12:30")]),
        entry(0, "2022-04-22", "08:00", "16:30", type="sick", comment="flu"),
        {"from": "2022-04-22T08:00:00.250+02:00", "to": "2022-04-22T16:30:00Z"},
        {"from": "2022-04-22T08:00:00-05:30", "to": "2022-04-22T16:30:00-05:30", "breaks": None},
        entry(0, "2022-04-22", "08:00", "16:30", comment=None),
    ],
)
def test_fast_parsing_gives_exactly_what_the_api_serializer_gives(item):
    parsed = parse_canonical(item)
    assert parsed is not None
    assert parsed == parse_with_serializer(item)
    # …which is the API's own parsing of the same entry as a POST /times element.
    api = TimeInputSerializer().run_validation(
        {
            "from": item["from"],
            "to": item["to"],
            "breaks": [{"from": b["from"], "to": b["to"]} for b in item.get("breaks") or []],
            "timeType": item.get("type", "work"),
            "comment": item.get("comment") or "",
        }
    )
    assert (parsed["from"], parsed["to"], parsed["timeType"]) == (
        api["from"],
        api["to"],
        api["timeType"],
    )
    assert parsed["breaks"] == [(b["from"], b["to"]) for b in api["breaks"]]


@pytest.mark.parametrize(
    "extra",
    [
        {"from": "2022-04-22T08:00+02:00"},
        {"from": "2022-04-22 08:00:00+02:00"},
        {"to": "2022-04-22T16:30:00"},
        {"type": "siesta"},
        {"comment": 5},
        {"breaks": {"from": "x"}},
        {"breaks": [{"from": "2022-04-22T12:00:00+0200", "to": "2022-04-22T12:30:00+02:00"}]},
    ],
)
def test_fast_parsing_leaves_everything_else_to_the_api_serializer(extra):
    assert parse_canonical(entry(0, "2022-04-22", "08:00", "16:30", **extra)) is None


def test_the_same_instants_give_the_same_checksum_whatever_the_offset(sam):
    from imports.sources.mctime import McTimeEntrySource

    source = McTimeEntrySource()
    summer = entry(0, "2022-04-22", "08:00", "16:30")
    utc = {**summer, "from": "2022-04-22T06:00:00Z", "to": "2022-04-22T14:30:00+00:00"}
    checksums = {source.prepare(source.source_record(item), sam).checksum for item in (summer, utc)}
    assert len(checksums) == 1
    assert uuid.UUID(source.source_record(summer).source_id)


def test_a_live_range_is_walked_month_by_month():
    assert list(month_windows(dt.date(2023, 12, 15), dt.date(2024, 2, 29))) == [
        (dt.date(2023, 12, 15), dt.date(2023, 12, 31)),
        (dt.date(2024, 1, 1), dt.date(2024, 1, 31)),
        (dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
    ]
    assert list(month_windows(dt.date(2024, 3, 5), dt.date(2024, 3, 5))) == [
        (dt.date(2024, 3, 5), dt.date(2024, 3, 5))
    ]
