"""Helpers for import tests: run the command, map users, talk to a live source server."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest
import requests
from django.core.management import CommandError, call_command

from accounts.models import User
from imports.client import AUTH_HEADERS
from imports.models import ExternalUser
from tests.factories import raw_api_key
from tests.live import start_gunicorn


@dataclass
class ImportResult:
    exit_code: int
    lines: list[str]

    @property
    def summary(self) -> str:
        return self.lines[-1] if self.lines else ""

    def counts(self) -> dict[str, int]:
        """{"created": 3, "updated": 0, …} from the summary line."""
        text = self.summary.rsplit(": ", 1)[-1]
        pairs = (part.strip().split(" ") for part in text.split("/"))
        return {name: int(number) for name, number in pairs}


@pytest.fixture
def run_import() -> Callable[..., ImportResult]:
    """run_import("moco", path, "--dry-run") → exit code and output lines."""

    def run(*args: str) -> ImportResult:
        out = StringIO()
        try:
            call_command("import_data", *map(str, args), stdout=out)
            code = 0
        except CommandError as exc:
            code = exc.returncode
            out.write(f"CommandError: {exc}\n")
        lines = [line for line in out.getvalue().splitlines() if line]
        # The summary is the last line before any CommandError line.
        summary = next((i for i in range(len(lines) - 1, -1, -1) if "created " in lines[i]), None)
        if summary is not None and summary != len(lines) - 1:
            lines.append(lines.pop(summary))
        return ImportResult(code, lines)

    return run


@pytest.fixture
def write_json(tmp_path: Path) -> Callable[[str, object], Path]:
    def write(name: str, payload: object) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(payload), encoding="utf-8")
        return path

    return write


@pytest.fixture
def map_user() -> Callable[[str, object, User], ExternalUser]:
    """map_user("moco", 933590696, user): the stored mapping source id → Timebridge user."""

    def make(source: str, external_id: object, user: User) -> ExternalUser:
        return ExternalUser.objects.create(source=source, external_id=str(external_id), user=user)

    return make


@dataclass
class LiveSource:
    """A live Timebridge server as the source system, spoken to the way its clients do."""

    url: str

    def client(self, user: User, dialect: str) -> requests.Session:
        session = requests.Session()
        session.headers.update(AUTH_HEADERS[dialect](raw_api_key(user)))
        return session

    def key(self, user: User) -> str:
        return raw_api_key(user)


@pytest.fixture
def live_source(live_server) -> LiveSource:  # type: ignore[no-untyped-def]
    """Needs `@pytest.mark.django_db(transaction=True)` (the server runs in a thread)."""
    return LiveSource(url=live_server.url)


@pytest.fixture
def production_source(transactional_db) -> Iterator[LiveSource]:  # type: ignore[no-untyped-def]
    """The source served by gunicorn with the project's configuration (PostgreSQL only):
    needed where a client sends McTime's `API_KEY` header, which Django's test server drops."""
    process, base = start_gunicorn(with_project_config=True)
    yield LiveSource(url=base)
    process.terminate()
    process.wait(timeout=10)
