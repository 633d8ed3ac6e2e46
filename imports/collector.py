"""No cycle collection while an import writes a batch."""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

# The collector is one per process; imports may run in several threads of one (back-office
# uploads under gunicorn's threaded workers). It is off while any of them writes a batch,
# and back to what it was before the first of them once the last one ends.
_lock = threading.Lock()
_pauses = {"count": 0, "was_enabled": False}


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off while a batch runs. A batch's thousands of records,
    rows and history instances all live until it ends, so every collection during the
    batch would walk them again (and, in the oldest generation, every object of the
    process): a noticeable share of an import's CPU (docs/performance.md). Reference
    counting still frees what the batch drops; any reference cycle it leaves is collected
    once the collector runs again, after the batch."""
    with _lock:
        if _pauses["count"] == 0:
            _pauses["was_enabled"] = gc.isenabled()
            gc.disable()
        _pauses["count"] += 1
    try:
        yield
    finally:
        with _lock:
            _pauses["count"] -= 1
            if _pauses["count"] == 0 and _pauses["was_enabled"]:
                gc.enable()
