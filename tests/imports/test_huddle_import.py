"""import_data huddle: Huddle OOO presences from export files and from a live Huddle API."""

from __future__ import annotations

import datetime as dt
from http import HTTPStatus

import pytest
from django.db.models import F

from accounts.models import User
from imports.models import ImportedRecord
from ooo.models import OutOfOffice
from tests.factories import AdminFactory, OutOfOfficeFactory, UserFactory, WorkspaceFactory

pytestmark = pytest.mark.django_db

HOST = "https://huddle.example"


def entity(user_id: int, presence_id: int, **fields) -> dict:  # type: ignore[no-untyped-def]
    """One presence entity in Huddle's shape (GET /presence/{userId})."""
    return {
        "links": [
            {"rel": "user", "href": f"{HOST}/users/{user_id}"},
            {"rel": "presence", "href": f"{HOST}/presence/{user_id}/{presence_id}"},
        ],
        "isActive": True,
        "startDate": "2022-04-19T16:30:29+00:00",
        "endDate": "2022-04-20T16:30:29+00:00",
        "message": "out of office",
        **fields,
    }


def settings_of(user: User) -> list[tuple]:  # type: ignore[type-arg]
    return list(
        OutOfOffice.objects.filter(user=user)
        .order_by(F("start_date").asc(nulls_last=True), "id")
        .values_list("is_active", "start_date", "end_date", "message")
    )


EXPORT = {
    "presenceEntities": [
        entity(123, 456),
        entity(123, 457, isActive=False, startDate=None, message=""),
        entity(123, 458, startDate="2022-05-02T08:00:00+02:00", endDate=None, message="Urlaub"),
    ]
}


@pytest.fixture
def target(map_user) -> User:  # type: ignore[no-untyped-def]
    user = UserFactory(username="ooo-target")
    map_user("huddle", 123, user)
    return user


def test_file_of_presence_entities_is_imported(target, run_import, write_json):
    result = run_import("huddle", write_json("presence.json", EXPORT))

    assert result.exit_code == 0, result.lines
    assert result.counts() == {
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "skipped": 0,
        "failed": 0,
    }
    at = lambda *a: dt.datetime(*a, tzinfo=dt.UTC)  # noqa: E731
    assert settings_of(target) == [
        (True, at(2022, 4, 19, 16, 30, 29), at(2022, 4, 20, 16, 30, 29), "out of office"),
        (True, at(2022, 5, 2, 6), None, "Urlaub"),
        (False, None, at(2022, 4, 20, 16, 30, 29), ""),
    ]
    assert set(ImportedRecord.objects.values_list("source_id", flat=True)) == {"456", "457", "458"}


def test_rerun_is_idempotent_and_a_source_change_is_picked_up(target, run_import, write_json):
    run_import("huddle", write_json("p.json", EXPORT))
    assert run_import("huddle", write_json("p.json", EXPORT)).counts()["unchanged"] == 3

    changed = {"presenceEntities": [*EXPORT["presenceEntities"][:2],
                                    entity(123, 458, message="back on Monday")]}  # fmt: skip
    result = run_import("huddle", write_json("p.json", changed))

    assert result.counts() == {
        "created": 0,
        "updated": 1,
        "unchanged": 2,
        "skipped": 0,
        "failed": 0,
    }
    assert OutOfOffice.objects.filter(message="back on Monday").count() == 1
    assert OutOfOffice.objects.count() == 3
    assert OutOfOffice.history.filter(history_type="~").count() == 1


def test_dry_run_writes_nothing(target, run_import, write_json):
    result = run_import("huddle", write_json("p.json", EXPORT), "--dry-run")

    assert (result.exit_code, result.counts()["created"]) == (0, 3)
    assert not OutOfOffice.objects.exists()
    assert not ImportedRecord.objects.exists()


