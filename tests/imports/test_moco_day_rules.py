"""The MOCO importer applies MOCO's day rules (presences.rules), the API's own."""

from __future__ import annotations

import datetime as dt

import pytest

from presences.models import Presence
from tests.factories import PresenceFactory
from tests.imports.test_moco_import import day_of, john, presence  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def test_mixed_home_office_flags_on_one_day_fail_the_batch(john, run_import, write_json):  # noqa: F811
    export = [
        presence(1, "2018-07-03", "07:30", "12:00", is_home_office=True),
        presence(2, "2018-07-03", "12:30", "17:15", is_home_office=False),
        presence(3, "2018-07-04", "08:00", "12:00"),
    ]

    result = run_import("moco", write_json("presences.json", export))

    assert result.exit_code == 1
    failures = [line for line in result.lines if line.startswith("FAILED")]
    assert failures == [
        f"FAILED moco:2: is_home_office false, but 1 of user {john.pk} on 2018-07-03 says true; "
        "MOCO keeps one home-office flag per day"
    ]
    assert not Presence.objects.exists()


def test_a_flag_that_disagrees_with_the_days_existing_presences_fails(
    john,  # noqa: F811
    run_import,
    write_json,
):
    existing = PresenceFactory(
        user=john, date=dt.date(2018, 7, 3), from_time=dt.time(6), to_time=dt.time(7)
    )
    assert existing.is_home_office is False

    result = run_import(
        "moco",
        write_json("p.json", [presence(1, "2018-07-03", "07:30", "12:00", is_home_office=True)]),
    )

    assert result.exit_code == 1
    assert f"existing presence {existing.pk}" in next(
        line for line in result.lines if line.startswith("FAILED moco:1")
    )
    assert day_of(john) == [(dt.date(2018, 7, 3), dt.time(6), dt.time(7), False)]


def test_one_flag_per_day_imports(john, run_import, write_json):  # noqa: F811
    export = [
        presence(1, "2018-07-03", "07:30", "12:00", is_home_office=True),
        presence(2, "2018-07-03", "12:30", "17:15", is_home_office=True),
        presence(3, "2018-07-04", "08:00", "12:00", is_home_office=False),
    ]

    result = run_import("moco", write_json("presences.json", export))

    assert result.exit_code == 0, result.lines
    assert [flag for *_, flag in day_of(john)] == [True, True, False]


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [("12:30", "12:30", "to: must be later than from (12:30 is not after 12:30).")],
)
def test_end_rule_is_worded_as_the_api_words_it(john, run_import, write_json, start, end, message):  # noqa: F811
    result = run_import("moco", write_json("p.json", [presence(7, "2018-07-03", start, end)]))

    assert f"FAILED moco:7: {message}" in result.lines
