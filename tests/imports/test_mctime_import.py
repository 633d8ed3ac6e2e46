"""import_data mctime: McTime time entries from export files and from a live McTime API."""

from __future__ import annotations

import datetime as dt
import uuid
from http import HTTPStatus

import pytest

from accounts.models import Organization, User
from clock.models import TimeEntry, TimeEntryBreak
from imports.models import ImportedRecord
from tests.factories import AdminFactory, UserFactory

pytestmark = pytest.mark.django_db

SOURCE_USER = "c9abc5d9-7c28-42a0-99fa-aae3f51a47b3"
UTC = dt.UTC


def entry(eid: str, start: str, end: str, **extra) -> dict:  # type: ignore[no-untyped-def]
    """One time entry in McTime's shape (the spec's response example)."""
    return {
        "id": eid,
        "from": start,
        "to": end,
        "breaks": [],
        "comment": "",
        "type": "work",
        "organizationName": "Project ABC",
        "userId": SOURCE_USER,
        "category": "productive",
        "creationType": "clock",
        "approvalStatus": "not_approved_yet",
        "valid": True,
        **extra,
    }


def envelope(*entries: dict) -> dict:  # type: ignore[type-arg]
    return {
        "items": [
            {"message": "Success",
             "data": {"timeEntries": [{"userId": SOURCE_USER, "times": list(entries)}]}}
        ],
        "valid": True,
    }  # fmt: skip


E1, E2, E3 = (str(uuid.UUID(int=n)) for n in (1, 2, 3))
EXPORT = envelope(
    entry(
        E1, "2022-04-22T08:00:00+03:00", "2022-04-22T16:30:00+03:00",
        breaks=[{"id": str(uuid.uuid4()), "from": "2022-04-22T12:00:00+03:00",
                 "to": "2022-04-22T12:30:00+03:00", "automatic": False}],
        comment="Test Comment",
    ),
    entry(E2, "2022-04-23T09:00:00+02:00", "2022-04-23T11:00:00+02:00", type="vacation",
          approvalStatus="approved", organizationName=None),
    entry(E3, "2022-04-24T09:00:00Z", "2022-04-24T10:00:00Z", creationType=None),
)  # fmt: skip


def entries_of(user: User) -> list[tuple]:  # type: ignore[type-arg]
    return [
        (
            e.starts_at, e.ends_at, e.time_type, e.category, e.comment,
            e.organization.name if e.organization else None, e.approval_status,
            e.creation_type, e.is_valid,
            [(b.starts_at, b.ends_at, b.automatic) for b in e.breaks.order_by("starts_at")],
        )
        for e in TimeEntry.objects.filter(user=user).select_related("organization")
        .order_by("starts_at")
    ]  # fmt: skip


@pytest.fixture
def target(map_user) -> User:  # type: ignore[no-untyped-def]
    user = UserFactory(username="importer-target")
    map_user("mctime", SOURCE_USER, user)
    return user


def test_file_in_mctimes_envelope_is_imported(target, run_import, write_json):
    result = run_import("mctime", write_json("times.json", EXPORT))

    assert result.exit_code == 0, result.lines
    assert result.counts() == {
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "skipped": 0,
        "failed": 0,
    }
    at = lambda *a: dt.datetime(*a, tzinfo=UTC)  # noqa: E731
    assert entries_of(target) == [
        (at(2022, 4, 22, 5), at(2022, 4, 22, 13, 30), "work", "productive", "Test Comment",
         "Project ABC", "not_approved_yet", "clock", True,
         [(at(2022, 4, 22, 9), at(2022, 4, 22, 9, 30), False)]),
        (at(2022, 4, 23, 7), at(2022, 4, 23, 9), "vacation", "vacation", "", None,
         "approved", "clock", True, []),
        (at(2022, 4, 24, 9), at(2022, 4, 24, 10), "work", "productive", "", "Project ABC",
         "not_approved_yet", None, True, []),
    ]  # fmt: skip
    # The organization unknown to Timebridge was created once, not per entry.
    assert Organization.objects.filter(name="Project ABC").count() == 1
    assert TimeEntry.history.filter(history_type="+").count() == 3


