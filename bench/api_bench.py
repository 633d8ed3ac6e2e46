"""API benchmark: every hot write and list under the production server, beside PostgreSQL's own.

    make bench-api        # or: python bench/api_bench.py [--duration 10] [--connections 16]

Builds a fresh database on the PostgreSQL server of DATABASE_URL, creates users and API keys
through the services, starts gunicorn with `gunicorn.conf.py` (DEBUG off) on a loopback port,
seeds one user's lists through the API, then drives each endpoint with wrk for `--duration`
seconds at `--connections` connections. For reference it runs pgbench TPC-B (same client
count, same server) and `/healthz` for the same duration, once before and once after the
endpoints, and prints one table: req/s counting 2xx responses only, the ratio to the
reference (writes to pgbench tps, lists to /healthz req/s), p50/p99 latency and the
non-2xx/socket error count. Rate limits are raised for the run (the quota would otherwise
turn most requests into 429s). Not part of the test suite (timings are not assertions).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from loadgen import (
    AUTH,
    PGBENCH_DB,
    Endpoint,
    Result,
    healthz,
    mean,
    pgbench,
    pgbench_connection,
    print_table,
    run_wrk,
    tool,
)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BENCH_DB = "timebridge_bench_api"
WRITE_GOAL, LIST_GOAL = 0.20, 0.25
USERS_PER_WRITE = 64  # per write endpoint: 4 per connection at 16, each user's writes in order
SEED_RECORDS = 110  # the list user's records per API: a full page of 100 (McTime: 20)

WRITES = [
    Endpoint("MOCO touch", "moco", "POST", "/api/v1/users/presences/touch", "moco_touch"),
    Endpoint("MOCO create", "moco", "POST", "/api/v1/users/presences", "moco_create"),
    Endpoint("McTime start/stop", "mctime", "POST", "/api/v2/auth/clock", "mctime_clock"),
    Endpoint("ProSonata POST", "prosonata", "POST", "/api/v1/workingtimes", "prosonata_create"),
    Endpoint("Huddle create", "huddle", "POST", "/presence/create", "huddle_create"),
]
LISTS = [
    Endpoint("MOCO list (100)", "moco", "GET", "/api/v1/users/presences", "none"),
    Endpoint("ProSonata list (100)", "prosonata", "GET", "/api/v1/workingtimes", "none"),
    Endpoint(
        "McTime list (20, fixed)",
        "mctime",
        "GET",
        "/api/v2/auth/times?from=2010-01-01T00:00:00%2B00:00&to=2011-01-01T00:00:00%2B00:00",
        "none",
    ),
    Endpoint("Huddle list (100)", "huddle", "GET", "/presence/{uid}?pageSize=100", "none"),
]
# The floors (bench/floor.py): a touch's and a MOCO list page's SQL, sent literally from a
# plain Django view and from a MOCO API view, served by the same processes.
FLOOR_WRITES = [
    Endpoint("floor touch: Django+SQL", "moco", "POST", "/bench-floor/django/touch", "floor_touch"),
    Endpoint("floor touch: API+SQL", "moco", "POST", "/bench-floor/api/touch", "moco_touch"),
]
FLOOR_LISTS = [
    Endpoint(
        "floor list: Django+SQL", "moco", "GET", "/bench-floor/django/list?user={uid}", "none"
    ),
    Endpoint("floor list: API+SQL", "moco", "GET", "/bench-floor/api/list", "none"),
]


def prepare_database(
    server: str, database: str = BENCH_DB, *, with_pgbench: bool = True
) -> dict[str, list[str] | str]:
    """A fresh, migrated database with the bench's users; returns their keys."""
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        for name in (database, PGBENCH_DB) if with_pgbench else (database,):
            conn.execute(f"DROP DATABASE IF EXISTS {name}")
            conn.execute(f"CREATE DATABASE {name}")
    os.environ["DATABASE_URL"] = f"{server}/{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))  # refused default otherwise
    import django

    django.setup()
    from django.core.management import call_command

    from accounts.services import create_api_key, create_user

    call_command("migrate", verbosity=0)
    keys: dict[str, list[str] | str] = {}
    for index, endpoint in enumerate(WRITES + FLOOR_WRITES):
        keys[endpoint.name] = []
        for n in range(USERS_PER_WRITE):
            user = create_user(username=f"writer{index}-{n}", first_name="Bench", last_name=str(n))
            key = create_api_key(user=user, label="bench")[1]
            keys[endpoint.name].append(f"{key} {user.pk}")  # type: ignore[union-attr]
    lister = create_user(username="bench-lists", first_name="Bench", last_name="Lists")
    keys["lists"] = create_api_key(user=lister, label="bench")[1]
    keys["list_user_id"] = str(lister.pk)
    keys["list_keys"] = [f"{keys['lists']} {lister.pk}"]
    from django.db import connections

    connections.close_all()
    return keys


