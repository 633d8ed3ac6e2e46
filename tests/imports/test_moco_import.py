"""import_data moco: MOCO presences from export files and from a live MOCO API."""

from __future__ import annotations

import datetime as dt
from http import HTTPStatus

import pytest

from accounts.models import User
from imports.models import ExternalUser, ImportedRecord
from imports.sources.moco import parse_canonical
from presences.models import Presence
from presences.serializers import PresenceInputSerializer
from tests.factories import AdminFactory, PresenceFactory, UserFactory

pytestmark = pytest.mark.django_db

MOCO_USER = {"id": 933590696, "firstname": "John", "lastname": "Doe"}


def presence(pid: int, date: str, start: str, end: str | None, **extra) -> dict:  # type: ignore[no-untyped-def]
    """One presence in MOCO's list shape."""
    return {
        "id": pid,
        "date": date,
        "from": start,
        "to": end,
        "is_home_office": False,
        "user": MOCO_USER,
        "created_at": "2018-10-17T09:33:46Z",
        "updated_at": "2018-10-17T09:33:46Z",
        **extra,
    }


def day_of(user: User) -> list[tuple]:  # type: ignore[type-arg]
    return list(
        Presence.objects.filter(user=user)
        .order_by("date", "from_time")
        .values_list("date", "from_time", "to_time", "is_home_office")
    )


@pytest.fixture
def john(map_user) -> User:  # type: ignore[no-untyped-def]
    user = UserFactory(username="jdoe", first_name="Johnny", last_name="D")
    map_user("moco", MOCO_USER["id"], user)
    return user


EXPORT = [
    presence(1, "2018-07-03", "07:30", "12:00", is_home_office=True),
    presence(2, "2018-07-03", "12:30", "17:15", is_home_office=True),
    presence(3, "2018-07-04", "08:00", None),
]


def test_file_in_mocos_list_shape_is_imported(john, run_import, write_json):
    result = run_import("moco", write_json("presences.json", EXPORT))

    assert result.exit_code == 0
    assert result.counts() == {
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "skipped": 0,
        "failed": 0,
    }
    assert day_of(john) == [
        (dt.date(2018, 7, 3), dt.time(7, 30), dt.time(12, 0), True),
        (dt.date(2018, 7, 3), dt.time(12, 30), dt.time(17, 15), True),
        (dt.date(2018, 7, 4), dt.time(8, 0), None, False),
    ]
    assert set(ImportedRecord.objects.values_list("source", "source_id")) == {
        ("moco", "1"),
        ("moco", "2"),
        ("moco", "3"),
    }
    # Imports leave a creation entry in each presence's history.
    assert Presence.history.filter(history_type="+").count() == 3


def test_a_directory_of_page_files_is_imported_page_by_page(john, run_import, write_json):
    write_json("pages/page-1.json", EXPORT[:2])
    write_json("pages/page-2.json", EXPORT[2:])

    result = run_import("moco", write_json("pages/page-1.json", EXPORT[:2]).parent)

    assert result.exit_code == 0
    assert result.counts()["created"] == 3
    assert len(day_of(john)) == 3


def test_rerun_is_idempotent(john, run_import, write_json):
    path = write_json("presences.json", EXPORT)
    run_import("moco", path)

    result = run_import("moco", path)

    assert result.exit_code == 0
    assert result.counts() == {
        "created": 0,
        "updated": 0,
        "unchanged": 3,
        "skipped": 0,
        "failed": 0,
    }
    assert Presence.objects.count() == 3
    assert ImportedRecord.objects.count() == 3


def test_history_rows_mirror_the_imported_rows(john, run_import, write_json):
    run_import("moco", write_json("presences.json", EXPORT))

    columns = ("id", "user_id", "date", "from_time", "to_time", "is_home_office", "created_at")
    rows = set(Presence.objects.values_list(*columns))
    history = Presence.history.values_list(
        *columns, "history_type", "history_change_reason", "history_user_id"
    )
    assert {entry[: len(columns)] for entry in history} == rows
    assert {entry[len(columns) :] for entry in history} == {("+", "Imported", None)}


