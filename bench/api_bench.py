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
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BENCH_DB = "timebridge_bench_api"
PGBENCH_DB = "timebridge_bench_pgbench"
LUA = ROOT / "bench" / "wrk_api.lua"
WRITE_GOAL, LIST_GOAL = 0.20, 0.25
USERS_PER_WRITE = 64  # per write endpoint: 32 per wrk thread, 4 times its connections (ordered)
SEED_RECORDS = 110  # the list user's records per API: a full page of 100 (McTime: 20)

# How each source's clients send their key (DESIGN §3), as wrk headers.
AUTH = {
    "moco": ("Authorization", "Token token=%s"),
    "huddle": ("Authorization", "Bearer %s"),
    "mctime": ("API_KEY", "%s"),
    "prosonata": ("X-API-Key", "%s"),
}


@dataclass(frozen=True)
class Endpoint:
    name: str
    dialect: str
    method: str
    path: str
    body: str  # a body kind of wrk_api.lua; "none" for GET

    @property
    def is_write(self) -> bool:
        return self.method != "GET"


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


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise SystemExit(f"{name} not found (Debian: apt-get install {name} / postgresql-client)")
    return path


@dataclass
class Result:
    name: str
    rate: float  # 2xx per second
    p50_ms: float
    p99_ms: float
    errors: int


def prepare_database(server: str) -> dict[str, list[str] | str]:
    """A fresh, migrated database with the bench's users; returns their keys."""
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        for name in (BENCH_DB, PGBENCH_DB):
            conn.execute(f"DROP DATABASE IF EXISTS {name}")
            conn.execute(f"CREATE DATABASE {name}")
    os.environ["DATABASE_URL"] = f"{server}/{BENCH_DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DEBUG"] = "false"
    import django

    django.setup()
    from django.core.management import call_command

    from accounts.services import create_api_key, create_user

    call_command("migrate", verbosity=0)
    keys: dict[str, list[str] | str] = {}
    for endpoint in WRITES:
        keys[endpoint.name] = []
        for n in range(USERS_PER_WRITE):
            user = create_user(
                username=f"{endpoint.body}-{n}", first_name="Bench", last_name=str(n)
            )
            key = create_api_key(user=user, label="bench")[1]
            keys[endpoint.name].append(f"{key} {user.pk}")  # type: ignore[union-attr]
    lister = create_user(username="bench-lists", first_name="Bench", last_name="Lists")
    keys["lists"] = create_api_key(user=lister, label="bench")[1]
    keys["list_user_id"] = str(lister.pk)
    keys["list_keys"] = [f"{keys['lists']} {lister.pk}"]
    from django.db import connections

    connections.close_all()
    return keys


