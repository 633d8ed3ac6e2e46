"""import_data huddle: Huddle OOO presences from export files and from a live Huddle API."""

from __future__ import annotations

import datetime as dt
import re
from http import HTTPStatus

import pytest
from django.db.models import F

from accounts.models import User
from imports.models import ExternalUser, ImportedRecord
from imports.sources.huddle import HuddlePresenceSource, same_origin_url
from ooo.models import OutOfOffice
from tests.factories import (
    AdminFactory,
    OutOfOfficeFactory,
    TeamFactory,
    UserFactory,
    WorkspaceFactory,
)

pytestmark = pytest.mark.django_db

HOST = "https://huddle.example"
NO_CHANGES = {"created": 0, "updated": 0, "unchanged": 0, "skipped": 0, "failed": 0}


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


def page(*entities: dict) -> dict:  # type: ignore[type-arg]
    """A page of Huddle's presence lists: links and `presenceEntities`."""
    return {
        "links": [{"rel": "self", "href": f"{HOST}/presence/123"}],
        "presenceEntities": list(entities),
    }


def settings_of(user: User) -> list[tuple]:  # type: ignore[type-arg]
    return list(
        OutOfOffice.objects.filter(user=user)
        .order_by(F("start_date").asc(nulls_last=True), "message", "id")
        .values_list("is_active", "start_date", "end_date", "message")
    )


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


EXPORT = page(
    entity(123, 456),
    entity(123, 457, isActive=False, startDate=None, message=""),
    entity(123, 458, startDate="2022-05-02T08:00:00+02:00", endDate=None, message="Urlaub"),
)


@pytest.fixture
def target(map_user) -> User:  # type: ignore[no-untyped-def]
    user = UserFactory(username="ooo-target")
    map_user("huddle", 123, user)
    return user


def test_file_of_presence_entities_is_imported(target, run_import, write_json):
    result = run_import("huddle", write_json("presence.json", EXPORT))

    assert result.exit_code == 0, result.lines
    assert result.counts() == {**NO_CHANGES, "created": 3}
    assert settings_of(target) == [
        (True, at(2022, 4, 19, 16, 30, 29), at(2022, 4, 20, 16, 30, 29), "out of office"),
        (True, at(2022, 5, 2, 6), None, "Urlaub"),
        (False, None, at(2022, 4, 20, 16, 30, 29), ""),
    ]
    ledger = dict(
        ImportedRecord.objects.filter(source="huddle").values_list("source_id", "object_id")
    )
    assert ledger == {
        str(source_id): str(OutOfOffice.objects.get(message=message, user=target).pk)
        for source_id, message in ((456, "out of office"), (457, ""), (458, "Urlaub"))
    }
    assert OutOfOffice.history.filter(history_type="+").count() == 3


def test_a_directory_of_page_files_is_imported_page_by_page(target, run_import, write_json):
    write_json("pages/page-1.json", page(*EXPORT["presenceEntities"][:2]))
    pages = write_json("pages/page-2.json", page(EXPORT["presenceEntities"][2])).parent

    result = run_import("huddle", pages)

    assert result.exit_code == 0, result.lines
    assert result.counts() == {**NO_CHANGES, "created": 3}
    assert [line.split(": ", 1)[1] for line in result.lines[:2]] == [
        "2 records — created 2, updated 0, unchanged 0, skipped 0",
        "1 records — created 1, updated 0, unchanged 0, skipped 0",
    ]
    assert len(settings_of(target)) == 3


def test_rerun_is_idempotent_and_a_source_change_is_picked_up(target, run_import, write_json):
    run_import("huddle", write_json("p.json", EXPORT))
    before = settings_of(target)

    rerun = run_import("huddle", write_json("p.json", EXPORT))

    assert (rerun.exit_code, rerun.counts()) == (0, {**NO_CHANGES, "unchanged": 3})
    assert settings_of(target) == before
    assert ImportedRecord.objects.count() == 3

    changed = page(*EXPORT["presenceEntities"][:2], entity(123, 458, message="back on Monday"))
    result = run_import("huddle", write_json("p.json", changed))

    assert result.counts() == {**NO_CHANGES, "updated": 1, "unchanged": 2}
    row = OutOfOffice.objects.get(message="back on Monday")
    assert (row.start_date, row.end_date) == (
        at(2022, 4, 19, 16, 30, 29),
        at(2022, 4, 20, 16, 30, 29),
    )
    assert row.updated_at > row.created_at
    assert OutOfOffice.objects.count() == 3
    assert list(
        OutOfOffice.history.filter(history_type="~").values_list("id", "history_change_reason")
    ) == [(row.pk, "Imported")]