def test_a_change_at_the_source_is_picked_up(john, run_import, write_json):
    run_import("moco", write_json("presences.json", EXPORT))
    before = Presence.objects.get(date=dt.date(2018, 7, 4)).updated_at
    changed = [*EXPORT[:2], presence(3, "2018-07-04", "08:00", "16:30")]

    result = run_import("moco", write_json("presences.json", changed))

    assert result.counts() == {
        "created": 0,
        "updated": 1,
        "unchanged": 2,
        "skipped": 0,
        "failed": 0,
    }
    assert day_of(john)[-1] == (dt.date(2018, 7, 4), dt.time(8, 0), dt.time(16, 30), False)
    # The change is visible to MOCO's `updated_after` filter and in the history.
    assert Presence.objects.get(date=dt.date(2018, 7, 4)).updated_at > before
    assert list(
        Presence.history.filter(history_type="~").values_list("history_change_reason", flat=True)
    ) == ["Imported"]


def test_dry_run_validates_everything_and_writes_nothing(run_import, write_json):
    result = run_import("moco", write_json("presences.json", EXPORT), "--dry-run", "--create-users")

    assert result.exit_code == 0
    assert result.summary.startswith("DRY RUN, nothing written")
    assert result.counts()["created"] == 3
    assert Presence.objects.count() == 0
    assert ImportedRecord.objects.count() == 0
    assert ExternalUser.objects.count() == 0
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("bad", "failure"),
    [
        (presence(7, "2018-07-03", "25:00", "17:00"), "FAILED moco:7: from: Time has wrong"),
        (presence(7, "2018-02-30", "12:30", "17:00"), "FAILED moco:7: date: "),
        (presence(7, "2018-07-03", "8am", "17:00"), "FAILED moco:7: from: Time has wrong"),
        (presence(7, "2018-07-03", "12:30", "12:30"), "FAILED moco:7: to: must be later"),
        (presence(7, "2018-07-03", "11:00", "13:00"), "FAILED moco:7: overlaps 1 of user"),
        # Without an id or user the record is named by its position in the file.
        ({"id": 7, "date": "2018-07-03"}, "FAILED moco:#2: user: missing"),
        # What no database field can hold: refused by position, never a traceback.
        (presence("7\x00", "2018-07-03", "12:30", "17:00"), "FAILED moco:#2: NUL or unpaired"),
        (
            presence(7, "2018-07-03", "12:30", "17:00", user={**MOCO_USER, "lastname": "\ud800"}),
            "FAILED moco:#2: NUL or unpaired",
        ),
    ],
    ids=["hour", "date", "8am", "empty", "overlap", "no-user", "nul-id", "surrogate-name"],
)
def test_a_bad_record_fails_its_whole_batch_and_is_named(
    john, run_import, write_json, bad, failure
):
    pages = write_json("pages/1.json", [EXPORT[0], bad, EXPORT[2]]).parent
    write_json("pages/2.json", [presence(4, "2018-07-05", "09:00", "10:00")])

    result = run_import("moco", pages)

    assert result.exit_code == 1
    assert [line for line in result.lines if line.startswith("FAILED")] == [
        next(line for line in result.lines if line.startswith(failure))
    ]
    # Nothing of the bad batch; the other file's batch is written.
    assert day_of(john) == [(dt.date(2018, 7, 5), dt.time(9), dt.time(10), False)]
    assert result.counts()["failed"] == 1
    assert result.counts()["created"] == 1


def test_a_conflict_with_existing_data_is_reported_not_merged(john, run_import, write_json):
    existing = PresenceFactory(
        user=john, date=dt.date(2018, 7, 3), from_time=dt.time(11), to_time=dt.time(12, 45)
    )

    result = run_import("moco", write_json("presences.json", EXPORT))

    assert result.exit_code == 1
    assert any(f"existing presence {existing.pk}" in line for line in result.lines)
    assert list(Presence.objects.values_list("pk", flat=True)) == [existing.pk]


