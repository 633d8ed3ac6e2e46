"""Every write of the clock app (DESIGN §1): clocks (POST /clock) and time entries."""

from clock.services.clocks import (
    CancelledClock,
    ClockChanges,
    ClockTimeNotSaved,
    StopResult,
    cancel_clock,
    start_clock,
    stop_clock,
    toggle_break,
    update_clock,
)
from clock.services.entries import (
    UNSET,
    SaveResult,
    Span,
    TimeInput,
    delete_time_entry,
    make_room,
    save_time_entries,
    set_approval_status,
)

__all__ = [
    "UNSET",
    "CancelledClock",
    "ClockChanges",
    "ClockTimeNotSaved",
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
