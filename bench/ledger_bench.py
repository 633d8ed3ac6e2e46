"""Ledger benchmark: a month for 1,000 users with records in all four sources.

    make bench-ledger               # or: python bench/ledger_bench.py [--users N]

Fills a fresh PostgreSQL database (`tb_ledger_bench` on the server of DATABASE_URL) with
March 2026 (it holds a clock change) for N users: on 20 work days one MOCO presence, one
McTime entry with a break and one ProSonata record each, plus one Huddle out-of-office per
user: about 60 source rows per user, 60,000 for 1,000 users (plus the McTime breaks). The
`--history-weeks` before March get the same three records every weekday, so that the ArbZG
§3 average (24 weeks) has a look-back to read. Then, through real HTTP requests of an
admin's API key, it measures:

- queries and time of one page of `/days` at page sizes 100 and 1000 (first and a middle
  page), with and without `include_empty`;
- the whole month's CSV (`days.csv`) and XLSX, streamed and read to the end, and a page of
  `/violations`; the month's CSV also with its peak of Python memory (tracemalloc);
- all of this with every ArbZG rule and again without `ARBZG_3_AVERAGE` (no look-back).

Prints figures; asserts nothing (not part of the test run). Best of `--repeat` runs.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from common import setup_django

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BENCH_DB = "tb_ledger_bench"
FIRST, LAST = date(2026, 3, 1), date(2026, 3, 31)
BERLIN = ZoneInfo("Europe/Berlin")


def work_days(history_weeks: int) -> list[date]:
    days, day = [], FIRST - timedelta(weeks=history_weeks)
    while day <= LAST:
        if day.weekday() < 5 and (day < FIRST or sum(d >= FIRST for d in days) < 20):
            days.append(day)
        day += timedelta(days=1)
    return days


def fill(users: int, history_weeks: int) -> int:
    from accounts.models import User

    User.objects.bulk_create(
        [
            User(
                username=f"u{n:05d}", first_name="User", last_name=f"{n}", timezone="Europe/Berlin"
            )
            for n in range(users)
        ],
        batch_size=2000,
    )
    people = list(User.objects.order_by("pk"))
    days, written = work_days(history_weeks), 0
    for chunk in range(0, len(people), 100):  # a hundred users at a time: bounded memory
        written += _fill_users(people[chunk : chunk + 100], chunk, days)
    return written


def _fill_users(people, first_index: int, days: list[date]) -> int:  # type: ignore[no-untyped-def]
    from datetime import time as clock

    from clock.models import TimeEntry, TimeEntryBreak
    from ooo.models import OutOfOffice
    from presences.models import Presence
    from workingtimes.models import WorkingTime

    presences, entries, breaks, records, absences = [], [], [], [], []
    for index, user in enumerate(people, start=first_index):
        shift = index % 4 * 15  # minutes: sources start at slightly different times
        for day in days:
            presences.append(
                Presence(user=user, date=day, from_time=clock(8, shift), to_time=clock(16, shift))
            )
            start = datetime.combine(day, clock(8), tzinfo=BERLIN)
            entry = TimeEntry(
                user=user,
                starts_at=start,
                ends_at=start + timedelta(hours=8, minutes=shift),
                time_type="work",
                category="productive",  # bulk_create skips save(), which derives it
                creation_type="times",
            )
            entries.append(entry)
            breaks.append(
                TimeEntryBreak(
                    entry=entry,
                    starts_at=start + timedelta(hours=4),
                    ends_at=start + timedelta(hours=4, minutes=30),
                )
            )
            records.append(
                WorkingTime(
                    user=user,
                    working_date=day,
                    daily_time_start=clock(8),
                    daily_time_end=clock(16, 30),
                    break1_start=clock(12),
                    break1_end=clock(12, 30),
                    daily_time_total=Decimal("8.00"),
                )
            )
        absences.append(
            OutOfOffice(
                user=user,
                is_active=True,
                start_date=datetime(2026, 3, 30, tzinfo=UTC),
                end_date=datetime(2026, 4, 3, tzinfo=UTC),
            )
        )
    for model_rows in (presences, entries, breaks, records, absences):
        type(model_rows[0]).objects.bulk_create(model_rows, batch_size=5000)
    return len(presences) + len(entries) + len(records) + len(absences)


def timed(repeat: int, action):  # type: ignore[no-untyped-def]
    """(best wall-clock seconds, best CPU seconds of this process, result): on a shared
    machine the CPU time shows the cost apart from waiting for a core."""
    best, best_cpu, result = float("inf"), float("inf"), None
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = action()
        best = min(best, time.perf_counter() - started)
        best_cpu = min(best_cpu, time.process_time() - started_cpu)
    return best, best_cpu, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--history-weeks", type=int, default=24)
    parser.add_argument(
        "--reuse", action="store_true", help="measure the database the last run filled"
    )
    args = parser.parse_args()
    base_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/x")
    # The Timebridge API's own rate limit would throttle the measured requests.
    os.environ["RATE_LIMIT_TIMEBRIDGE"] = "1000000/60"
    setup_django(base_url, BENCH_DB, fresh=not args.reuse)

    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from accounts.models import User
    from accounts.services import create_api_key
    from ledger.compliance.types import Rule

    if not args.reuse:
        started = time.perf_counter()
        rows = fill(args.users, args.history_weeks)
        print(
            f"filled {rows:,} source rows for {args.users:,} users in "
            f"{time.perf_counter() - started:.1f} s (plus McTime breaks)"
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    admin, _ = User.objects.get_or_create(username="bench-admin", defaults={"role": "admin"})
    client = Client(HTTP_AUTHORIZATION=f"Bearer {create_api_key(user=admin)[1]}")
    month = {"from": FIRST.isoformat(), "to": LAST.isoformat()}

    for include_empty in ("false", "true"):
        for size in (100, 1000):
            for page in (1, 5):
                params = {**month, "page_size": size, "page": page, "include_empty": include_empty}
                queries = []

                def count(execute, sql, params, many, context, log=queries):  # type: ignore[no-untyped-def]
                    log.append(sql)
                    return execute(sql, params, many, context)

                # Counted by a wrapper: the request's end closes the connection and with it
                # any query log.
                with connection.execute_wrapper(count):
                    response = client.get("/api/timebridge/v1/days", params)
                assert response.status_code == 200, response.content[:300]
                seconds, cpu, _ = timed(
                    args.repeat, lambda p=params: client.get("/api/timebridge/v1/days", p)
                )
                print(
                    f"/days include_empty={include_empty} page_size={size} page={page}: "
                    f"{len(queries)} queries, {seconds * 1000:.0f} ms "
                    f"({cpu * 1000:.0f} ms CPU in this process), "
                    f"count={response.json()['count']:,}"
                )

    measure_exports(client, month, args.repeat)
    settings.COMPLIANCE_RULES = [str(rule) for rule in Rule if rule != Rule.AVERAGE]
    print("without ARBZG_3_AVERAGE (no look-back):")
    measure_exports(client, month, args.repeat)
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


def measure_exports(client, month: dict[str, str], repeat: int) -> None:  # type: ignore[no-untyped-def]
    def export(extension: str):  # type: ignore[no-untyped-def]
        response = client.get(f"/api/timebridge/v1/days.{extension}", month)
        return sum(len(chunk) for chunk in response.streaming_content)

    for extension in ("csv", "xlsx"):
        for _ in range(2):  # twice: the machine is shared, figures vary
            seconds, cpu, size = timed(repeat, lambda e=extension: export(e))
            print(
                f"days.{extension}, whole month: {seconds:.2f} s ({cpu:.2f} s CPU in this "
                f"process), {size / 1e6:.1f} MB"
            )
    tracemalloc.start()
    export("csv")
    print(f"days.csv, peak Python memory: {tracemalloc.get_traced_memory()[1] / 1e6:.1f} MB")
    tracemalloc.stop()
    for _ in range(2):
        seconds, cpu, response = timed(
            repeat, lambda: client.get("/api/timebridge/v1/violations", month)
        )
        count = response.json()["count"]
        print(f"/violations page 1: {seconds:.2f} s ({cpu:.2f} s CPU), count={count:,}")


if __name__ == "__main__":
    main()