def test_dry_run_writes_nothing(run_import, write_json):
    users_before = User.objects.count()

    result = run_import("huddle", write_json("p.json", EXPORT), "--dry-run", "--create-users")

    assert (result.exit_code, result.counts()) == (0, {**NO_CHANGES, "created": 3})
    assert result.summary.startswith("DRY RUN, nothing written: ")
    assert not OutOfOffice.objects.exists()
    assert not OutOfOffice.history.exists()
    assert not ImportedRecord.objects.exists()
    assert not ExternalUser.objects.exists()
    assert User.objects.count() == users_before


@pytest.mark.parametrize(
    ("bad", "failure"),
    [
        ({"isActive": "yes"}, "IsActiveInvalid: isActive is required"),
        ({"isActive": None}, "IsActiveInvalid: isActive is required"),
        ({"startDate": "2022-04-19 16:30"}, "DateInvalid: startDate: '2022-04-19 16:30'"),
        ({"endDate": "2022-04-20T16:30:29"}, "DateInvalid: endDate: "),
        ({"endDate": "2022-04-18T00:00:00+00:00"}, "DateRangeInvalid: endDate must not be"),
        ({"message": "x" * 281}, "MessageLengthLimitExceeded: message has 281 characters"),
        ({"message": 5}, "MessageInvalid: message must be a string"),
    ],
)
def test_a_bad_record_fails_its_whole_batch_and_is_named(
    target, run_import, write_json, bad, failure
):
    pages = write_json(
        "pages/1.json", page(entity(123, 1), entity(123, 2, **bad), entity(123, 3))
    ).parent
    write_json("pages/2.json", page(entity(123, 4, message="page two")))

    result = run_import("huddle", pages)

    assert result.exit_code == 1
    failures = [line for line in result.lines if line.startswith("FAILED")]
    assert len(failures) == 1
    assert failures[0].startswith(f"FAILED huddle:2: {failure}"), failures
    assert result.counts() == {**NO_CHANGES, "created": 1, "skipped": 2, "failed": 1}
    assert [row[3] for row in settings_of(target)] == ["page two"]
    assert list(ImportedRecord.objects.values_list("source_id", flat=True)) == ["4"]


@pytest.mark.parametrize(
    ("links", "failure"),
    [
        (
            [{"rel": "user", "href": f"{HOST}/users/123"}],
            'FAILED huddle:#2: links: no rel "presence" href of the form',
        ),
        (
            [{"rel": "presence", "href": f"{HOST}/presence/123/abc"}],
            'FAILED huddle:#2: links: no rel "presence" href of the form',
        ),
        (
            [{"rel": "presence", "href": f"{HOST}/presence/123/{'9' * 20}"}],
            'FAILED huddle:#2: links: no rel "presence" href of the form',
        ),
        (
            [
                {"rel": "user", "href": f"{HOST}/users/124"},
                {"rel": "presence", "href": f"{HOST}/presence/123/9"},
            ],
            "FAILED huddle:#2: links: the user link names user 124, the presence link user 123",
        ),
        (
            [
                {"rel": "user", "href": f"{HOST}/teams/123"},
                {"rel": "presence", "href": f"{HOST}/presence/123/9"},
            ],
            "FAILED huddle:#2: links: rel \"user\" href 'https://huddle.example/teams/123'",
        ),
    ],
)
def test_an_entity_whose_links_do_not_identify_it_is_named_by_position(
    target, run_import, write_json, links, failure
):
    broken = {**entity(123, 9), "links": links}

    result = run_import("huddle", write_json("p.json", page(entity(123, 8), broken)))

    assert result.exit_code == 1
    assert any(line.startswith(failure) for line in result.lines), result.lines
    assert not OutOfOffice.objects.exists()


def test_relative_links_and_a_presence_without_user_link_are_read(target, run_import, write_json):
    item = {**entity(123, 9), "links": [{"rel": "presence", "href": "/presence/123/9/"}]}

    result = run_import("huddle", write_json("p.json", page(item)))

    assert (result.exit_code, result.counts()["created"]) == (0, 1)
    assert ImportedRecord.objects.get().source_id == "9"


@pytest.mark.parametrize(
    "payload",
    [[entity(123, 1)], {"presence": []}, {"presenceEntities": {"a": 1}}],
)
def test_a_file_that_is_not_a_presence_page_is_refused(target, run_import, write_json, payload):
    result = run_import("huddle", write_json("p.json", payload))

    assert result.exit_code == 1
    assert "not a Huddle presence page" in result.lines[0]
    assert result.counts()["failed"] == 1


def test_an_id_twice_in_one_file_is_refused(target, run_import, write_json):
    result = run_import("huddle", write_json("p.json", page(entity(123, 1), entity(123, 1))))

    assert result.exit_code == 1
    assert "FAILED huddle:1: appears twice in the same batch" in result.lines
    assert not OutOfOffice.objects.exists()


