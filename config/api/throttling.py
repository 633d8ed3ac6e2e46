"""Per-API-key request quotas, one fixed window per wire dialect, counted in Django's cache.

With Redis as the cache (production), all server processes share one count. The state of
the current window is left on the request so that dialects can report it (Huddle's
`X-RateLimit-*` headers, ProSonata's `meta.apiLimitRemaining` / `apiLimitReset`).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle


@dataclass(frozen=True)
class RateLimitState:
    limit: int
    remaining: int
    reset: int  # seconds until the window ends


def parse_rate(rate: str) -> tuple[int, int]:
    """ "500/900" -> (500 requests, 900 seconds)."""
    count, _, seconds = rate.partition("/")
    return int(count), int(seconds or 1)


class ApiKeyRateThrottle(BaseThrottle):
    """Fixed-window counter keyed by (dialect, API key); session users count by user id."""

    def __init__(self) -> None:
        self.state: RateLimitState | None = None

    def allow_request(self, request: Request, view: object) -> bool:
        dialect = getattr(view, "dialect", None)
        scope = dialect.name if dialect is not None else "default"
        rate = settings.RATE_LIMITS.get(scope)
        if not rate:
            return True
        limit, window = parse_rate(rate)
        identity = self._identity(request)
        if identity is None:
            return True  # anonymous requests are refused by authentication, not counted
        now = time.time()
        window_start = int(now // window) * window
        reset = max(1, math.ceil(window_start + window - now))
        key = f"ratelimit:{scope}:{identity}:{window_start}"
        # add() is a no-op when the key exists; incr() is atomic in Redis and locmem.
        cache.add(key, 0, timeout=window + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, timeout=window + 1)
            count = 1
        self.state = RateLimitState(limit=limit, remaining=max(0, limit - count), reset=reset)
        request.rate_limit = self.state  # type: ignore[attr-defined]
        return count <= limit

    def wait(self) -> float | None:
        return self.state.reset if self.state else None

    @staticmethod
    def _identity(request: Request) -> str | None:
        auth = request.auth
        if auth is not None and getattr(auth, "pk", None) is not None:
            return f"key:{auth.pk}"
        user = request.user
        if user is not None and user.is_authenticated:
            return f"user:{user.pk}"
        return None
