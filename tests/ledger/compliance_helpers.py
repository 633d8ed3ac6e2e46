"""Build person-days from local wall-clock spans, as the statute's examples are written."""

import datetime as dt
import zoneinfo

from ledger.compliance import WorkDay, evaluate

BERLIN = "Europe/Berlin"


def at(date: dt.date, hhmm: str, zone: str) -> dt.datetime:
    hours, minutes = (int(part) for part in hhmm.split(":"))
    extra, hours = divmod(hours, 24)  # "24:00" or "26:30" run into the next day
    local = dt.datetime.combine(date + dt.timedelta(days=extra), dt.time(hours, minutes))
    return local.replace(tzinfo=zoneinfo.ZoneInfo(zone))


def day(date: str, *spans: str, zone: str = BERLIN, absent: bool = False) -> WorkDay:
    """`day("2026-03-02", "08:00-12:00", "12:30-16:30")`; an end before its start is next day."""
    local_date = dt.date.fromisoformat(date)
    intervals = []
    for span in spans:
        first, last = span.split("-")
        start, end = at(local_date, first, zone), at(local_date, last, zone)
        if end <= start:
            end = at(local_date + dt.timedelta(days=1), last, zone)
        intervals.append((start, end))
    return WorkDay(
        date=local_date, timezone=zone, intervals=tuple(intervals), full_day_absence=absent
    )


def findings_on(date: str, *days: WorkDay, rule: str | None = None, **kwargs):  # type: ignore[no-untyped-def]
    """The finding dicts on `date`, optionally only one rule's."""
    on = dt.date.fromisoformat(date)
    found = evaluate(days=days, first=on, last=on, **kwargs).get(on, [])
    return [f.as_dict() for f in found if rule is None or f.rule == rule]
