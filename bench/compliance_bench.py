"""Cost of ArbZG findings on the ledger: a month read with and without the §3 average.

    python bench/compliance_bench.py [--users N]

Fills a fresh PostgreSQL database with N users (default 1,000) x 7 months of MOCO
presences (two a weekday, some days long enough for findings), then times, best of three:
one `/days` page of 100 rows, the whole month as CSV lines, and the month's `/violations`,
each once with all rules and once with `ARBZG_3_AVERAGE` switched off (which shrinks the
look-back from 24 weeks to two days). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from common import setup_django

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BENCH_DB = "tb_compliance_bench"
MONTH = (date(2026, 6, 1), date(2026, 6, 30))


def fill(users: int) -> int:
    from datetime import time as clock

    from accounts.models import User
    from presences.models import Presence

    created = User.objects.bulk_create(
        User(username=f"bench{n}", first_name="Bench", last_name=str(n)) for n in range(users)
    )
    start, rows = date(2025, 12, 1), []
    for user in created:
        for offset in range((MONTH[1] - start).days + 1):
            day = start + timedelta(days=offset)
            if day.weekday() >= 5:
                continue
            long_day = (offset + user.pk) % 7 == 0  # 11 h without a qualifying break
            rows.append(Presence(user=user, date=day, from_time=clock(7), to_time=clock(12)))
            rows.append(
                Presence(
                    user=user,
                    date=day,
                    from_time=clock(12, 10 if long_day else 30),
                    to_time=clock(18 if long_day else 16),
                )
            )
    Presence.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def best(run) -> float:  # type: ignore[no-untyped-def]
    timings = []
    for _ in range(3):
        began = time.perf_counter()
        run()
        timings.append(time.perf_counter() - began)
    return min(timings)


def measure() -> dict[str, float]:
    from accounts.models import User
    from ledger.compliance.selectors import FindingFilter, violations_list
    from ledger.exports import csv_lines
    from ledger.selectors import days_count_and_page, iter_days

    users = User.objects.all()
    first, last = MONTH
    return {
        "days page (100 rows)": best(
            lambda: days_count_and_page(
                users=users, first=first, last=last, include_empty=False, offset=0, limit=100
            )
        ),
        "month CSV": best(
            lambda: sum(
                1
                for _ in csv_lines(
                    iter_days(users=users, first=first, last=last, include_empty=False)
                )
            )
        ),
        "month /violations": best(
            lambda: violations_list(users=users, first=first, last=last, keep=FindingFilter())
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=1000)
    args = parser.parse_args()
    setup_django(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/x"), BENCH_DB)
    from django.conf import settings

    rows = fill(args.users)
    print(f"{args.users} users, {rows} presences (7 months)")
    with_average = measure()
    settings.COMPLIANCE_RULES = [
        "ARBZG_3_DAILY_MAX", "ARBZG_4_BREAK", "ARBZG_4_STRETCH", "ARBZG_5_REST",
        "ARBZG_9_SUNDAY", "ARBZG_9_HOLIDAY", "ARBZG_16_OVER_8H",
    ]  # fmt: skip
    without_average = measure()
    for name, seconds in with_average.items():
        other = without_average[name]
        print(f"{name:24} all rules {seconds:7.2f} s   without the average {other:7.2f} s")


if __name__ == "__main__":
    main()
