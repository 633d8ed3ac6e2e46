"""CPU per request of each hot write and list, in-process, with the production settings.

    python bench/profile_api.py [--requests 200] [--only NAME] [--top 25]

Builds the same database as `make bench-api` (users, keys, the list user's records written
through the APIs), then sends each endpoint's requests through Django's WSGI handler (no
network, no gunicorn) under cProfile and prints, per endpoint, the CPU time one request
costs (`time.process_time`, measured without the profiler) and the functions that take it
(cumulative CPU time). `/healthz` and the floors of bench/floor.py are measured alike.
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import secrets
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# The project's settings with the floor views of bench/floor.py (this script runs from bench/).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "floor_settings")
os.environ.setdefault("API_KEY_CACHE_SECONDS", "10")  # as gunicorn.conf.py sets it
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
for _name in ("moco", "huddle", "mctime", "prosonata"):
    os.environ[f"RATE_LIMIT_{_name.upper()}"] = "1000000000/900"

from api_bench import (  # noqa: E402
    AUTH,
    FLOOR_LISTS,
    FLOOR_WRITES,
    LISTS,
    SEED_RECORDS,
    WRITES,
    Endpoint,
    prepare_database,
)

BASE = 946684800  # 2000-01-01T00:00:00Z, as bench/wrk_api.lua


def _day(n: int) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(BASE + n * 86400))


def _instant(seconds: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(BASE + seconds))


# The n-th body of one user, as bench/wrk_api.lua sends them.
BODIES: dict[str, Callable[[int, str], str | None]] = {
    "none": lambda n, uid: None,
    "moco_touch": lambda n, uid: "{}",
    "floor_touch": lambda n, uid: json.dumps({"user": int(uid)}),
    "moco_create": lambda n, uid: json.dumps({"date": _day(n), "from": "08:00", "to": "09:30"}),
    "prosonata_create": lambda n, uid: json.dumps(
        {
            "userID": int(uid),
            "workingDate": _day(n),
            "dailyTimeStart": "08:18:00",
            "dailyTimeEnd": "16:48:00",
            "dailyTimeTotal": 7.75,
            "break1Start": "12:06:00",
            "break1End": "12:51:00",
            "comments": "bench",
        }
    ),
    "huddle_create": lambda n, uid: json.dumps(
        {
            "isActive": True,
            "startDate": _instant(n * 86400),
            "endDate": _instant(n * 86400 + 3600),
            "message": "bench",
        }
    ),
    "mctime_clock": lambda n, uid: json.dumps(
        {"action": "start" if n % 2 == 0 else "stop", "dateTime": _instant(n * 60)}
    ),
}


def sender(endpoint: Endpoint, key: str, uid: str, list_uid: str) -> Callable[[int], int]:
    from django.test import Client

    client = Client()
    header, value = AUTH[endpoint.dialect]
    meta = {"HTTP_" + header.upper().replace("-", "_"): value % key}
    path = endpoint.path.replace("{uid}", list_uid)

    def send(n: int) -> int:
        body = BODIES[endpoint.body](n, uid)
        if body is None:
            return client.generic(endpoint.method, path, **meta).status_code
        return client.generic(
            endpoint.method, path, body, content_type="application/json", **meta
        ).status_code

    return send


def seed(keys: dict) -> None:
    """The list user's records, through the APIs (as api_bench.seed_lists does over HTTP)."""
    key, uid = keys["lists"], keys["list_user_id"]
    from django.test import Client

    for n in range(SEED_RECORDS):
        day = time.strftime("%Y-%m-%d", time.gmtime(1262304000 + n * 86400))
        bodies = [
            ("moco", "/api/v1/users/presences", {"date": day, "from": "08:00", "to": "09:00"}),
            (
                "prosonata",
                "/api/v1/workingtimes",
                {
                    "userID": int(uid),
                    "workingDate": day,
                    "dailyTimeStart": "08:00:00",
                    "dailyTimeEnd": "16:00:00",
                    "dailyTimeTotal": 8,
                },
            ),
            (
                "huddle",
                "/presence/create",
                {
                    "isActive": True,
                    "startDate": f"{day}T08:00:00+00:00",
                    "endDate": f"{day}T09:00:00+00:00",
                    "message": "seed",
                },
            ),
            ("mctime", "/api/v2/auth/clock", {"action": "start", "dateTime": f"{day}T08:00:00Z"}),
            ("mctime", "/api/v2/auth/clock", {"action": "stop", "dateTime": f"{day}T09:00:00Z"}),
        ]
        for dialect, path, body in bodies:
            header, value = AUTH[dialect]
            status = (
                Client()
                .post(
                    path,
                    json.dumps(body),
                    content_type="application/json",
                    **{"HTTP_" + header.upper().replace("-", "_"): value % key},
                )
                .status_code
            )
            if not 200 <= status < 300:
                raise SystemExit(f"seeding {path}: {status}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--only", default="")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/timebridge"),
    )
    args = parser.parse_args()
    server, _, database = args.database_url.rpartition("/")
    keys = prepare_database(server, database, with_pgbench=False)
    seed(keys)
    healthz = Endpoint("/healthz", "moco", "GET", "/healthz", "none")
    endpoints = [(healthz, "- 0"), *((e, keys[e.name][0]) for e in WRITES + FLOOR_WRITES)]
    endpoints += [(e, keys["list_keys"][0]) for e in LISTS + FLOOR_LISTS]
    summary = []
    for endpoint, key_and_uid in endpoints:
        if args.only.lower() not in endpoint.name.lower():
            continue
        key, uid = key_and_uid.split()
        send = sender(endpoint, key, uid, keys["list_user_id"])  # type: ignore[arg-type]
        half = args.requests // 2
        for n in range(10):  # warm up: imports, the key memory, the connection
            send(n)
        start = time.process_time()
        for n in range(10, 10 + half):
            status = send(n)
            if not 200 <= status < 300:
                raise SystemExit(f"{endpoint.name}: {status}")
        cpu_ms = (time.process_time() - start) * 1000 / half
        profile = cProfile.Profile(time.process_time)  # CPU, not waiting
        profile.enable()
        for n in range(10 + half, 10 + 2 * half):
            send(n)
        profile.disable()
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out)
        stats.sort_stats("cumulative").print_stats(args.top)
        print(f"\n=== {endpoint.name}: {cpu_ms:.2f} ms CPU per request ({half} requests)")
        print(out.getvalue().split("\n", 6)[-1].rstrip())
        summary.append((endpoint.name, cpu_ms))
    print("\nCPU per request (ms):")
    for name, cpu_ms in summary:
        print(f"  {name:26s} {cpu_ms:6.2f}")


if __name__ == "__main__":
    main()