def test_unmatched_users_are_reported_and_skipped(run_import, write_json):
    result = run_import("huddle", write_json("p.json", EXPORT))

    assert result.exit_code == 1
    assert result.counts() == {**NO_CHANGES, "skipped": 3}
    assert (
        "SKIPPED huddle:456: no Timebridge user for Huddle user 123 (huddle-123)"
        in (result.lines[0])
    )
    assert not OutOfOffice.objects.exists()


def test_create_users_from_a_file_creates_a_placeholder_member(run_import, write_json):
    """A file names users by id only: the new member is `huddle-<id>`, mapped for later runs."""
    result = run_import("huddle", write_json("p.json", EXPORT), "--create-users")

    assert (result.exit_code, result.counts()["created"]) == (0, 3)
    created = User.objects.get(username="huddle-123")
    assert (created.role, created.first_name, created.email) == ("member", "", "")
    assert ExternalUser.objects.get(source="huddle", external_id="123").user == created
    assert len(settings_of(created)) == 3
    rerun = run_import("huddle", write_json("p.json", EXPORT))
    assert rerun.counts() == {**NO_CHANGES, "unchanged": 3}


def test_overlapping_settings_are_no_conflict_and_existing_ones_stay(
    target, run_import, write_json
):
    # Huddle: creating a setting never invalidates the others; a user may hold any number,
    # overlapping or not, so an import adds beside what exists and changes none of it.
    own = OutOfOfficeFactory(
        user=target,
        start_date=at(2022, 4, 19),
        end_date=at(2022, 4, 21),
        message="set in Timebridge",
    )

    result = run_import("huddle", write_json("p.json", EXPORT))

    assert result.exit_code == 0
    assert OutOfOffice.objects.filter(user=target).count() == 4
    own_after = OutOfOffice.objects.get(pk=own.pk)
    assert (own_after.start_date, own_after.end_date, own_after.message) == (
        own.start_date,
        own.end_date,
        "set in Timebridge",
    )


def test_live_import_needs_a_scope(run_import, admin):
    result = run_import("huddle", "--url", HOST, "--api-key", "k")

    assert result.exit_code == 1
    assert "give --team ID, --workspace ID or --users" in result.lines[-1]


def test_live_import_takes_one_scope_only(run_import):
    result = run_import("huddle", "--url", HOST, "--api-key", "k", "--team", "1", "--users", "2")

    assert result.exit_code == 1
    assert result.lines[-1] == ("CommandError: Give only one of --team, --workspace and --users.")


@pytest.mark.parametrize(
    ("href", "followed"),
    [
        (f"{HOST}/presence/teams/3?page=2", f"{HOST}/presence/teams/3?page=2"),
        ("/presence/teams/3?page=2", f"{HOST}/presence/teams/3?page=2"),
        # Another host (a proxy's internal name, or worse): the key stays with --url's host.
        ("http://internal:8000/presence?user=1&page=2", f"{HOST}/presence?user=1&page=2"),
    ],
)
def test_paging_links_are_followed_on_the_configured_server_only(href, followed):
    assert same_origin_url(HOST, href) == followed


# --- live API ----------------------------------------------------------------------------------


def make_settings(live_source, user: User, days: range, month: int = 3) -> None:  # type: ignore[no-untyped-def]
    """OOO settings of `user`, created through the live server's API."""
    client = live_source.client(user, "huddle")
    for day in days:
        body = {
            "isActive": day % 3 != 0,
            "startDate": f"2024-{month:02d}-{day:02d}T08:00:00+01:00",
            "endDate": None if day == 5 else f"2024-{month:02d}-{day:02d}T18:00:00+01:00",
            "message": f"{user.username} away on {month}/{day}" if day != 4 else "",
        }
        response = client.post(f"{live_source.url}/presence/create", json=body)
        assert response.status_code == HTTPStatus.CREATED, response.text


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("scope", ["--team", "--workspace", "--users"])
def test_round_trip_through_a_live_huddle_api(
    live_source, run_import, map_user, scope, monkeypatch
):
    """OOO settings made through the live API, fetched per team, workspace or user list,
    paged by `next` links, imported for another set of users: identical content."""
    # Small pages, so that few settings span several pages.
    monkeypatch.setattr(HuddlePresenceSource, "page_size", 5)
    admin = AdminFactory(username="exporter")
    sources = [UserFactory(username=f"src{n}") for n in range(2)]
    targets = [UserFactory(username=f"dst{n}") for n in range(2)]
    team, workspace = TeamFactory(members=sources), WorkspaceFactory(members=sources)
    for source, target in zip(sources, targets, strict=True):
        make_settings(live_source, source, range(1, 7))
        make_settings(live_source, source, range(27, 29), month=2)  # before --from
        map_user("huddle", source.pk, target)
    argument = {
        "--team": str(team.pk),
        "--workspace": str(workspace.pk),
        "--users": ",".join(str(u.pk) for u in sources),
    }[scope]

    result = run_import(
        "huddle", "--url", live_source.url, "--api-key", live_source.key(admin),
        scope, argument, "--from", "2024-03-01", "--to", "2024-03-31",
    )  # fmt: skip

    assert result.exit_code == 0, result.lines
    assert result.counts() == {**NO_CHANGES, "created": 12}
    pages = [re.search(r" page (\d+): (\d+) records — ", line) for line in result.lines[:-1]]
    assert [match.groups() for match in pages if match] == [("1", "5"), ("2", "5"), ("3", "2")]
    for source, target in zip(sources, targets, strict=True):
        march = [row for row in settings_of(source) if row[1] is None or row[1].month == 3]
        assert len(march) == 6
        assert settings_of(target) == march
    assert not OutOfOffice.objects.filter(user__in=targets, start_date__month=2).exists()


