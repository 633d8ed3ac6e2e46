"""No cycle collection while an import writes a batch."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off while a batch runs. A batch's thousands of records,
    rows and history instances all live until it ends, so every collection during the
    batch would walk them again (and, in the oldest generation, every object of the
    process): a noticeable share of an import's CPU (docs/performance.md). Reference
    counting still frees what the batch drops; any reference cycle it leaves is collected
    once the collector runs again, after the batch."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
