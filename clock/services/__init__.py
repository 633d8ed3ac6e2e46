"""Every write of the clock app: clocks (POST /clock), time entries, approval."""

from clock.services.approval import set_approval_status
from clock.services.clocks import (
    CancelledClock,
    ClockChanges,
    StopResult,
    cancel_clock,
    start_clock,
    stop_clock,
    toggle_break,
    update_clock,
)
from clock.services.entries import (
    SaveResult,
    Span,
    TimeInput,
    delete_time_entry,
    save_time_entries,
)
from clock.services.overlaps import make_room

__all__ = [
    "CancelledClock",
    "ClockChanges",
    "SaveResult",
    "Span",
    "StopResult",
    "TimeInput",
    "cancel_clock",
    "delete_time_entry",
    "make_room",
    "save_time_entries",
    "set_approval_status",
    "start_clock",
    "stop_clock",
    "toggle_break",
    "update_clock",
]
