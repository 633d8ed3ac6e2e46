"""Connection health checks (config/postgresql/base.py): an idle connection is checked before
its next request, a busy one is not, and a dead busy one is replaced after one failed query."""

import psycopg
import pytest
from django.db import OperationalError, connection


def kill_backend() -> None:
    """End Django's server-side connection from outside, as a database restart would."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


def select_one() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone()[0]


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_an_idle_connection_is_checked_and_replaced_before_use(settings):
    settings.DB_HEALTH_CHECK_IDLE_SECONDS = 0  # every connection counts as idle
    assert connection.health_check_enabled
    kill_backend()

    connection.close_if_unusable_or_obsolete()  # a request starts

    assert select_one() == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_busy_connection_skips_the_check_and_a_dead_one_is_dropped_after_its_error(settings):
    settings.DB_HEALTH_CHECK_IDLE_SECONDS = 3600  # the connection was just used
    kill_backend()

    connection.close_if_unusable_or_obsolete()  # a request starts: no check
    with pytest.raises(OperationalError):
        select_one()
    connection.close_if_unusable_or_obsolete()  # the request ends: the error forces a check

    assert connection.connection is None
    assert select_one() == 1