def test_unmatched_users_are_reported_and_skipped(run_import, write_json):
    result = run_import("moco", write_json("presences.json", EXPORT))

    assert result.exit_code == 1
    assert result.counts()["skipped"] == 3
    assert any("user 933590696 (John Doe)" in line for line in result.lines)
    assert not Presence.objects.exists()


def test_users_are_matched_by_name_and_the_match_is_remembered(run_import, write_json):
    john = UserFactory(first_name="john", last_name="DOE")

    result = run_import("moco", write_json("presences.json", EXPORT))

    assert result.exit_code == 0
    assert len(day_of(john)) == 3
    assert ExternalUser.objects.get(source="moco", external_id="933590696").user == john


def test_create_users_creates_the_unmatched(run_import, write_json):
    result = run_import("moco", write_json("presences.json", EXPORT), "--create-users")

    assert result.exit_code == 0
    john = User.objects.get(first_name="John", last_name="Doe")
    assert john.role == User.Role.MEMBER
    assert len(day_of(john)) == 3


def test_not_a_moco_page_is_refused(run_import, write_json):
    result = run_import("moco", write_json("presences.json", {"data": EXPORT}))

    assert result.exit_code == 1
    assert any("expected a JSON array" in line for line in result.lines)


@pytest.mark.django_db(transaction=True)
def test_round_trip_through_a_live_moco_api(live_source, run_import, map_user):
    """Presences made through the API of a live server, fetched with --url, imported for
    another set of users: identical content."""
    admin = AdminFactory(username="exporter")
    sources = [UserFactory(username=f"src{n}") for n in range(2)]
    targets = [UserFactory(username=f"dst{n}") for n in range(2)]
    for n, user in enumerate(sources):
        client = live_source.client(user, "moco")
        for day in range(3):
            for start, end in (("08:00", "12:00"), ("12:30", None if day == 2 else "17:00")):
                response = client.post(
                    f"{live_source.url}/api/v1/users/presences",
                    json={
                        "date": f"2024-03-{11 + day:02d}",
                        "from": start,
                        "to": end,
                        "is_home_office": n == 1,
                    },
                )
                assert response.status_code == HTTPStatus.CREATED, response.text
        map_user("moco", user.pk, targets[n])

    # per_page 1000 would fit everything; the source pages by Link headers either way.
    result = run_import(
        "moco",
        "--url",
        f"{live_source.url}/api/v1",
        "--api-key",
        live_source.key(admin),
        "--from",
        "2024-03-01",
        "--to",
        "2024-03-31",
    )

    assert result.exit_code == 0, result.lines
    assert result.counts()["created"] == 12
    for source, target in zip(sources, targets, strict=True):
        assert day_of(target) == day_of(source)
        assert len(day_of(target)) == 6


@pytest.mark.parametrize(
    "item",
    [
        presence(1, "2018-07-03", "07:30", "13:15"),
        presence(1, "2018-07-03", "00:00", None, is_home_office=True),
        presence(1, "2018-07-03", "23:59", None),
        {"id": 1, "date": "2018-07-03", "from": "09:05", "user": MOCO_USER},
    ],
)
def test_fast_parsing_gives_exactly_what_the_api_serializer_gives(item):
    parsed = parse_canonical(item)
    serializer = PresenceInputSerializer(data=item)
    assert serializer.is_valid(), serializer.errors
    expected = {"to_time": None, "is_home_office": False, **serializer.validated_data}
    assert parsed == expected


@pytest.mark.parametrize(
    "item",
    [
        presence(1, "2018-7-3", "07:30", "13:15"),  # lenient date forms: the serializer decides
        presence(1, "2018-07-03", "7:30", "13:15"),
        presence(1, "2018-07-03", "07:30:00", "13:15"),
        presence(1, "2018-07-03", "24:00", None),
        presence(1, "2018-07-03", "07:30", "13:15", is_home_office="true"),
        presence(1, "2018-02-30", "07:30", "13:15"),
    ],
)
def test_fast_parsing_leaves_everything_else_to_the_api_serializer(item):
    assert parse_canonical(item) is None
