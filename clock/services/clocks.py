"""POST /clock: start, break, stop, cancel and update a user's running clock.

Every action locks the user's row first, so concurrent actions of one user run one after the
other (two simultaneous starts leave one clock, two simultaneous stops one entry).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from django.db import transaction

from accounts.models import Organization, User
from accounts.services import lock_user
from clock.models import Clock, ClockBreak, CreationType, TimeEntry, TimeEntryBreak, TimeType
from clock.services.overlaps import (
    ensure_spans_open,
    local_iso,
    locked_among,
    make_room,
    overlapping_entries,
)
from config.api.errors import Conflict, InvalidInput, PeriodClosed
from config.api.ids import UNSET


@dataclass
class ClockChanges:
    """Optional changes of a clock (update, or applied on stop). UNSET: leave as is."""

    time_type: str | Any = UNSET
    comment: str | Any = UNSET
    organization: Organization | Any | None = UNSET

    def given(self) -> dict[str, Any]:
        """The fields that were given, by name."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        return {name: value for name, value in values.items() if value is not UNSET}

    def apply(self, record: Clock | TimeEntry) -> None:
        """Write the given fields into a clock or a time entry (they share these fields)."""
        for name, value in self.given().items():
            setattr(record, name, value)


@dataclass
class StopResult:
    """The time entry a stopped clock became: valid, or invalid with what kept it from
    being saved (then nothing was overwritten)."""

    entry: TimeEntry
    # True when existing entries were deleted, trimmed or split.
    overwritten: bool = False
    # What refused the clock time: a closed date of the user, or an entry under approval,
    # approved or exported that it overlaps.
    closed: PeriodClosed | None = None
    locked_entry: TimeEntry | None = None

    @property
    def valid(self) -> bool:
        return self.entry.is_valid


def _running_clock(user: User) -> Clock:
    clock = Clock.objects.filter(user=user).select_related("organization").first()
    if clock is None:
        raise Conflict(f"User {user.uuid} has no running clock.")
    return clock


@transaction.atomic
def start_clock(
    *,
    user: User,
    at: datetime,
    time_type: str = TimeType.WORK,
    comment: str = "",
    organization: Organization | None = None,
) -> Clock:
    # Two concurrent starts would both see "no clock" and both insert one.
    lock_user(user_id=user.pk)
    if Clock.objects.filter(user=user).exists():
        raise Conflict(
            f"User {user.uuid} already has a running clock; stop or cancel it first.",
        )
    return Clock.objects.create(
        user=user, started_at=at, time_type=time_type, comment=comment, organization=organization
    )


@transaction.atomic
def toggle_break(*, user: User, at: datetime) -> Clock:
    """Open a break at `at`, or close the open one. Time only moves forward."""
    # A concurrent break would open a second break or close one twice.
    lock_user(user_id=user.pk)
    clock = _running_clock(user)
    breaks = list(clock.breaks.all())
    open_break = next((b for b in breaks if b.ended_at is None), None)
    if open_break is not None:
        if at <= open_break.started_at:
            raise InvalidInput(
                "dateTime: the break must end after it started "
                f"({local_iso(open_break.started_at, user)}).",
                field="dateTime",
            )
        open_break.ended_at = at
        open_break.save(update_fields=["ended_at"])
    else:
        earliest = max([clock.started_at, *(b.ended_at for b in breaks if b.ended_at)])
        if at < earliest:
            raise InvalidInput(
                "dateTime: a break cannot start before the clock's start or the end of a "
                f"previous break ({local_iso(earliest, user)}).",
                field="dateTime",
            )
        ClockBreak.objects.create(clock=clock, started_at=at)
    return clock


@transaction.atomic
def update_clock(*, user: User, changes: ClockChanges) -> Clock:
    # A concurrent stop could turn the clock into an entry while we update it.
    lock_user(user_id=user.pk)
    clock = _running_clock(user)
    if not changes.given():
        raise InvalidInput(
            "update needs timeType, comment, organizationId or organizationName.",
            field="action",
        )
    changes.apply(clock)
    clock.save()
    return clock


@dataclass
class CancelledClock:
    """What the discarded clock was (its rows are gone), for the answer."""

    clock: Clock
    breaks: list[ClockBreak]


@transaction.atomic
def cancel_clock(*, user: User) -> CancelledClock:
    """Discard the running clock; no entry is made."""
    # A concurrent stop must not turn the clock into an entry we then also discard.
    lock_user(user_id=user.pk)
    clock = _running_clock(user)
    breaks = list(clock.breaks.all())
    clock.delete()
    return CancelledClock(clock=clock, breaks=breaks)


@transaction.atomic
def stop_clock(*, user: User, at: datetime, changes: ClockChanges | None = None) -> StopResult:
    """Turn the running clock into a time entry (creationType clock), making room.

    If the clock time overlaps an entry under approval, approved or exported, or touches a
    closed date, nothing is overwritten: the clock time becomes an INVALID clocking entry,
    and the result says what refused it.
    """
    # Two concurrent stops would both read the clock and make two entries of it.
    lock_user(user_id=user.pk)
    clock = _running_clock(user)
    if changes is not None:
        changes.apply(clock)
    breaks = list(clock.breaks.all())
    _check_stop_time(clock, breaks, at, user)
    spans = [(b.started_at, b.ended_at or at) for b in breaks]
    spans = [(lo, hi) for lo, hi in spans if hi > lo]  # a break opened at `at` is empty
    overlapping = overlapping_entries(user=user, starts_at=clock.started_at, ends_at=at)
    locked_entry = next(iter(locked_among(overlapping)), None)
    # A closed date is refused like an approved entry: the clock time is kept, invalid.
    closed: PeriodClosed | None = None
    try:
        ensure_spans_open(
            user=user,
            spans=[(clock.started_at, at), *((e.starts_at, e.ends_at) for e in overlapping)],
        )
    except PeriodClosed as exc:
        closed = exc
    blocked = locked_entry is not None or closed is not None
    overwritten = not blocked and make_room(
        entries=overlapping, starts_at=clock.started_at, ends_at=at
    )
    entry = TimeEntry.objects.create(
        user=user,
        starts_at=clock.started_at,
        ends_at=at,
        time_type=clock.time_type,
        comment=clock.comment,
        organization=clock.organization,
        creation_type=CreationType.CLOCK,
        is_valid=not blocked,
    )
    for lo, hi in spans:
        TimeEntryBreak.objects.create(entry=entry, starts_at=lo, ends_at=hi)
    clock.delete()
    return StopResult(entry, overwritten, closed=closed, locked_entry=locked_entry)


def _check_stop_time(clock: Clock, breaks: list[ClockBreak], at: datetime, user: User) -> None:
    if at <= clock.started_at:
        raise InvalidInput(
            "dateTime: the clock must stop after it started "
            f"({local_iso(clock.started_at, user)}).",
            field="dateTime",
        )
    latest = max([b.ended_at or b.started_at for b in breaks], default=None)
    if latest is not None and at < latest:
        raise InvalidInput(
            f"dateTime: the clock cannot stop before its last break ({local_iso(latest, user)}).",
            field="dateTime",
        )