@pytest.mark.parametrize(
    ("bad", "failure"),
    [
        ({"isActive": "yes"}, "IsActiveInvalid: isActive"),
        ({"startDate": "2022-04-19 16:30"}, "DateInvalid: "),
        ({"endDate": "2022-04-18T00:00:00+00:00"}, "DateRangeInvalid: "),
        ({"message": "x" * 281}, "MessageLengthLimitExceeded: "),
    ],
)
def test_a_bad_record_fails_its_whole_batch_and_is_named(
    target, run_import, write_json, bad, failure
):
    pages = write_json(
        "pages/1.json", {"presenceEntities": [entity(123, 1), entity(123, 2, **bad)]}
    ).parent
    write_json("pages/2.json", {"presenceEntities": [entity(123, 3, message="page two")]})

    result = run_import("huddle", pages)

    assert result.exit_code == 1
    failures = [line for line in result.lines if line.startswith("FAILED")]
    assert len(failures) == 1
    assert failures[0].startswith(f"FAILED huddle:2: {failure}"), failures
    assert [row[3] for row in settings_of(target)] == ["page two"]


def test_an_entity_without_a_presence_link_is_named_by_position(target, run_import, write_json):
    broken = entity(123, 9)
    broken["links"] = broken["links"][:1]

    result = run_import(
        "huddle", write_json("p.json", {"presenceEntities": [entity(123, 8), broken]})
    )

    assert result.exit_code == 1
    assert any(line.startswith("FAILED huddle:#2: links: no rel") for line in result.lines)
    assert not OutOfOffice.objects.exists()


def test_unmatched_users_are_reported_and_skipped(run_import, write_json):
    result = run_import("huddle", write_json("p.json", EXPORT))

    assert result.exit_code == 1
    assert result.counts()["skipped"] == 3
    assert any("Huddle user 123" in line for line in result.lines)


def test_existing_settings_stay_untouched_beside_imported_ones(target, run_import, write_json):
    # A user may have any number of OOO settings, overlapping or not: nothing conflicts.
    own = OutOfOfficeFactory(user=target)

    result = run_import("huddle", write_json("p.json", EXPORT))

    assert result.exit_code == 0
    assert OutOfOffice.objects.filter(user=target).count() == 4
    assert OutOfOffice.objects.filter(pk=own.pk).exists()


def test_live_import_needs_a_scope(run_import, admin):
    result = run_import("huddle", "--url", HOST, "--api-key", "k")

    assert result.exit_code == 1
    assert "give --team ID, --workspace ID or --users" in result.lines[-1]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("scope", ["--workspace", "--users"])
def test_round_trip_through_a_live_huddle_api(live_source, run_import, scope, settings):
    """OOO settings made through the live API, fetched per workspace or per user list,
    paged by `next` links, imported for users created from GET /users/{id}."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "huddle": "10000/900"}
    admin = AdminFactory(username="exporter")
    sources = [UserFactory(username=f"src{n}", first_name=f"Src{n}") for n in range(2)]
    workspace = WorkspaceFactory(members=sources)
    for user in sources:
        client = live_source.client(user, "huddle")
        # 2 x 26 settings: more than one page of 50, so the import follows `next` links.
        for day in range(1, 27):
            body = {
                "isActive": day != 2,
                "startDate": f"2024-03-{day:02d}T08:00:00+01:00",
                "endDate": f"2024-03-{day:02d}T18:00:00+01:00",
                "message": f"{user.username} away on day {day}",
            }
            response = client.post(f"{live_source.url}/presence/create", json=body)
            assert response.status_code == HTTPStatus.CREATED, response.text
    User.objects.filter(pk__in=[u.pk for u in sources]).update(is_active=False)
    argument = str(workspace.pk) if scope == "--workspace" else ",".join(str(u.pk) for u in sources)

    result = run_import(
        "huddle", "--url", live_source.url, "--api-key", live_source.key(admin),
        scope, argument, "--create-users", "--from", "2024-03-01", "--to", "2024-03-31",
    )  # fmt: skip

    assert result.exit_code == 0, result.lines
    assert result.counts()["created"] == 52
    assert sum("page" in line and "records" in line for line in result.lines) == 2
    for source in sources:
        target = User.objects.get(external_ids__external_id=str(source.pk))
        assert target.pk != source.pk
        assert target.first_name == source.first_name
        assert settings_of(target) == settings_of(source)
