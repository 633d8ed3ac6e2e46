"""Import benchmark: 100,000 MOCO presences and 100,000 ProSonata working times.

    make bench                      # or: python bench/import_bench.py [--rows N]

Generates export files in each source's list shape (pages of 1,000 records), imports them
into a fresh PostgreSQL database with `manage.py import_data --create-users` (100 users,
created by the import), and prints rows per second: each run into emptied tables, `--repeat`
runs per source, the best counting. Beside each import it times the import's floor (the
same pages parsed, validated and written through the import's writing path with nothing
else, bench/import_floor.py) and a bare binary COPY of the same rows into the same tables
(bench/copy_floor.py), the database's floor; the goal is an import at least half as fast as
the bare COPY. Not part of the test suite (timings are not
assertions).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from io import StringIO
from pathlib import Path

from common import setup_django

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BENCH_DB = "timebridge_bench"
PAGE = 1000
USERS = 100
GOAL = 0.5  # import rate over the bare COPY's (issue 18)


def days(n: int) -> list[date]:
    start = date(2015, 1, 5)
    return [start + timedelta(days=i) for i in range(n)]


def presence_pages(rows: int, folder: Path) -> None:
    """Two presences a day per user (08:00-12:00, 12:30-17:00)."""
    per_user_days = -(-rows // (USERS * 2))
    records, pid = [], 0
    for user in range(1, USERS + 1):
        for day in days(per_user_days):
            for start, end in (("08:00", "12:00"), ("12:30", "17:00")):
                pid += 1
                records.append(
                    {
                        "id": pid,
                        "date": day.isoformat(),
                        "from": start,
                        "to": end,
                        # One flag per user and day: MOCO keeps one home-office flag per day.
                        "is_home_office": (day.toordinal() + user) % 5 == 0,
                        "user": {"id": 9000 + user, "firstname": "User", "lastname": f"N{user}"},
                        "created_at": "2018-10-17T09:33:46Z",
                        "updated_at": "2018-10-17T09:33:46Z",
                    }
                )
    write_pages(records[:rows], folder, lambda page: page)


def working_time_pages(rows: int, folder: Path) -> None:
    per_user_days = -(-rows // USERS)
    records, wid = [], 0
    for user in range(1, USERS + 1):
        for day in days(per_user_days):
            wid += 1
            records.append(
                {
                    "workingTimeID": wid,
                    "userID": 7000 + user,
                    "username": f"bench{user}",
                    "userFirstName": "User",
                    "userLastName": f"N{user}",
                    "workingDate": day.isoformat(),
                    "dailyTimeStart": "08:18:00",
                    "dailyTimeEnd": "16:48:00",
                    "dayType": 0,
                    "halfHoliday": 0,
                    "homeOffice": int(wid % 4 == 0),
                    "break1Start": "12:06:00",
                    "break1End": "12:51:00",
                    "dailyTimeTotal": 7.75,
                    "comments": "",
                }
            )
    write_pages(
        records[:rows],
        folder,
        lambda page: {"meta": {"status": 200, "totalCount": rows}, "data": page},
    )


def write_pages(records: list, folder: Path, shape) -> None:  # type: ignore[no-untyped-def]
    folder.mkdir(parents=True)
    for n in range(0, len(records), PAGE):
        page = records[n : n + PAGE]
        (folder / f"page-{n // PAGE:05d}.json").write_text(json.dumps(shape(page)))


# Emptied before each run, so that every run imports into the same (empty) state.
TABLES = {
    "moco": "presences_presence, presences_historicalpresence",
    "prosonata": "workingtimes_workingtime, workingtimes_historicalworkingtime",
}


def run_import(source: str, folder: Path, rows: int) -> float:
    from django.core.management import call_command
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"TRUNCATE {TABLES[source]}, imports_importedrecord, imports_externaluser, "
            "accounts_user CASCADE"
        )
        cursor.execute("CHECKPOINT")  # a run does not pay for the previous run's writes
    out = StringIO()
    started = time.perf_counter()
    call_command("import_data", source, str(folder), "--create-users", stdout=out)
    elapsed = time.perf_counter() - started
    summary = out.getvalue().strip().splitlines()[-1]
    rate = rows / elapsed
    print(f"{source:10s} {rows:>7,} rows in {elapsed:6.2f} s = {rate:>8,.0f} rows/s   [{summary}]")
    return rate


def run_copy(source: str) -> float:
    from copy_floor import bare_copy

    rows, elapsed = bare_copy(source)
    rate = rows / elapsed
    print(f"{source:10s} {rows:>7,} rows in {elapsed:6.2f} s = {rate:>8,.0f} rows/s   [bare COPY]")
    return rate


def run_floor(source: str, folder: Path) -> float:
    from import_floor import import_floor

    rows, elapsed = import_floor(source, folder)
    rate = rows / elapsed
    print(f"{source:10s} {rows:>7,} rows in {elapsed:6.2f} s = {rate:>8,.0f} rows/s   [floor]")
    return rate


def reference_loop() -> float:
    """Seconds for ten million additions in pure Python: how fast this machine runs Python,
    to compare figures between machines (a 2020s laptop: about 0.4 s)."""
    started = time.process_time()
    total = 0
    for i in range(10_000_000):
        total += i
    return time.process_time() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs per source; the best counts (noisy hosts)"
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/timebridge"),
    )
    args = parser.parse_args()
    setup_django(args.database_url, BENCH_DB)
    with tempfile.TemporaryDirectory() as tmp:
        presence_pages(args.rows, Path(tmp) / "moco")
        working_time_pages(args.rows, Path(tmp) / "prosonata")
        best, floor, copy = {}, {}, {}
        for source in ("moco", "prosonata"):
            folder = Path(tmp) / source
            best[source] = max(run_import(source, folder, args.rows) for _ in range(args.repeat))
            # Both floors read what the last import left: its users, its rows.
            floor[source] = max(run_floor(source, folder) for _ in range(args.repeat))
            copy[source] = max(run_copy(source) for _ in range(args.repeat))
    for source, rate in best.items():
        ratio = rate / copy[source]
        print(
            f"{source:10s} import {rate:>8,.0f} rows/s, floor {floor[source]:>8,.0f}, bare COPY "
            f"{copy[source]:>8,.0f}: import/COPY {ratio:.2f} (goal 0.50: "
            f"{'met' if ratio >= GOAL else 'NOT MET'}), floor/COPY "
            f"{floor[source] / copy[source]:.2f}, import/floor {rate / floor[source]:.2f}"
        )
    print(f"this machine: 10M Python additions in {reference_loop():.2f} s")


if __name__ == "__main__":
    main()