@pytest.mark.django_db(transaction=True)
def test_live_import_creates_users_from_their_huddle_resource_and_picks_up_changes(
    live_source, run_import
):
    """Unmapped users are matched or created from GET /users/{id}; a dry run writes nothing;
    a re-run is all unchanged; a setting changed at the source (PUT) is updated."""
    admin = AdminFactory(username="exporter")
    source = UserFactory(username="src", first_name="Ada", last_name="Lovelace", email="")
    make_settings(live_source, source, range(1, 4))
    # Deactivated: matching considers active users only, so the import must create one.
    User.objects.filter(pk=source.pk).update(is_active=False)
    args = ["huddle", "--url", live_source.url, "--api-key", live_source.key(admin)]
    args += ["--users", str(source.pk), "--create-users"]
    users_before = User.objects.count()

    dry = run_import(*args, "--dry-run")

    assert (dry.exit_code, dry.counts()) == (0, {**NO_CHANGES, "created": 3})
    assert User.objects.count() == users_before
    assert not ImportedRecord.objects.exists()
    assert not ExternalUser.objects.exists()

    result = run_import(*args)

    assert result.exit_code == 0, result.lines
    assert result.counts() == {**NO_CHANGES, "created": 3}
    created = User.objects.get(external_ids__source="huddle", external_ids__external_id=source.pk)
    assert created.pk != source.pk
    assert (created.first_name, created.last_name, created.username) == (
        "Ada",
        "Lovelace",
        "ada.lovelace",
    )
    assert settings_of(created) == settings_of(source)

    assert run_import(*args).counts() == {**NO_CHANGES, "unchanged": 3}

    User.objects.filter(pk=source.pk).update(is_active=True)
    changed = OutOfOffice.objects.filter(user=source).order_by("start_date").first()
    response = live_source.client(source, "huddle").put(
        f"{live_source.url}/presence/{source.pk}/{changed.pk}",
        json={"isActive": False, "startDate": "2024-03-01T09:00:00+01:00", "message": "later"},
    )
    assert response.status_code == HTTPStatus.OK, response.text

    update = run_import(*args)

    assert update.counts() == {**NO_CHANGES, "updated": 1, "unchanged": 2}
    assert settings_of(created) == settings_of(source)
    assert (False, at(2024, 3, 1, 8), None, "later") in settings_of(created)


@pytest.mark.django_db(transaction=True)
def test_many_users_are_asked_for_in_several_queries(
    live_source, run_import, map_user, monkeypatch
):
    # Each query's `next` links repeat its users in the URL: few users a query keep it short.
    monkeypatch.setattr("imports.sources.huddle.USERS_PER_QUERY", 2)
    admin = AdminFactory(username="exporter")
    sources = [UserFactory(username=f"src{n}") for n in range(3)]
    for source in sources:
        make_settings(live_source, source, range(1, 3))
        map_user("huddle", source.pk, UserFactory())
    ids = ",".join(str(u.pk) for u in [*sources, sources[0]])  # a repeated id is asked once

    result = run_import(
        "huddle", "--url", live_source.url, "--api-key", live_source.key(admin), "--users", ids
    )

    assert result.exit_code == 0, result.lines
    assert result.counts() == {**NO_CHANGES, "created": 6}
    assert [line.split("/presence ")[1].split(" —")[0] for line in result.lines[:-1]] == [
        "(2 users) page 1: 4 records",
        "(1 user) page 1: 2 records",
    ]


@pytest.mark.django_db(transaction=True)
def test_a_query_the_source_refuses_stops_the_import_with_its_answer(live_source, run_import):
    admin = AdminFactory(username="exporter")

    result = run_import(
        "huddle", "--url", live_source.url, "--api-key", live_source.key(admin), "--team", "999999"
    )

    assert result.exit_code == 1
    assert "/presence/teams/999999?pageSize=500 answered 404" in result.lines[-1]
    assert "TeamNotFound" in result.lines[-1]
