"""An export outside a transaction reads each batch's look-back on a second database
connection, ahead of time (`ledger.lookback.LookBackAhead`); its findings are the same as
those read in turn on the request's own connection."""

import csv
import io
from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.db import connection

from accounts.models import User
from ledger.compliance.findings import findings_by_day
from ledger.compliance.serializers import findings_cell
from ledger.lookback import lookback_totals
from presences.models import Presence
from tests.factories import AdminFactory, UserFactory

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

FIRST, LAST = date(2026, 3, 1), date(2026, 3, 31)
NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
START = date(2025, 9, 14)  # the 24-week look-back's first date (a day before its Monday)


def test_an_export_reads_the_look_back_ahead_on_a_second_connection(api_client):
    people = [UserFactory(username=f"p{n}", timezone="Europe/Berlin") for n in range(2)]
    # Ten hours every weekday for 28 weeks: the §3 average (24 weeks) is over 8 h a day.
    day = FIRST - timedelta(weeks=28)
    presences = []
    while day <= LAST:
        if day.weekday() < 5:
            presences += [
                Presence(user=person, date=day, from_time=time(7), to_time=time(17))
                for person in people
            ]
        day += timedelta(days=1)
    Presence.objects.bulk_create(presences)
    client = api_client(AdminFactory(), "timebridge")
    main_connection: list[tuple[str, object]] = []

    def log(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        main_connection.append((sql, params))
        return execute(sql, params, many, context)

    with time_machine.travel(NOW, tick=False):
        with connection.execute_wrapper(log):
            response = client.get("/api/timebridge/v1/days.csv", {"from": FIRST, "to": LAST})
            lines = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
        users = list(User.objects.filter(pk__in=[p.pk for p in people]).order_by("pk"))
        expected = findings_by_day(users=users, first=FIRST, last=LAST, now=NOW)
        look_back = lookback_totals(users=users, first=START, last=FIRST - timedelta(3), now=NOW)

    # The look-back was computed by PostgreSQL (not tallied from records on this connection)
    # and on the other connection: this one neither ran its query nor read its dates.
    assert look_back
    assert not any("range_agg" in sql for sql, _ in main_connection)
    assert not any(START in (params or ()) for _, params in main_connection)
    assert len(lines) == 2 * 22
    assert all("ARBZG_3_AVERAGE" in line["violations"] for line in lines)
    for line in lines:
        key = (int(line["user_id"]), date.fromisoformat(line["date"]))
        assert line["violations"] == findings_cell(expected.get(key, []))
