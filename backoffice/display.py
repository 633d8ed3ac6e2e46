"""How the back office writes durations: hours and minutes, as a timesheet does."""

import datetime as dt


def hours_minutes(minutes: int | None) -> str:
    """465 -> "7:45"; None -> "" (no end yet)."""
    if minutes is None:
        return ""
    sign = "-" if minutes < 0 else ""
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours}:{rest:02d}"


def elapsed_minutes(start: dt.datetime, end: dt.datetime) -> int:
    """Whole minutes of real elapsed time between two aware instants."""
    return int((end - start).total_seconds()) // 60
