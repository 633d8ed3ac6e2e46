"""Wait until another connection is blocked on a row lock (PostgreSQL).

For tests that prove a write takes a lock: one thread holds the lock in an open
transaction, the code under test runs in another, and this tells when it is waiting.
"""

import time

from django.db import connection


def wait_for_lock_waiter(*, timeout: float = 30.0) -> None:
    """Poll (from the calling thread's connection) until some other backend of this
    database waits for a lock; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    raise AssertionError(f"nobody waited for a lock within {timeout} s")
