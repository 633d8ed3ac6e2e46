"""POST /clock: start, break, stop, cancel and update a user's running clock.

Every action locks the user's row first, so concurrent actions of one user run one after the
other (two simultaneous starts leave one clock, two simultaneous stops one entry).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction

from accounts.models import Organization, User
from accounts.services import lock_user
from clock.models import Clock, ClockBreak, CreationType, TimeEntry, TimeEntryBreak, TimeType
from clock.services.entries import (
    UNSET,
    ensure_spans_open,
    local_iso,
    locked_among,
    locked_entry_message,
    make_room,
    overlapping_entries,
)
from config.api.errors import ApiError, Conflict, InvalidInput, PeriodClosed


@dataclass
class ClockChanges:
    """Optional changes of a clock (update, or applied on stop). UNSET: leave as is."""

    time_type: str | Any = UNSET
    comment: str | Any = UNSET
    organization: Organization | Any | None = UNSET

    @property
    def empty(self) -> bool:
        return all(v is UNSET for v in (self.time_type, self.comment, self.organization))

    def apply(self, clock: Clock) -> None:
        if self.time_type is not UNSET:
            clock.time_type = self.time_type
        if self.comment is not UNSET:
            clock.comment = self.comment
        if self.organization is not UNSET:
            clock.organization = self.organization


@dataclass
class StopResult:
    entry: TimeEntry
    # True when existing entries were deleted, trimmed or split (McTime answers 201).
    overwritten: bool


class ClockTimeNotSaved(ApiError):
    """The stopped clock overlapped a locked entry and became an invalid clocking entry.

    Raised after that entry was committed; the view puts the entry into the error's data.
    """

    default_code = "ClockTimeNotSaved"

    def __init__(self, message: str, *, entry: TimeEntry) -> None:
        super().__init__(message, data={"id": str(entry.pk)})
        self.entry = entry


def _running_clock(user: User) -> Clock:
    clock = Clock.objects.filter(user=user).select_related("organization").first()
    if clock is None:
        raise Conflict(f"User {user.uuid} has no running clock.", code="NoRunningClock")
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
            code="ClockRunning",
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
    if changes.empty:
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


def stop_clock(*, user: User, at: datetime, changes: ClockChanges | None = None) -> StopResult:
    """Turn the running clock into a time entry (creationType clock), making room.

    If the clock time overlaps an entry under approval, approved or exported, nothing is
    overwritten: the clock time is committed as an INVALID clocking entry and then
    `ClockTimeNotSaved` is raised. So this function must not run inside an outer atomic
    block that the error would roll back (views are not wrapped in one).
    """
    with transaction.atomic():
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
        locked = locked_among(overlapping)
        # A closed date is refused like an approved entry: the clock time is kept, invalid.
        closed: PeriodClosed | None = None
        try:
            ensure_spans_open(
                user=user,
                spans=[(clock.started_at, at), *((e.starts_at, e.ends_at) for e in overlapping)],
            )
        except PeriodClosed as exc:
            closed = exc
        blocked = bool(locked) or closed is not None
        overwritten = (
            False
            if blocked
            else make_room(entries=overlapping, starts_at=clock.started_at, ends_at=at)
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
    if closed is not None:
        raise ClockTimeNotSaved(
            "The clock time could not be saved and became an invalid clocking time entry: "
            f"{closed.message.split('; nothing')[0]}.",
            entry=entry,
        )
    if locked:
        raise ClockTimeNotSaved(
            "The clock time could not be saved and became an invalid clocking time entry "
            f"(delete it via DELETE /times). {locked_entry_message(locked[0], user=user)}",
            entry=entry,
        )
    return StopResult(entry=entry, overwritten=overwritten)


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
