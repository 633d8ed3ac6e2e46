"""Django's PostgreSQL backend, with health checks only where a connection may have gone stale.

With CONN_HEALTH_CHECKS, Django sends `SELECT 1` before the first query of every request that
reuses a persistent connection: one extra round trip per API request, about an eighth of a
MOCO touch's database time. A connection that served a query less than
`DB_HEALTH_CHECK_IDLE_SECONDS` ago, without an error since, is as good as checked: what kills
connections (a database restart or failover, an idle timeout, a dropped network path) shows up
as an error on that connection, and Django then checks it (and drops it) at the request's end
whatever this setting says. Idle connections are still checked before use, which is where
stale connections are found in practice. The price: a restart while a process is busy can
fail that process's next request once instead of reconnecting silently.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    _used_at: float = float("-inf")

    def create_cursor(self, name=None):  # type: ignore[no-untyped-def]
        self._used_at = time.monotonic()
        return super().create_cursor(name)

    def close_if_unusable_or_obsolete(self) -> None:
        super().close_if_unusable_or_obsolete()
        idle = float(getattr(settings, "DB_HEALTH_CHECK_IDLE_SECONDS", 0) or 0)
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.errors_occurred
            and time.monotonic() - self._used_at < idle
        ):
            self.health_check_done = True