def test_rerun_is_idempotent_and_a_source_change_is_picked_up(target, run_import, write_json):
    run_import("mctime", write_json("t.json", EXPORT))
    rerun = run_import("mctime", write_json("t.json", EXPORT))
    assert rerun.counts()["unchanged"] == 3
    assert TimeEntry.objects.count() == 3

    changed = envelope(
        *EXPORT["items"][0]["data"]["timeEntries"][0]["times"][1:],
        entry(E1, "2022-04-22T08:00:00+03:00", "2022-04-22T17:00:00+03:00",
              breaks=[{"from": "2022-04-22T12:00:00+03:00", "to": "2022-04-22T12:45:00+03:00"}],
              comment="corrected"),
    )  # fmt: skip
    result = run_import("mctime", write_json("t.json", changed))

    assert result.counts() == {
        "created": 0,
        "updated": 1,
        "unchanged": 2,
        "skipped": 0,
        "failed": 0,
    }
    first = TimeEntry.objects.get(comment="corrected")
    assert first.ends_at == dt.datetime(2022, 4, 22, 14, tzinfo=UTC)
    assert [(b.starts_at.minute, b.ends_at.minute) for b in first.breaks.all()] == [(0, 45)]
    assert TimeEntryBreak.objects.count() == 1
    assert ImportedRecord.objects.count() == 3


def test_dry_run_writes_nothing(target, run_import, write_json):
    result = run_import("mctime", write_json("t.json", EXPORT), "--dry-run")

    assert (result.exit_code, result.counts()["created"]) == (0, 3)
    assert not TimeEntry.objects.exists()
    assert not TimeEntryBreak.objects.exists()
    assert not Organization.objects.exists()
    assert not ImportedRecord.objects.exists()


@pytest.mark.parametrize(
    ("bad", "failure"),
    [
        ({"to": "2022-04-25T07:00:00+03:00"}, "to: must be after from"),
        ({"from": "2022-04-25T08:00:00"}, "from: '2022-04-25T08:00:00' has no time zone offset"),
        ({"from": "tomorrow"}, "from: 'tomorrow' is not an ISO 8601"),
        ({"type": "nap"}, "type: unknown time type 'nap'"),
        (
            {"breaks": [{"from": "2022-04-25T07:00:00+03:00", "to": "2022-04-25T07:30:00+03:00"}]},
            "breaks.0: a break must lie inside its time entry",
        ),
        ({"approvalStatus": "maybe"}, "approvalStatus: unknown value 'maybe'"),
        ({"from": "2022-04-22T16:00:00+03:00", "to": "2022-04-22T18:00:00+03:00"},
         f"overlaps {E1} of user"),
    ],
    ids=["to", "naive", "garbled", "type", "break", "approval", "overlap"],
)  # fmt: skip
def test_a_bad_record_fails_its_whole_batch_and_is_named(
    target, run_import, write_json, bad, failure
):
    bad_id = str(uuid.UUID(int=9))
    first, *_ = EXPORT["items"][0]["data"]["timeEntries"][0]["times"]
    pages = write_json(
        "pages/1.json",
        envelope(first, entry(bad_id, "2022-04-25T08:00:00+03:00", "2022-04-25T09:00:00+03:00",
                              **bad)),
    ).parent  # fmt: skip
    write_json("pages/2.json", envelope(entry(str(uuid.UUID(int=10)), "2022-05-02T08:00:00Z",
                                              "2022-05-02T09:00:00Z")))  # fmt: skip

    result = run_import("mctime", pages)

    assert result.exit_code == 1
    failures = [line for line in result.lines if line.startswith("FAILED")]
    assert failures == [next(f for f in failures if f.startswith(f"FAILED mctime:{bad_id}: "))]
    assert failure in failures[0]
    assert [e[0].date() for e in entries_of(target)] == [dt.date(2022, 5, 2)]