def start_server(server: str, port: int, log: Path, root: Path) -> subprocess.Popen:
    floors = {}
    if root.resolve() == ROOT:
        # This checkout's floor views in front of its URLs (bench/floor_settings.py).
        floors = {"DJANGO_SETTINGS_MODULE": "floor_settings", "PYTHONPATH": str(ROOT / "bench")}
    env = {
        **os.environ,
        **floors,
        "DATABASE_URL": f"{server}/{BENCH_DB}",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        **{f"RATE_LIMIT_{name.upper()}": "1000000000/900" for name in AUTH},
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(  # noqa: S603
        [str(gunicorn), "-c", "gunicorn.conf.py", "config.wsgi"],
        cwd=root,  # gunicorn puts its directory first on sys.path: that checkout's code runs
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise SystemExit(f"gunicorn did not come up; see {log}")


def call(base: str, method: str, path: str, dialect: str, key: str, body: str | None) -> None:
    header, value = AUTH[dialect]
    request = urllib.request.Request(  # noqa: S310
        base + path,
        data=body.encode() if body else None,
        method=method,
        headers={header: value % key, "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30):  # noqa: S310
            pass
    except urllib.error.HTTPError as exc:
        raise SystemExit(
            f"seeding: {method} {path} {body}: {exc.code} {exc.read()[:300]!r}"
        ) from exc


def seed_lists(base: str, key: str, uid: str) -> None:
    """The list user's records, written through the API (days from 2010 on)."""
    for n in range(SEED_RECORDS):
        day = time.strftime("%Y-%m-%d", time.gmtime(1262304000 + n * 86400))
        call(
            base,
            "POST",
            "/api/v1/users/presences",
            "moco",
            key,
            json.dumps({"date": day, "from": "08:00", "to": "09:00"}),
        )
        call(
            base,
            "POST",
            "/api/v1/workingtimes",
            "prosonata",
            key,
            json.dumps(
                {
                    "userID": int(uid),
                    "workingDate": day,
                    "dailyTimeStart": "08:00:00",
                    "dailyTimeEnd": "16:00:00",
                    "dailyTimeTotal": 8,
                }
            ),
        )
        call(
            base,
            "POST",
            "/presence/create",
            "huddle",
            key,
            json.dumps(
                {
                    "isActive": True,
                    "startDate": f"{day}T08:00:00+00:00",
                    "endDate": f"{day}T09:00:00+00:00",
                    "message": "seed",
                }
            ),
        )
        for action, hour in (("start", "08"), ("stop", "09")):
            call(
                base,
                "POST",
                "/api/v2/auth/clock",
                "mctime",
                key,
                json.dumps({"action": action, "dateTime": f"{day}T{hour}:00:00+00:00"}),
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--threads", type=int, default=2, help="pgbench threads (wrk: one per connection)"
    )
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--only", default="", help="run only endpoints whose name contains this")
    parser.add_argument(
        "--server-root",
        type=Path,
        default=ROOT,
        help="serve the code (and gunicorn.conf.py) of another checkout, e.g. a baseline",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="sample the server with py-spy during each endpoint (var/profile-*.txt, collapsed)",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/timebridge"),
    )
    args = parser.parse_args()
    server = args.database_url.rpartition("/")[0]
    keys = prepare_database(server)
    subprocess.run(  # noqa: S603
        [
            tool("pgbench"),
            "-i",
            "-q",
            "-s",
            str(args.connections),
            *pgbench_connection(server),
            PGBENCH_DB,
        ],
        capture_output=True,
        check=True,
    )
    (ROOT / "var").mkdir(exist_ok=True)
    log = ROOT / "var" / "bench-api-gunicorn.log"
    base = f"http://127.0.0.1:{args.port}"
    server_process = start_server(server, args.port, log, args.server_root)
    try:
        seed_lists(base, keys["lists"], keys["list_user_id"])  # type: ignore[arg-type]
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            first = (pgbench(server, args, folder), healthz(base, args, folder))
            measured = []
            floors = FLOOR_WRITES + FLOOR_LISTS if args.server_root.resolve() == ROOT else []
            for endpoint in WRITES + LISTS + floors:
                if args.only.lower() not in endpoint.name.lower():
                    continue
                endpoint_keys = keys[endpoint.name if endpoint.is_write else "list_keys"]
                measured.append(
                    (
                        endpoint,
                        run_wrk(
                            base,
                            endpoint,
                            endpoint_keys,
                            args,
                            folder,  # type: ignore[arg-type]
                            keys["list_user_id"],  # type: ignore[arg-type]
                            server_process.pid if args.profile else None,
                        ),
                    )
                )
            second = (pgbench(server, args, folder), healthz(base, args, folder))
    finally:
        server_process.terminate()
        server_process.wait(timeout=30)
    tpcb, health = mean(first[0], second[0]), mean(first[1], second[1])
    rows: list[tuple[Result, float | None, float | None, float | None]] = [
        (tpcb, None, None, None),
        (health, None, None, None),
    ]
    floor_rates = {e.name: r.rate for e, r in measured if e in FLOOR_WRITES + FLOOR_LISTS}
    for endpoint, result in measured:
        reference, goal = (tpcb, WRITE_GOAL) if endpoint.is_write else (health, LIST_GOAL)
        floor = FLOOR_WRITES[1] if endpoint.is_write else FLOOR_LISTS[1]
        of_floor = None
        if floor.name in floor_rates and endpoint not in FLOOR_WRITES + FLOOR_LISTS:
            of_floor = result.rate / floor_rates[floor.name]
        rows.append((result, result.rate / reference.rate, goal, of_floor))
    print_table(rows)
    print(
        f"references: pgbench {first[0].rate:.0f} / {second[0].rate:.0f} tps, /healthz "
        f"{first[1].rate:.0f} / {second[1].rate:.0f} req/s (before / after the endpoints); "
        f"{args.connections} connections, {args.duration} s each"
    )


if __name__ == "__main__":
    main()
