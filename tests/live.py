"""Start the production server (gunicorn with gunicorn.conf.py) against the test database.

For tests that need the production stack: McTime's `API_KEY` header (underscore) only
reaches Django through it; Django's own test server drops such headers. PostgreSQL only (the
server process needs a database it can open; the SQLite test database lives in memory), and
the test must commit its data (`django_db(transaction=True)`).
"""

import os
import socket
import subprocess
import sys
import time
from http import HTTPStatus
from pathlib import Path

import pytest
import requests
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def start_gunicorn(
    *,
    with_project_config: bool,
    extra_env: dict[str, str] | None = None,
    log_file: Path | None = None,
) -> tuple[subprocess.Popen, str]:
    """`extra_env` adds to the server's environment; `log_file` receives its stdout (the
    access log) and stderr."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        "DEBUG": "false",
        "CONN_MAX_AGE": "0",
        # DEBUG off refuses the built-in development key.
        "SECRET_KEY": "live-test-" + "k" * 50,
        **(extra_env or {}),
    }
    args = [sys.executable, "-m", "gunicorn"]
    if with_project_config:
        args += ["-c", str(ROOT / "gunicorn.conf.py")]
    else:
        args += ["-c", "/dev/null", "--bind", env["GUNICORN_BIND"], "--workers", "1"]
    output = log_file.open("ab") if log_file is not None else subprocess.DEVNULL
    process = subprocess.Popen(
        [*args, "config.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=output,
        stderr=output,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/healthz", timeout=5).status_code == HTTPStatus.OK:
                return process, base
        except requests.RequestException:  # not listening yet, or still booting
            time.sleep(0.1)
    process.terminate()
    pytest.fail("gunicorn did not start within 30 s")