def test_an_overlap_with_an_existing_entry_is_reported_not_trimmed(target, run_import, write_json):
    existing = TimeEntry.objects.create(
        user=target,
        starts_at=dt.datetime(2022, 4, 22, 12, tzinfo=UTC),
        ends_at=dt.datetime(2022, 4, 22, 14, tzinfo=UTC),
        creation_type="times",
    )

    result = run_import("mctime", write_json("t.json", EXPORT))

    assert result.exit_code == 1
    assert any(f"overlaps existing time entry {existing.pk}" in line for line in result.lines)
    assert list(TimeEntry.objects.values_list("pk", flat=True)) == [existing.pk]


def test_invalid_clocking_entries_are_imported_as_invalid_even_where_they_overlap(
    target, run_import, write_json
):
    payload = envelope(
        entry(E1, "2022-04-22T08:00:00Z", "2022-04-22T10:00:00Z", approvalStatus="approved"),
        entry(E2, "2022-04-22T09:00:00Z", "2022-04-22T11:00:00Z", valid=False),
    )

    result = run_import("mctime", write_json("t.json", payload))

    assert result.exit_code == 0, result.lines
    assert sorted(TimeEntry.objects.values_list("is_valid", flat=True)) == [False, True]


def test_unmatched_users_are_reported_and_not_a_mctime_page_is_refused(run_import, write_json):
    skipped = run_import("mctime", write_json("t.json", EXPORT))
    assert skipped.exit_code == 1
    assert skipped.counts()["skipped"] == 3
    assert any(f"McTime user {SOURCE_USER}" in line for line in skipped.lines)

    refused = run_import("mctime", write_json("bad.json", {"timeEntries": []}))
    assert refused.exit_code == 1
    assert any("not a McTime /times page" in line for line in refused.lines)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_round_trip_through_a_live_mctime_api_with_created_users(production_source, run_import):
    """Entries made through the live API; --create-users names users from McTime's /users."""
    live_source = production_source
    admin = AdminFactory(username="exporter")
    Organization.objects.create(name="Client project")
    sources = [UserFactory(username=f"src{n}") for n in range(2)]
    for n, user in enumerate(sources):
        client = live_source.client(user, "mctime")
        times = [
            {
                "from": f"2024-03-{day:02d}T08:00:00+01:00",
                "to": f"2024-03-{day:02d}T16:30:00+01:00",
                "breaks": [{"from": f"2024-03-{day:02d}T12:00:00+01:00",
                            "to": f"2024-03-{day:02d}T12:30:00+01:00"}],
                "timeType": "home_office" if n else "work",
                "comment": f"day {day}",
                "organization": {"name": "Client project"},
            }
            for day in (4, 5, 6)
        ]  # fmt: skip
        response = client.post(f"{live_source.url}/api/v2/auth/times", json={"times": times})
        assert response.status_code == HTTPStatus.OK, response.text
    # Inactive users are never matched: the import has to create the target users, naming
    # them from McTime's GET /users.
    User.objects.filter(pk__in=[u.pk for u in sources]).update(is_active=False)

    result = run_import(
        "mctime", "--url", f"{live_source.url}/api/v2/auth", "--api-key", live_source.key(admin),
        "--from", "2024-03-01", "--to", "2024-03-31", "--create-users",
    )  # fmt: skip

    assert result.exit_code == 0, result.lines
    assert result.counts()["created"] == 6
    for source in sources:
        target = User.objects.get(external_ids__external_id=str(source.uuid))
        assert target.pk != source.pk
        assert (target.first_name, target.last_name) == (source.first_name, source.last_name)
        assert entries_of(target) == entries_of(source)
        assert len(entries_of(target)) == 3
