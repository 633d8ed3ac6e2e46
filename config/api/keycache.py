"""A short-lived, per-process memory of authenticated API keys.

Without it, every API request looks its key up in the database (one query, joined to the
user) before doing anything else. This cache remembers, per server process, what that lookup
returned for a key for at most `API_KEY_CACHE_SECONDS` (0 switches it off, the default of
the settings; the production server sets it, see gunicorn.conf.py and docs/performance.md).

A remembered key is trusted only while nothing about keys or users has changed: every save
or delete of an `ApiKey` or a `User` (revocation, deactivation, a role or time-zone change,
through the services, the admin or anything else that saves a model) bumps a generation
number in Django's cache, and an entry remembered under an older generation is dropped.
With a shared cache (Redis in production) that reaches every process at once; with the
local-memory default it reaches the process that made the change, and the others within
`API_KEY_CACHE_SECONDS`. Only successful lookups are remembered: a key created a moment ago
works at once, and a wrong key always costs its query.

Entries hold field values, not model instances: each request gets its own `ApiKey` and
`User` objects, so nothing a request does to them leaks into another.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from accounts.models import ApiKey, User

logger = logging.getLogger(__name__)
GENERATION_KEY = "api-key-cache:generation"
MAX_ENTRIES = 10_000  # beyond this the memory starts over (a bound, not an LRU)


@dataclass
class _Entry:
    generation: int
    expires_at: float  # time.monotonic()
    key_values: tuple[Any, ...]
    user_values: tuple[Any, ...]


_entries: dict[str, _Entry] = {}
_KEY_FIELDS = tuple(f.attname for f in ApiKey._meta.concrete_fields)
_USER_FIELDS = tuple(f.attname for f in User._meta.concrete_fields)


def _seconds() -> float:
    return float(getattr(settings, "API_KEY_CACHE_SECONDS", 0) or 0)


def _generation() -> int:
    return int(cache.get(GENERATION_KEY, 0))


def get(key_hash: str) -> ApiKey | None:
    """The remembered key (with its user) for this key digest, or None."""
    if not _seconds():
        return None
    entry = _entries.get(key_hash)
    if entry is None:
        return None
    if entry.expires_at <= time.monotonic() or entry.generation != _generation():
        _entries.pop(key_hash, None)
        return None
    api_key = ApiKey.from_db("default", _KEY_FIELDS, entry.key_values)
    api_key.user = User.from_db("default", _USER_FIELDS, entry.user_values)
    if not api_key.is_active:
        # Its expiry came while it was remembered: no save marks that, so check here.
        _entries.pop(key_hash, None)
        return None
    return api_key


def remember(key_hash: str, api_key: ApiKey, *, generation: int) -> None:
    """Remember a key found in the database; `generation` is the one read before the lookup,
    so a change committed during the lookup makes the entry stale at once."""
    seconds = _seconds()
    if not seconds:
        return
    if len(_entries) >= MAX_ENTRIES:
        _entries.clear()
    _entries[key_hash] = _Entry(
        generation=generation,
        expires_at=time.monotonic() + seconds,
        key_values=tuple(getattr(api_key, name) for name in _KEY_FIELDS),
        user_values=tuple(getattr(api_key.user, name) for name in _USER_FIELDS),
    )


def note_last_used(key_hash: str, api_key: ApiKey) -> None:
    """Keep the remembered last-used time current, so that it is written once a window."""
    entry = _entries.get(key_hash)
    if entry is not None:
        index = _KEY_FIELDS.index("last_used_at")
        values = list(entry.key_values)
        values[index] = api_key.last_used_at
        entry.key_values = tuple(values)


def current_generation() -> int:
    return _generation() if _seconds() else 0


def invalidate() -> None:
    """Forget every remembered key, in this process now and everywhere the cache is shared."""
    _entries.clear()
    try:
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:  # not set yet (or evicted): any new value differs from the old one
            cache.set(GENERATION_KEY, time.time_ns(), timeout=None)
    except Exception:
        # A cache outage must not fail the save that revokes a key; other processes then
        # drop their entries when they expire (API_KEY_CACHE_SECONDS).
        logger.warning("API-key cache: could not publish an invalidation", exc_info=True)


def _changed(sender: type, **kwargs: Any) -> None:
    # Now, so this process never serves the old state; and again at commit, because another
    # process may have re-read the row (still unchanged) between the two.
    invalidate()
    transaction.on_commit(invalidate)


for _model in (ApiKey, User):
    post_save.connect(_changed, sender=_model, dispatch_uid=f"keycache-save-{_model.__name__}")
    post_delete.connect(_changed, sender=_model, dispatch_uid=f"keycache-del-{_model.__name__}")
