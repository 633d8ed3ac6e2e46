"""Production settings are safe by default and switched on by the environment.

Settings are read once per process, so each case starts `manage.py` in a fresh process with
the environment under test.
"""

import os
import re
import secrets
import subprocess
import sys
from http import HTTPStatus
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
DEVELOPMENT_KEY = "insecure-local-development-key-change-me"
SECURITY_VARIABLES = (
    "SECRET_KEY",
    "DEBUG",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "BEHIND_HTTPS_PROXY",
    "ALLOWED_HOSTS",
)


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # The production environment, not the test runner's: the browser tests' session sets
    # DJANGO_ALLOW_ASYNC_UNSAFE for itself, which no deployment has.
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in SECURITY_VARIABLES and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    # A throwaway SQLite file: these checks need settings, not the test database.
    base["DATABASE_URL"] = "sqlite:////tmp/timebridge-settings-check.sqlite3"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "env",
    [{"DEBUG": "false"}, {"DEBUG": "false", "SECRET_KEY": DEVELOPMENT_KEY}],
    ids=["no-key", "development-key"],
)
def test_refuses_to_start_without_debug_on_the_development_key(env):
    result = manage("check", **env)

    assert result.returncode != 0
    assert "SECRET_KEY is the built-in development key" in result.stderr


def test_local_development_still_starts_on_the_built_in_key():
    result = manage("check")

    assert result.returncode == 0, result.stderr


def documented_production_env() -> dict[str, str]:
    """The ```env block of docs/deployment.md, with a generated SECRET_KEY."""
    text = (ROOT / "docs" / "deployment.md").read_text()
    block = re.search(r"```env\n(.*?)```", text, re.DOTALL)
    assert block, "docs/deployment.md shows no production environment"
    env = dict(line.split("=", 1) for line in block.group(1).splitlines() if line.strip())
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    return env


def test_check_deploy_is_clean_with_the_documented_production_environment():
    env = documented_production_env()

    result = manage("check", "--deploy", "--fail-level", "WARNING", **env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "missing",
    ["SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"],
)
def test_each_documented_security_setting_is_needed(missing):
    env = documented_production_env()
    del env[missing]

    result = manage("check", "--deploy", "--fail-level", "WARNING", **env)

    assert result.returncode != 0


def test_settings_come_from_the_environment():
    env = documented_production_env()
    code = (
        "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    )

    result = manage("shell", "-c", code, **env)

    assert result.stdout.split()[-6:] == ["True", "31536000", "True", "True", "True", "True"]


def test_docker_compose_ships_no_fallback_secret_key():
    compose = (ROOT / "docker-compose.yml").read_text()

    (line,) = [line for line in compose.splitlines() if "SECRET_KEY:" in line]
    assert re.search(r"\$\{SECRET_KEY:\?", line), line
    assert ":-" not in line


def test_docker_image_runs_as_a_non_root_user():
    lines = (ROOT / "Dockerfile").read_text().splitlines()

    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users, "no USER in the Dockerfile"
    assert users[-1] not in ("root", "0")
    assert lines.index(f"USER {users[-1]}") < next(
        i for i, line in enumerate(lines) if line.startswith("CMD")
    )


@pytest.mark.parametrize("entry", [".git", ".venv", "var", ".env", "*.sqlite3"])
def test_dockerignore_keeps_local_state_and_secrets_out_of_the_image(entry):
    ignored = (ROOT / ".dockerignore").read_text().splitlines()

    assert entry in ignored


@pytest.mark.django_db
def test_https_redirect_and_hsts_when_switched_on_except_the_health_check(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 3600
    client = Client()  # middleware reads the settings when the handler is built

    api = client.get("/api/v1/users/presences")
    health = client.get("/healthz")
    secure = client.get("/healthz", secure=True)

    assert api.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert api["Location"].startswith("https://")
    assert health.status_code == HTTPStatus.OK
    assert secure["Strict-Transport-Security"] == "max-age=3600"
