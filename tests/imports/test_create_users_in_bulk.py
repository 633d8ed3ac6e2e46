"""--create-users: the members a batch needs are created together, in a fixed number of
queries, by the rules of one lookup per user in the batch's order."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from imports.models import ExternalUser
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def presences_of_new_users(users: int, first_id: int, records: int = 50) -> list[dict]:
    """`records` MOCO presences of `users` users that match nobody, each on its own day."""
    return [
        {
            "id": first_id + n,
            "date": str(dt.date(2024, 1, 1) + dt.timedelta(days=n)),
            "from": "08:00",
            "to": "12:00",
            "is_home_office": False,
            "user": {
                "id": first_id + n % users,
                "firstname": f"New{first_id + n % users}",
                "lastname": "Member",
            },
        }
        for n in range(records)
    ]


def queries_to_import(run_import, write_json, records: list[dict]) -> int:  # type: ignore[no-untyped-def]
    path = write_json(f"presences-{records[0]['id']}.json", records)
    with CaptureQueriesContext(connection) as queries:
        result = run_import("moco", path, "--create-users")
    assert result.exit_code == 0, result.lines
    return len(queries)


# PostgreSQL only: SQLite caps the variables of one statement, so Django splits a bulk
# INSERT of many wide rows into several (the production database takes one).
@pytest.mark.postgres_only
def test_the_queries_do_not_grow_with_the_number_of_new_users(run_import, write_json):
    """The same number of records (some checks ask once per record), 5 or 50 new users;
    after a first import, which reads the table layouts that bulk inserts keep."""
    queries_to_import(run_import, write_json, presences_of_new_users(1, 1, records=1))
    few = queries_to_import(run_import, write_json, presences_of_new_users(5, 1000))
    many = queries_to_import(run_import, write_json, presences_of_new_users(50, 2000))

    assert many == few
    created = User.objects.filter(last_name="Member")
    assert created.count() == 56
    assert ExternalUser.objects.filter(source="moco", user__in=created).count() == 56
    member = created.get(first_name="New2049")
    assert member.username == "new2049.member"
    assert member.role == User.Role.MEMBER
    assert not member.has_usable_password()
    assert member.history.filter(history_type="+").count() == 1


def test_a_later_user_of_the_batch_matches_a_member_created_for_an_earlier_one(
    run_import, write_json
):
    UserFactory(username="ann.lee", first_name="Someone", last_name="Else", is_active=False)
    records = presences_of_new_users(2, 10, records=2)
    for record in records:
        record["user"] = {**record["user"], "firstname": "Ann", "lastname": "Lee"}

    result = run_import("moco", write_json("p.json", records), "--create-users")

    assert result.exit_code == 0, result.lines
    ann = User.objects.get(first_name="Ann", last_name="Lee")
    assert ann.username == "ann.lee2"  # ann.lee is taken (by an inactive user)
    mapped = ExternalUser.objects.filter(source="moco", external_id__in=["10", "11"])
    assert {m.user for m in mapped} == {ann}
