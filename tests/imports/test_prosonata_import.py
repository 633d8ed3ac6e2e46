"""import_data prosonata: working times from export files and from a live ProSonata API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from http import HTTPStatus

import pytest

from accounts.models import User
from imports.models import ImportedRecord
from imports.sources.prosonata import parse_canonical
from tests.factories import AdminFactory, UserFactory, WorkingTimeFactory
from workingtimes.models import WorkingTime
from workingtimes.serializers import WorkingTimeWriteSerializer
from workingtimes.services import DEFAULTS

pytestmark = pytest.mark.django_db

FIELDS = (
    "working_date", "daily_time_start", "daily_time_end", "day_type", "half_holiday",
    "home_office", "break1_start", "break1_end", "break2_start", "break2_end",
    "daily_time_total", "comments",
)  # fmt: skip


def record(wid: int, day: str, **extra) -> dict:  # type: ignore[no-untyped-def]
    """One working time in ProSonata's list shape (the spec's example)."""
    return {
        "workingTimeID": wid,
        "userID": 3,
        "username": "Admin2",
        "userFirstName": "Max",
        "userLastName": "Mustermann",
        "workingDate": day,
        "dailyTimeStart": "08:18:00",
        "dailyTimeEnd": "16:48:00",
        "dayType": 0,
        "halfHoliday": 0,
        "homeOffice": 0,
        "break1Start": "12:06:00",
        "break1End": "12:51:00",
        "break2Start": None,
        "break2End": None,
        "break3Start": None,
        "break3End": None,
        "break4Start": None,
        "break4End": None,
        "dailyTimeTotal": 7.75,
        "comments": "",
        "editedByUserID": 0,
        "workingTimeCreationDate": None,
        "workingTimeViaApi": 0,
        **extra,
    }


def page(*records: dict) -> dict:  # type: ignore[type-arg]
    return {"meta": {"status": 200, "totalCount": len(records)}, "data": list(records)}


def rows_of(user: User) -> list[tuple]:  # type: ignore[type-arg]
    return list(WorkingTime.objects.filter(user=user).order_by("working_date").values_list(*FIELDS))


@pytest.fixture
def max_user(map_user) -> User:  # type: ignore[no-untyped-def]
    user = UserFactory(username="maxm", first_name="Maximilian", last_name="M")
    map_user("prosonata", 3, user)
    return user


EXPORT = page(
    record(1, "2021-03-02", comments="eine Anmerkung"),
    record(2, "2021-03-03", dayType=1, dailyTimeTotal=8, break1Start=None, break1End=None),
    record(3, "2021-03-04", homeOffice=1, halfHoliday=1),
)


def test_file_in_prosonatas_list_shape_is_imported(max_user, run_import, write_json):
    result = run_import("prosonata", write_json("workingtimes.json", EXPORT))

    assert result.exit_code == 0
    assert result.counts() == {
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "skipped": 0,
        "failed": 0,
    }
    first = WorkingTime.objects.get(user=max_user, working_date=dt.date(2021, 3, 2))
    assert (first.daily_time_total, first.comments, first.created_via_api) == (
        Decimal("7.75"),
        "eine Anmerkung",
        False,
    )
    vacation = WorkingTime.objects.get(user=max_user, working_date=dt.date(2021, 3, 3))
    assert (vacation.day_type, vacation.daily_time_total, vacation.break1_start) == (
        1,
        Decimal("8.00"),
        None,
    )
    assert WorkingTime.history.filter(history_type="+").count() == 3


def test_rerun_is_idempotent_and_a_source_change_is_picked_up(max_user, run_import, write_json):
    run_import("prosonata", write_json("wt.json", EXPORT))
    assert run_import("prosonata", write_json("wt.json", EXPORT)).counts()["unchanged"] == 3

    before = WorkingTime.objects.get(working_date=dt.date(2021, 3, 4)).updated_at
    changed = page(*EXPORT["data"][:2], record(3, "2021-03-04", comments="korrigiert"))
    result = run_import("prosonata", write_json("wt.json", changed))

    assert result.counts() == {
        "created": 0,
        "updated": 1,
        "unchanged": 2,
        "skipped": 0,
        "failed": 0,
    }
    updated = WorkingTime.objects.get(working_date=dt.date(2021, 3, 4))
    assert updated.comments == "korrigiert"
    assert updated.updated_at > before
    assert WorkingTime.objects.count() == ImportedRecord.objects.count() == 3
    assert list(
        WorkingTime.history.filter(history_type="~").values_list("history_change_reason", flat=True)
    ) == ["Imported"]


def test_history_rows_mirror_the_imported_rows(max_user, run_import, write_json):
    run_import("prosonata", write_json("wt.json", EXPORT))

    columns = ("id", "user_id", *FIELDS, "created_at", "created_via_api", "edited_by_id")
    rows = set(WorkingTime.objects.values_list(*columns))
    history = WorkingTime.history.values_list(
        *columns, "history_type", "history_change_reason", "history_user_id"
    )
    assert {entry[: len(columns)] for entry in history} == rows
    assert {entry[len(columns) :] for entry in history} == {("+", "Imported", None)}
    # What COPY wrote reads back as the API reads it: created by import, not via the API.
    assert {row[columns.index("created_via_api")] for row in rows} == {False}


def test_dry_run_writes_nothing(max_user, run_import, write_json):
    result = run_import("prosonata", write_json("wt.json", EXPORT), "--dry-run")

    assert (result.exit_code, result.counts()["created"]) == (0, 3)
    assert not WorkingTime.objects.exists()
    assert not ImportedRecord.objects.exists()


@pytest.mark.parametrize(
    ("bad", "failure"),
    [
        (
            {"dailyTimeTotal": 8},
            "FAILED prosonata:9: dailyTimeTotal: expected 7.75 (08:18-16:48 minus 45 min",
        ),
        ({"dailyTimeTotal": "7,75"}, "FAILED prosonata:9: dailyTimeTotal: use a dot"),
        ({"dailyTimeEnd": "08:00:00"}, "FAILED prosonata:9: dailyTimeEnd: must be after"),
        ({"break1End": None}, "FAILED prosonata:9: break1End: is required"),
        ({"dayType": 9}, "FAILED prosonata:9: dayType: "),
        ({"comments": "x" * 101}, "FAILED prosonata:9: comments: "),
        ({"comments": "a\x00b"}, "FAILED prosonata:9: comments: Null characters"),
        ({"comments": "a\ud800b"}, "FAILED prosonata:9: comments: Surrogate characters"),
        (
            {"workingDate": "2021-03-03"},
            "FAILED prosonata:10: same user and day (2021-03-03) as record 9 of this batch",
        ),
    ],
    ids=["total", "comma", "end", "break", "daytype", "comment", "nul", "surrogate", "same-day"],
)
def test_a_bad_record_fails_its_whole_batch_and_is_named(
    max_user, run_import, write_json, bad, failure
):
    pages = write_json(
        "pages/1.json",
        page(record(8, "2021-03-02"), record(9, "2021-03-05", **bad), record(10, "2021-03-03")),
    ).parent
    write_json("pages/2.json", page(record(11, "2021-03-10")))

    result = run_import("prosonata", pages)

    assert result.exit_code == 1
    failures = [line for line in result.lines if line.startswith("FAILED")]
    assert len(failures) == 1
    assert failures[0].startswith(failure), failures
    assert [row[0] for row in rows_of(max_user)] == [dt.date(2021, 3, 10)]


def test_a_day_that_already_has_a_record_is_reported_not_replaced(max_user, run_import, write_json):
    existing = WorkingTimeFactory(user=max_user, working_date=dt.date(2021, 3, 2))

    result = run_import("prosonata", write_json("wt.json", EXPORT))

    assert result.exit_code == 1
    assert any(
        f"already has working time {existing.pk} on 2021-03-02" in line for line in result.lines
    )
    assert list(WorkingTime.objects.values_list("pk", flat=True)) == [existing.pk]


def test_unmatched_users_are_reported_and_create_users_creates_them(run_import, write_json):
    path = write_json("wt.json", EXPORT)

    skipped = run_import("prosonata", path)
    assert skipped.exit_code == 1
    assert skipped.counts()["skipped"] == 3
    assert any("ProSonata user 3 (Max Mustermann)" in line for line in skipped.lines)
    assert not WorkingTime.objects.exists()

    created = run_import("prosonata", path, "--create-users")
    assert created.exit_code == 0
    user = User.objects.get(username="admin2")
    assert (user.first_name, user.last_name) == ("Max", "Mustermann")
    assert len(rows_of(user)) == 3


@pytest.mark.django_db(transaction=True)
def test_round_trip_through_a_live_prosonata_api(live_source, run_import, map_user, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "prosonata": "10000/900"}
    admin = AdminFactory(username="exporter")
    sources = [UserFactory(username=f"src{n}") for n in range(2)]
    targets = [UserFactory(username=f"dst{n}") for n in range(2)]
    for n, user in enumerate(sources):
        client = live_source.client(user, "prosonata")
        for day in range(1, 4):
            body = {
                "userID": user.pk,
                "workingDate": f"2024-03-{day:02d}",
                "dailyTimeStart": "08:00:00",
                "dailyTimeEnd": "16:30:00",
                "break1Start": "12:00:00",
                "break1End": "12:30:00",
                "dailyTimeTotal": 8,
                "homeOffice": n,
                "comments": f"day {day}",
            }
            response = client.post(f"{live_source.url}/api/v1/workingtimes", json=body)
            assert response.status_code == HTTPStatus.CREATED, response.text
        map_user("prosonata", user.pk, targets[n])

    result = run_import(
        "prosonata",
        "--url",
        f"{live_source.url}/api/v1",
        "--api-key",
        live_source.key(admin),
        "--from",
        "2024-03-02",
        "--to",
        "2024-03-31",
    )

    assert result.exit_code == 0, result.lines
    assert result.counts()["created"] == 4  # --from 2024-03-02: two days of each user
    for source, target in zip(sources, targets, strict=True):
        assert rows_of(target) == rows_of(source)[1:]


@pytest.mark.parametrize(
    "item",
    [
        record(1, "2021-03-02"),
        record(1, "2021-03-02", dayType=6, dailyTimeTotal=0, halfHoliday=True, comments=None),
        record(1, "2021-03-02", dailyTimeTotal=7.416666, homeOffice=False),
        {k: v for k, v in record(1, "2021-03-02").items() if not k.startswith("break")},
    ],
)
def test_fast_parsing_gives_exactly_what_the_api_serializer_gives(item):
    expected = WorkingTimeWriteSerializer().run_validation(item)
    expected.pop("user_id")
    parsed = parse_canonical(item)
    # Both are completed with the spec's defaults before the checks run.
    assert {**DEFAULTS, **parsed} == {**DEFAULTS, **expected}


@pytest.mark.parametrize(
    "extra",
    [
        {"workingDate": "2021-3-2"},
        {"dailyTimeStart": "08:18"},
        {"dayType": "0"},
        {"homeOffice": "1"},
        {"dailyTimeTotal": "7.75"},
        {"dailyTimeTotal": True},
        {"break5Start": "13:00:00"},
        {"dailyTimeEnd": "24:00:00"},
    ],
)
def test_fast_parsing_leaves_everything_else_to_the_api_serializer(extra):
    assert parse_canonical(record(1, "2021-03-02", **extra)) is None
