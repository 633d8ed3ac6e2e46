"""Property: the look-back tallies (net minutes without day rows) equal the ledger's own
`work_minutes`, and findings computed from tallies equal findings computed from full day
records, whatever the four real APIs stored (DST days, midnights, overlaps, breaks).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.db import transaction
from hypothesis import HealthCheck, given, settings

from accounts.models import User
from ledger.collect import collect
from ledger.compliance.engine import context_start
from ledger.compliance.findings import (
    _work_day,
    day_total,
    findings_from_records,
    records_window,
)
from ledger.compliance.ruleset import build_rule_set
from ledger.days import build_row
from tests.ledger.test_days_property import FIRST, LAST, cast, operations, write

__all__ = ["cast"]  # the fixture, shared with the brute-force property

# A short average with a low limit, so that random data gives §3 findings whose weeks reach
# back over the clock changes into the tallied days.
RULES = build_rule_set(thresholds={"average_weeks": 3, "average_max_minutes": 30})
# Ranges whose look-back holds the random records' DST days (both zones) and midnights.
DAY = timedelta(days=1)
RANGES = [(date(2026, 3, 30), date(2026, 4, 1)), (date(2026, 11, 2), date(2026, 11, 4))]


@pytest.mark.django_db
@settings(
    max_examples=20,
    deadline=None,
    database=None,  # no example store written into the working tree
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=operations)
def test_tallies_and_their_findings_equal_the_full_records(cast, ops):
    users, clients, _ = cast
    now = datetime(2027, 1, 1, tzinfo=UTC)
    with time_machine.travel(now, tick=False), transaction.atomic():
        for op in ops:
            write(op, users, clients)
        people = list(User.objects.filter(pk__in=[u.pk for u in users]).order_by("pk"))
        full = collect(users=people, first=FIRST, last=LAST, now=now)
        lean = collect(users=people, first=FIRST, last=LAST, now=now, detail_from=LAST + DAY)
        judged = []
        for first, last in RANGES:
            lo, hi = records_window(first, last, RULES)
            whole = collect(users=people, first=lo, last=hi, now=now)
            split = collect(
                users=people, first=lo, last=hi, now=now, detail_from=context_start(first)
            )
            judged.append(
                tuple(
                    findings_from_records(
                        users=people, records=records, first=first, last=last, rule_set=RULES
                    )
                    for records in (whole, split)
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
    for whole, split in judged:
        assert split == whole, ops
