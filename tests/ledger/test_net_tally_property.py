"""Property: the look-back's day totals, tallied in Python from integers and computed by
PostgreSQL (`ledger.lookback`), equal the ledger's own `work_minutes` and full-day
absence, and findings computed from them equal findings computed from full day records,
whatever the four real APIs stored (DST days, midnights, night shifts, overlaps, breaks)
plus full-day and partial absences of every source.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User
from clock.models import TimeEntry
from ledger.collect import collect
from ledger.compliance.engine import context_start
from ledger.compliance.findings import (
    _work_day,
    day_total,
    findings_from_records,
    read_for_findings,
    records_window,
)
from ledger.compliance.ruleset import build_rule_set
from ledger.compliance.types import DayTotal
from ledger.days import build_row
from ledger.lookback import lookback_totals
from tests.factories import OutOfOfficeFactory, TimeEntryFactory, WorkingTimeFactory
from tests.ledger.test_days_property import (
    BASE_DAYS,
    FIRST,
    LAST,
    cast,
    day_offset,
    local,
    operations,
    quarter,
    write,
)
from workingtimes.models import DayType, WorkingTime

__all__ = ["cast"]  # the fixture, shared with the brute-force property

# A short average with a low limit, so that random data gives §3 findings whose weeks reach
# back over the clock changes into the tallied days.
RULES = build_rule_set(thresholds={"average_weeks": 3, "average_max_minutes": 30})
# Ranges whose look-back holds the random records' DST days (both zones) and midnights.
DAY = timedelta(days=1)
RANGES = [(date(2026, 3, 30), date(2026, 4, 1)), (date(2026, 11, 2), date(2026, 11, 4))]

# Absences the API writes above do not cover: a McTime absence entry (hours, may span
# days), a ProSonata absence day (half or whole) and an out-of-office of whole days.
absence_op = st.tuples(
    st.sampled_from(["mctime_absence", "prosonata_absence", "huddle_days"]),
    st.integers(0, 1),
    st.sampled_from(BASE_DAYS),
    day_offset,
    quarter,
    st.integers(min_value=1, max_value=60),  # hours
    st.booleans(),
)
mixed_operations = st.lists(
    st.one_of(operations, st.lists(absence_op, max_size=3)), max_size=3
).map(lambda groups: [op for group in groups for op in group])


def write_absence(op, users) -> None:  # type: ignore[no-untyped-def]
    kind, who, base, offset, start, hours, flag = op
    user, day = users[who], base + timedelta(days=offset)
    begin = local(day, start, user.zone).astimezone(UTC)
    if kind == "mctime_absence":
        finish = begin + timedelta(hours=hours)
        if TimeEntry.objects.filter(user=user, starts_at__lt=finish, ends_at__gt=begin).exists():
            return  # McTime entries of a person never overlap
        TimeEntryFactory(
            user=user,
            starts_at=begin,
            ends_at=finish,
            time_type="company_vacation",
        )
    elif kind == "prosonata_absence":
        if not WorkingTime.objects.filter(user=user, working_date=day).exists():
            WorkingTimeFactory(
                user=user,
                working_date=day,
                day_type=DayType.VACATION,
                half_holiday=flag,
                daily_time_start=time(0),
                daily_time_end=time(0),
                break1_start=None,
                break1_end=None,
                daily_time_total=0,
            )
    else:
        # From a local midnight (or an open start) over whole days.
        midnight = local(day, 0, user.zone)
        end = midnight + timedelta(days=1 + hours // 24)
        OutOfOfficeFactory(user=user, start_date=None if flag else midnight, end_date=end)


@pytest.mark.django_db
@settings(
    max_examples=20,
    deadline=None,
    database=None,  # no example store written into the working tree
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=mixed_operations)
def test_tallies_and_their_findings_equal_the_full_records(cast, ops):
    users, clients, _ = cast
    now = datetime(2027, 1, 1, tzinfo=UTC)
    with time_machine.travel(now, tick=False), transaction.atomic():
        for op in ops:
            if op[0] in ("mctime_absence", "prosonata_absence", "huddle_days"):
                write_absence(op, users)
            else:
                write(op, users, clients)
        people = list(User.objects.filter(pk__in=[u.pk for u in users]).order_by("pk"))
        full = collect(users=people, first=FIRST, last=LAST, now=now)
        lean = collect(users=people, first=FIRST, last=LAST, now=now, detail_from=LAST + DAY)
        computed = lookback_totals(users=people, first=FIRST, last=LAST, now=now)
        judged = []
        for first, last in RANGES:
            lo, hi = records_window(first, last, RULES)
            whole = collect(users=people, first=lo, last=hi, now=now)
            split = collect(
                users=people, first=lo, last=hi, now=now, detail_from=context_start(first)
            )
            read = read_for_findings(users=people, first=first, last=last, now=now, rule_set=RULES)
            judged.append(
                tuple(
                    findings_from_records(
                        users=people, records=records, first=first, last=last, rule_set=RULES
                    )
                    for records in (whole, split, read)
                )
            )
        transaction.set_rollback(True)

    by_id = {person.pk: person for person in people}
    assert set(lean.tallies) == set(full), ops
    assert not lean  # every date lies before detail_from: nothing in full detail
    for (user_id, day), records in full.items():
        user = by_id[user_id]
        expected = (
            build_row(user, day, records).work_minutes,
            _work_day(day, user.zone.key, records).full_day_absence,
        )
        assert tuple(day_total(lean.tallies[(user_id, day)])) == expected, (day, ops)
        if computed is not None:  # PostgreSQL: a date it leaves out has nothing to count
            assert tuple(computed.get((user_id, day), DayTotal(0))) == expected, (day, ops)
    if computed is not None:
        assert set(computed) <= set(full), ops
    for whole, split, read in judged:
        assert split == whole, ops
        assert read == whole, ops
