"""What every benchmark script shares: a fresh, migrated bench database and Django set up on it.

The scripts run as `python bench/<name>.py`, so this module is imported by its bare name
(`from common import setup_django`), like the other helpers in bench/.
"""

from __future__ import annotations

import os
import secrets


def setup_django(base_url: str, database: str, *, fresh: bool = True) -> None:
    """Point Django at `database` on the server of `base_url`, (re)create it unless `fresh`
    is off, set Django up and migrate."""
    server, _, _ = base_url.rpartition("/")
    os.environ["DATABASE_URL"] = f"{server}/{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # As in production: DEBUG on would record every query (Django's debug cursor).
    os.environ.setdefault("DEBUG", "false")
    # With DEBUG off the settings refuse the built-in development key.
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    import psycopg

    if fresh:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {database}")
            conn.execute(f"CREATE DATABASE {database}")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
