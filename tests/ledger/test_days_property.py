"""Property: whatever the four real APIs stored, `work_minutes` (and each source's figure)
equals a brute-force count of covered minutes computed independently from the records.

Random writes for two users in zones with clock changes, around the DST days and across
midnights; the ledger merges intervals, the oracle counts minutes in Python sets.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clock.models import TimeEntry, TimeEntryBreak
from presences.models import Presence
from tests.factories import UserFactory
from tests.ledger.conftest import DAYS
from workingtimes.models import BREAK_SLOTS, WorkingTime, break_fields

ZONES = ["Europe/Berlin", "America/New_York"]
# Both zones' spring and autumn switches, and the days around them.
BASE_DAYS = [date(2026, 3, 8), date(2026, 3, 29), date(2026, 10, 25), date(2026, 11, 1)]
FIRST, LAST = date(2026, 3, 6), date(2026, 11, 3)


def local(day: date, minute: int, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(minute // 60, minute % 60), tzinfo=zone)


def hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


day_offset = st.integers(min_value=-1, max_value=1)
quarter = st.integers(min_value=0, max_value=95).map(lambda n: n * 15)
minutes = st.integers(min_value=1, max_value=1439)

presence_op = st.tuples(
    st.just("moco"), st.integers(0, 1), st.sampled_from(BASE_DAYS), day_offset, quarter, minutes
)
mctime_op = st.tuples(
    st.just("mctime"),
    st.integers(0, 1),
    st.sampled_from(BASE_DAYS),
    day_offset,
    quarter,
    st.integers(min_value=15, max_value=14 * 60),  # may run past midnight
    st.one_of(st.none(), st.tuples(st.integers(0, 600), st.integers(5, 90))),
)
prosonata_op = st.tuples(
    st.just("prosonata"),
    st.integers(0, 1),
    st.sampled_from(BASE_DAYS),
    day_offset,
    quarter,
    minutes,
    st.one_of(st.none(), st.tuples(st.integers(0, 600), st.integers(5, 90))),
)
huddle_op = st.tuples(
    st.just("huddle"), st.integers(0, 1), st.sampled_from(BASE_DAYS), day_offset, quarter
)
operations = st.lists(
    st.one_of(presence_op, mctime_op, prosonata_op, huddle_op), min_size=1, max_size=10
)


def write(op, users, clients) -> None:  # type: ignore[no-untyped-def]
    kind, who, base, offset, start = op[:5]
    user, zone = users[who], users[who].zone
    day = base + timedelta(days=offset)
    if kind == "moco":
        end = min(start + op[5], 1439)
        body = {"date": day.isoformat(), "from": hhmm(start), "to": hhmm(end)}
        response = clients[who]["moco"].post("/api/v1/users/presences", body, format="json")
    elif kind == "mctime":
        begin = local(day, start, zone).astimezone(UTC)
        finish = begin + timedelta(minutes=op[5])
        entry = {"from": begin.isoformat(), "to": finish.isoformat(), "timeType": "work"}
        if op[6] is not None:
            pause = begin + timedelta(minutes=min(op[6][0], op[5] - 1))
            pause_end = min(pause + timedelta(minutes=op[6][1]), finish)
            entry["breaks"] = [{"from": pause.isoformat(), "to": pause_end.isoformat()}]
        response = clients[who]["mctime"].post(
            "/api/v2/auth/times", {"times": [entry]}, format="json"
        )
    elif kind == "prosonata":
        end = min(start + op[5], 1439)
        body = {
            "userID": user.pk,
            "workingDate": day.isoformat(),
            "dailyTimeStart": hhmm(start),
            "dailyTimeEnd": hhmm(end),
        }
        paused = timedelta()
        if op[6] is not None:
            b_start = min(start + op[6][0], end - 1)
            b_end = min(b_start + op[6][1], end)
            body.update({"break1Start": hhmm(b_start), "break1End": hhmm(b_end)})
            paused = local(day, b_end, zone).astimezone(UTC) - local(day, b_start, zone).astimezone(
                UTC
            )
        worked = (
            local(day, end, zone).astimezone(UTC) - local(day, start, zone).astimezone(UTC) - paused
        )
        body["dailyTimeTotal"] = str(
            (Decimal(worked.total_seconds()) / 3600).quantize(Decimal("0.01"), ROUND_HALF_UP)
        )
        response = clients[who]["prosonata"].post("/api/v1/workingtimes", body, format="json")
    else:
        begin = local(day, start, zone).astimezone(UTC)
        body = {
            "isActive": True,
            "startDate": begin.isoformat(),
            "endDate": (begin + timedelta(hours=5)).isoformat(),
        }
        response = clients[who]["huddle"].post("/presence/create", body, format="json")
    assert response.status_code < 500, (op, response.content)


def brute_force(users) -> dict[tuple[int, str], tuple[int, dict[str, int]]]:  # type: ignore[no-untyped-def]
    """Per (user, date): covered minutes of work minus break minutes, overall and per source."""
    work: dict = defaultdict(lambda: defaultdict(set))
    pause: dict = defaultdict(lambda: defaultdict(set))

    def cover(target, key, source, start: datetime, end: datetime) -> None:  # type: ignore[no-untyped-def]
        first = int(start.timestamp()) // 60
        last = int(end.timestamp()) // 60
        target[key][source].update(range(first, last))

    zones = {u.pk: u.zone for u in users}
    for p in Presence.objects.filter(to_time__isnull=False):
        zone = zones[p.user_id]
        key = (p.user_id, p.date.isoformat())
        cover(
            work,
            key,
            "moco",
            datetime.combine(p.date, p.from_time, zone),
            datetime.combine(p.date, p.to_time, zone),
        )
    for e in TimeEntry.objects.filter(is_valid=True, category="productive"):
        key = (e.user_id, e.starts_at.astimezone(zones[e.user_id]).date().isoformat())
        cover(work, key, "mctime", e.starts_at, e.ends_at)
    for b in TimeEntryBreak.objects.filter(entry__is_valid=True, entry__category="productive"):
        user_id = b.entry.user_id
        key = (user_id, b.entry.starts_at.astimezone(zones[user_id]).date().isoformat())
        cover(pause, key, "mctime", b.starts_at, b.ends_at)
    for w in WorkingTime.objects.filter(day_type=0):
        zone = zones[w.user_id]
        key = (w.user_id, w.working_date.isoformat())
        combine = lambda t: datetime.combine(w.working_date, t, zone)  # noqa: E731, B023
        cover(work, key, "prosonata", combine(w.daily_time_start), combine(w.daily_time_end))
        for slot in BREAK_SLOTS:
            s, e = (getattr(w, f) for f in break_fields(slot))
            if s is not None:
                cover(pause, key, "prosonata", combine(s), combine(e))
    result = {}
    for key in set(work) | set(pause):
        all_work = set().union(*work[key].values()) if work[key] else set()
        all_breaks = set().union(*pause[key].values()) if pause[key] else set()
        per_source = {
            source: len(covered - pause[key].get(source, set()))
            for source, covered in work[key].items()
        }
        result[key] = (len(all_work - all_breaks), per_source)
    return result


@pytest.fixture
def cast(db, api_client, admin, settings):  # type: ignore[no-untyped-def]
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, "1000000/60")
    users = [UserFactory(timezone=zone) for zone in ZONES]
    clients = [
        {d: api_client(u, d) for d in ("moco", "mctime", "prosonata", "huddle")} for u in users
    ]
    return users, clients, api_client(admin, "timebridge")


@pytest.mark.django_db
@settings(
    max_examples=30,
    deadline=None,
    database=None,  # no example store written into the working tree
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=operations)
def test_work_minutes_equal_brute_force_minute_count(cast, ops):
    users, clients, reader = cast
    query = {"from": FIRST.isoformat(), "to": LAST.isoformat(), "page_size": 1000}
    # Each example starts from no records: its writes are rolled back at the end.
    with time_machine.travel(datetime(2027, 1, 1, tzinfo=UTC), tick=False), transaction.atomic():
        for op in ops:
            write(op, users, clients)
        expected = brute_force(users)
        rows = []
        for user in users:
            response = reader.get(DAYS, {**query, "user": user.pk})
            assert response.status_code == 200
            rows.extend(response.json()["results"])
        transaction.set_rollback(True)

    got = {(r["user"]["id"], r["date"]): (r["work_minutes"], r["sources"]) for r in rows}
    for key, expectation in expected.items():
        assert got.get(key) == expectation, (key, ops)
    for key, (minutes_, _) in got.items():
        assert minutes_ == expected.get(key, (0, {}))[0], (key, ops)
