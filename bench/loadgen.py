"""Load generators for bench/api_bench.py: wrk against the server, pgbench against PostgreSQL,
and the table they end in."""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
PGBENCH_DB = "timebridge_bench_pgbench"
LUA = ROOT / "bench" / "wrk_api.lua"

# How each source's clients send their key (docs/decisions.md), as wrk headers.
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
            # One wrk thread per connection: a thread's requests go out one after the other,
            # so each connection owns its users and a user's writes arrive in order (a stop
            # never overtakes its start on another connection).
            "-t",
            str(args.connections),
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
            str(args.connections),
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


def pgbench_connection(server: str) -> list[str]:
    """pgbench's host, port and user options for the PostgreSQL server at `server`."""
    url = urlsplit(server)
    return [
        "-h",
        url.hostname or "127.0.0.1",
        "-p",
        str(url.port or 5432),
        "-U",
        url.username or "postgres",
    ]


def pgbench(server: str, args: argparse.Namespace, folder: Path) -> Result:
    conn = pgbench_connection(server)
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


def print_table(results: list[tuple[Result, float | None, float | None, float | None]]) -> None:
    """One line per result: rate, ratio to its reference and goal, and (`of floor`) the
    share of its floor's rate (the API view sending the same kind of SQL literally)."""
    print(
        f"\n{'endpoint':26s} {'req/s':>9s} {'ratio':>7s} {'goal':>6s} {'of floor':>8s} "
        f"{'p50 ms':>8s} {'p99 ms':>8s} {'errors':>7s}"
    )
    for result, ratio, goal, of_floor in results:
        ratio_text = f"{ratio:7.3f}" if ratio is not None else "      -"
        goal_text = f"{goal:6.2f}" if goal is not None else "     -"
        floor_text = f"{of_floor:8.2f}" if of_floor is not None else "       -"
        mark = "" if goal is None else ("  met" if ratio >= goal else "  NOT MET")  # type: ignore[operator]
        print(
            f"{result.name:26s} {result.rate:9.1f} {ratio_text} {goal_text} {floor_text} "
            f"{result.p50_ms:8.1f} {result.p99_ms:8.1f} {result.errors:7d}{mark}"
        )