def start_server(server: str, port: int, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
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
        cwd=ROOT,
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


def run_wrk(
    base: str,
    endpoint: Endpoint,
    keys: list[str],
    args: argparse.Namespace,
    folder: Path,
    list_user_id: str,
    server_pid: int | None = None,
) -> Result:
    header, value = AUTH[endpoint.dialect]
    spec = folder / "spec.txt"
    path = endpoint.path.replace("{uid}", list_user_id)
    spec.write_text("\n".join([endpoint.method, path, endpoint.body, header, value, *keys]) + "\n")
    spy = None
    if server_pid is not None:
        name = re.sub(r"[^a-z0-9]+", "-", endpoint.name.lower()).strip("-")
        spy = subprocess.Popen(  # noqa: S603
            [
                str(Path(sys.executable).with_name("py-spy")),
                "record",
                "--pid",
                str(server_pid),
                "--subprocesses",
                "--nonblocking",
                "-r",
                "200",
                "-d",
                str(args.duration),
                "-f",
                "raw",
                "-o",
                str(ROOT / "var" / f"profile-{name}.txt"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    out = subprocess.run(  # noqa: S603
        [
            tool("wrk"),
            "-t",
            str(args.threads),
            "-c",
            str(args.connections),
            "-d",
            f"{args.duration}s",
            "--timeout",
            "10s",
            "-s",
            str(LUA),
            base,
            "--",
            str(spec),
            str(args.threads),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    if spy is not None:
        spy.wait(timeout=60)
    for line in out.stderr.splitlines()[:3]:
        print(f"    {endpoint.name}: {line}")
    data = json.loads(out.stdout.split("RESULT ", 1)[1].splitlines()[0])
    return Result(
        endpoint.name,
        data["ok"] / (data["duration_us"] / 1e6),
        data["p50_us"] / 1000,
        data["p99_us"] / 1000,
        data["bad"] + data["socket_errors"],
    )


def healthz(base: str, args: argparse.Namespace, folder: Path) -> Result:
    endpoint = Endpoint("/healthz", "moco", "GET", "/healthz", "none")
    return run_wrk(base, endpoint, ["- 0"], args, folder, "")


def pgbench(server: str, args: argparse.Namespace, folder: Path) -> Result:
    url = urlsplit(server)
    conn = [
        "-h",
        url.hostname or "127.0.0.1",
        "-p",
        str(url.port or 5432),
        "-U",
        url.username or "postgres",
    ]
    for old in folder.glob("pgb*"):
        old.unlink()
    out = subprocess.run(  # noqa: S603
        [
            tool("pgbench"),
            *conn,
            "-c",
            str(args.connections),
            "-j",
            str(args.threads),
            "-T",
            str(args.duration),
            "-l",
            "--log-prefix",
            str(folder / "pgb"),
            PGBENCH_DB,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    tps = float(re.search(r"tps = ([0-9.]+)", out.stdout).group(1))  # type: ignore[union-attr]
    latencies = sorted(
        int(line.split()[2]) for log in folder.glob("pgb*") for line in log.read_text().splitlines()
    )
    failed = re.search(r"number of failed transactions: (\d+)", out.stdout)
    q = statistics.quantiles(latencies, n=100)
    return Result(
        "pgbench TPC-B", tps, q[49] / 1000, q[98] / 1000, int(failed.group(1)) if failed else 0
    )


def mean(a: Result, b: Result) -> Result:
    return Result(
        a.name,
        (a.rate + b.rate) / 2,
        (a.p50_ms + b.p50_ms) / 2,
        (a.p99_ms + b.p99_ms) / 2,
        a.errors + b.errors,
    )


def print_table(results: list[tuple[Result, float | None, float | None]]) -> None:
    print(
        f"\n{'endpoint':26s} {'req/s':>9s} {'ratio':>7s} {'goal':>6s} {'p50 ms':>8s} "
        f"{'p99 ms':>8s} {'errors':>7s}"
    )
    for result, ratio, goal in results:
        ratio_text = f"{ratio:7.3f}" if ratio is not None else "      -"
        goal_text = f"{goal:6.2f}" if goal is not None else "     -"
        mark = "" if goal is None else ("  met" if ratio >= goal else "  NOT MET")  # type: ignore[operator]
        print(
            f"{result.name:26s} {result.rate:9.1f} {ratio_text} {goal_text} {result.p50_ms:8.1f} "
            f"{result.p99_ms:8.1f} {result.errors:7d}{mark}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk and pgbench threads")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--only", default="", help="run only endpoints whose name contains this")
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
    url = urlsplit(server)
    subprocess.run(  # noqa: S603
        [
            tool("pgbench"),
            "-i",
            "-q",
            "-s",
            str(args.connections),
            "-h",
            url.hostname or "127.0.0.1",
            "-p",
            str(url.port or 5432),
            "-U",
            url.username or "postgres",
            PGBENCH_DB,
        ],
        capture_output=True,
        check=True,
    )
    (ROOT / "var").mkdir(exist_ok=True)
    log = ROOT / "var" / "bench-api-gunicorn.log"
    base = f"http://127.0.0.1:{args.port}"
    server_process = start_server(server, args.port, log)
    try:
        seed_lists(base, keys["lists"], keys["list_user_id"])  # type: ignore[arg-type]
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            first = (pgbench(server, args, folder), healthz(base, args, folder))
            measured = []
            for endpoint in WRITES + LISTS:
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
    rows: list[tuple[Result, float | None, float | None]] = [
        (tpcb, None, None),
        (health, None, None),
    ]
    for endpoint, result in measured:
        reference, goal = (tpcb, WRITE_GOAL) if endpoint.is_write else (health, LIST_GOAL)
        rows.append((result, result.rate / reference.rate, goal))
    print_table(rows)
    print(
        f"references: pgbench {first[0].rate:.0f} / {second[0].rate:.0f} tps, /healthz "
        f"{first[1].rate:.0f} / {second[1].rate:.0f} req/s (before / after the endpoints); "
        f"{args.connections} connections, {args.duration} s each"
    )


if __name__ == "__main__":
    main()
