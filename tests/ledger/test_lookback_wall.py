"""The look-back query reads wall-clock times exactly as `ledger.intervals.wall_clock`
does: every quarter hour of clock-change days in zones that shift by one hour, half an
hour (Lord Howe) or at midnight (Santiago), ambiguous and skipped times included."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from ledger.compliance.engine import ONE_DAY
from ledger.intervals import wall_clock
from ledger.lookback import WALL

CHANGES = {
    "Europe/Berlin": [date(2026, 3, 29), date(2026, 10, 25)],
    "America/New_York": [date(2026, 3, 8), date(2026, 11, 1)],
    "Australia/Lord_Howe": [date(2026, 4, 5), date(2026, 10, 4)],
    "America/Santiago": [date(2026, 4, 4), date(2026, 4, 5), date(2026, 9, 6)],
}


@pytest.mark.django_db
def test_wall_clock_times_read_by_postgresql_equal_python():
    if connection.vendor != "postgresql":
        pytest.skip("the look-back query runs on PostgreSQL")
    zones, locals_ = [], []
    for zone, days in CHANGES.items():
        for day in days:
            for quarter in range(4 * 24 + 1):
                zones.append(zone)
                locals_.append(datetime.combine(day, time(0)) + timedelta(minutes=15 * quarter))
    sql = (
        f"SELECT {WALL.format(l='v.l')} FROM unnest(%s::text[], %s::timestamp[]) "  # noqa: S608
        "WITH ORDINALITY AS v(tz, l, n) CROSS JOIN LATERAL (SELECT v.tz) AS z(tz) ORDER BY v.n"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [zones, locals_])
        read = [row[0] for row in cursor.fetchall()]
    expected = [
        wall_clock(value.date(), value.time(), ZoneInfo(zone))
        for zone, value in zip(zones, locals_, strict=True)
    ]
    mismatches = [
        (zone, value, got, want)
        for zone, value, got, want in zip(zones, locals_, read, expected, strict=True)
        if got != want
    ]
    assert not mismatches


@pytest.mark.django_db
def test_a_zone_the_database_does_not_know_is_read_in_python(monkeypatch):
    # PostgreSQL's tz data may lack a zone Python has (a newer IANA release on one side):
    # the query would fail with an error, so such users' look-back is read record by record.
    from accounts.models import User
    from ledger import lookback

    if connection.vendor != "postgresql":
        pytest.skip("the look-back query runs on PostgreSQL")
    user = User.objects.create(username="zoned", timezone="Europe/Berlin")
    now = datetime(2026, 6, 1, 12, tzinfo=ZoneInfo("UTC"))
    known = lookback.database_zones()
    args = {"users": [user], "first": date(2026, 1, 5), "last": date(2026, 3, 1), "now": now}
    assert known
    assert lookback.lookback_totals(**args) is not None

    monkeypatch.setitem(
        lookback._ZONES, connection.settings_dict["NAME"], known - {"Europe/Berlin"}
    )
    assert lookback.lookback_totals(**args) is None


@pytest.mark.django_db
def test_look_back_totals_on_and_around_clock_changes_equal_python():
    # The look-back query reads most dates as local midnight plus the time and only
    # clock-change dates through WALL: both must give Python's minutes on the change days
    # and the days either side. A presence over the whole day ends an hour (or half an
    # hour) off if a change day were read as one without a change.
    from accounts.models import User
    from ledger.collect import collect
    from ledger.compliance.findings import day_total
    from ledger.lookback import lookback_totals
    from tests.factories import PresenceFactory, WorkingTimeFactory

    if connection.vendor != "postgresql":
        pytest.skip("the look-back query runs on PostgreSQL")
    changes = {day for days in CHANGES.values() for day in days}
    days = sorted({day + timedelta(days=n) for day in changes for n in (-1, 0, 1)})
    for zone in CHANGES:
        user = User.objects.create(username=zone.replace("/", "-").lower(), timezone=zone)
        for day in days:
            PresenceFactory(user=user, date=day, from_time=time(0, 15), to_time=time(23, 45))
            WorkingTimeFactory(
                user=user,
                working_date=day,
                daily_time_start=time(0),
                daily_time_end=time(4, 30),
                break1_start=time(4),
                break1_end=time(4, 15),
                daily_time_total="4.25",
            )
    people = list(User.objects.order_by("pk"))
    now = datetime(2027, 6, 1, tzinfo=ZoneInfo("UTC"))
    first, last = days[0], days[-1]
    computed = lookback_totals(users=people, first=first, last=last, now=now)
    tallied = collect(users=people, first=first, last=last, now=now, detail_from=last + ONE_DAY)
    assert computed is not None
    expected = {key: tuple(day_total(tally)) for key, tally in tallied.tallies.items()}
    assert {key: tuple(total) for key, total in computed.items()} == expected
    assert len(expected) == len(CHANGES) * len(days)
    assert len({total for total, _ in expected.values()}) > 1  # change days differ
