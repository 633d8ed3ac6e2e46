"""Writes of time entries: add/edit (POST /times, the back office) and delete.

Adding or moving an entry makes room among the user's other valid entries
(clock.services.overlaps); approval transitions are in clock.services.approval.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from accounts.models import Organization, User
from accounts.services import lock_user, reread_under_user_lock
from clock.models import (
    LOCKED_APPROVAL_STATUSES,
    ApprovalStatus,
    CreationType,
    TimeEntry,
    TimeEntryBreak,
    TimeType,
)
from clock.services.clocks import ClockChanges
from clock.services.overlaps import (
    ensure_spans_open,
    locked_among,
    locked_entry_message,
    make_room,
    overlap_message,
    overlapping_entries,
)

# Importers read local_iso from here as well.
from clock.services.overlaps import local_iso as local_iso
from config.api.errors import Conflict, InvalidInput, NotFound, PeriodClosed
from config.api.ids import UNSET


@dataclass(frozen=True)
class Span:
    starts_at: datetime
    ends_at: datetime
    automatic: bool = False


@dataclass
class TimeInput:
    """One element of POST /times' `times`. UNSET fields keep the edited entry's value."""

    starts_at: datetime
    ends_at: datetime
    id: UUID | None = None
    breaks: Sequence[Span] | Any = UNSET
    time_type: str | Any = UNSET
    comment: str | Any = UNSET
    organization: Organization | Any | None = UNSET


@dataclass
class SaveResult:
    entries: list[TimeEntry] = field(default_factory=list)
    # True when existing entries were deleted, trimmed or split (McTime answers 201).
    overwritten: bool = False


def validate_span(*, starts_at: datetime, ends_at: datetime, breaks: Iterable[Span]) -> None:
    """`to` after `from`; breaks each positive, inside the span, not overlapping each other."""
    if ends_at <= starts_at:
        raise InvalidInput("to: must be after from.", field="to")
    previous_end: datetime | None = None
    for index, span in enumerate(sorted(breaks, key=lambda b: b.starts_at)):
        name = f"breaks.{index}"
        if span.ends_at <= span.starts_at:
            raise InvalidInput(f"{name}.to: a break must end after it starts.", field=name)
        if span.starts_at < starts_at or span.ends_at > ends_at:
            raise InvalidInput(f"{name}: a break must lie inside its time entry.", field=name)
        if previous_end is not None and span.starts_at < previous_end:
            raise InvalidInput(f"{name}: breaks must not overlap each other.", field=name)
        previous_end = span.ends_at


def _replace_breaks(entry: TimeEntry, breaks: Iterable[Span]) -> None:
    entry.breaks.all().delete()
    rows = [
        TimeEntryBreak(
            entry=entry, starts_at=span.starts_at, ends_at=span.ends_at, automatic=span.automatic
        )
        for span in sorted(breaks, key=lambda b: b.starts_at)
    ]
    # One INSERT for the breaks and one for their history rows, however many breaks.
    bulk_create_with_history(rows, TimeEntryBreak)


def _check_input_spans_disjoint(times: Sequence[TimeInput]) -> None:
    ordered = sorted(enumerate(times), key=lambda pair: pair[1].starts_at)
    for (_, before), (index, after) in itertools.pairwise(ordered):
        if after.starts_at < before.ends_at:
            raise InvalidInput(
                f"times.{index}: overlaps another time entry of the same request.",
                field=f"times.{index}",
            )


@transaction.atomic
def save_time_entries(
    *, user: User, times: Sequence[TimeInput], overwrite: bool = True
) -> SaveResult:
    """Add entries (creationType times) or edit those given by id (creationType null),
    all or nothing, making room among the user's other valid entries.

    `overwrite=False` (the back office) refuses an overlap instead of trimming or deleting
    the other entries: a person editing one entry expects the others to stay as they are.
    """
    # Two concurrent writes for one user would both see the same free span and both insert.
    lock_user(user_id=user.pk)
    if not times:
        raise InvalidInput("times: at least one time entry is required.", field="times")
    _check_input_spans_disjoint(times)
    edited_ids = [item.id for item in times if item.id is not None]
    if len(set(edited_ids)) != len(edited_ids):
        raise InvalidInput("times: the same id is given twice.", field="times")
    existing = {
        entry.pk: entry
        for entry in TimeEntry.objects.filter(user=user, pk__in=edited_ids).prefetch_related(
            "breaks"
        )
    }
    # An edit changes the entry where it was, too.
    ensure_spans_open(user=user, spans=[(e.starts_at, e.ends_at) for e in existing.values()])
    # Entries edited here leave their old spans: take them out of the no-overlap rule until
    # each is saved (valid again) at its new span, so that the order of `times` cannot make
    # a new span collide with an old one that is about to move. (Not in the history: a
    # queryset update; a failure rolls it back with everything else.)
    TimeEntry.objects.filter(pk__in=list(existing)).update(is_valid=False)
    result = SaveResult()
    for index, item in enumerate(times):
        entry = _prepare_entry(user=user, item=item, index=index, existing=existing)
        if item.breaks is not UNSET:
            breaks = list(item.breaks)
        elif item.id is not None:
            # An edit without `breaks` keeps the entry's breaks (they must still fit).
            breaks = [Span(b.starts_at, b.ends_at, b.automatic) for b in entry.breaks.all()]
        else:
            breaks = []
        try:
            validate_span(starts_at=item.starts_at, ends_at=item.ends_at, breaks=breaks)
        except InvalidInput as exc:
            raise InvalidInput(f"times.{index}.{exc.message}", field=f"times.{index}") from None
        # Entries edited in this request move to their new spans; never trim them as well.
        overlapping = overlapping_entries(
            user=user, starts_at=item.starts_at, ends_at=item.ends_at, exclude_ids=edited_ids
        )
        if overlapping and not overwrite:
            raise Conflict(
                f"times.{index}: the time entry could not be saved. "
                + overlap_message(overlapping[0], user=user),
                field=f"times.{index}",
            )
        locked = locked_among(overlapping)
        if locked:
            raise Conflict(
                f"times.{index}: the time entry could not be saved. "
                + locked_entry_message(locked[0], user=user),
                field=f"times.{index}",
            )
        try:
            # The new span, and the entries that making room would trim or delete.
            ensure_spans_open(
                user=user,
                spans=[(item.starts_at, item.ends_at)]
                + [(e.starts_at, e.ends_at) for e in overlapping],
            )
        except PeriodClosed as exc:
            raise PeriodClosed(
                f"times.{index}: {exc.message}", dates=exc.dates, field=f"times.{index}"
            ) from None
        result.overwritten |= make_room(
            entries=overlapping, starts_at=item.starts_at, ends_at=item.ends_at
        )
        entry.starts_at, entry.ends_at = item.starts_at, item.ends_at
        entry.is_valid = True
        entry.save()
        if item.breaks is not UNSET:
            _replace_breaks(entry, breaks)
        result.entries.append(entry)
    return result


def _prepare_entry(
    *, user: User, item: TimeInput, index: int, existing: dict[UUID, TimeEntry]
) -> TimeEntry:
    """The entry to write `item` into: a new one, or the existing one with `item`'s fields."""
    if item.id is None:
        return TimeEntry(
            user=user,
            time_type=TimeType.WORK if item.time_type is UNSET else item.time_type,
            comment="" if item.comment is UNSET else item.comment,
            organization=None if item.organization is UNSET else item.organization,
            creation_type=CreationType.TIMES,
        )
    entry = existing.get(item.id)
    if entry is None:
        raise NotFound(f"times.{index}.id: time entry {item.id} not found.", field="id")
    if entry.approval_status in LOCKED_APPROVAL_STATUSES:
        raise InvalidInput(
            f"times.{index}.id: time entry {entry.pk} is {entry.get_approval_status_display()} "
            "and cannot be edited.",
            field=f"times.{index}.id",
        )
    ClockChanges(item.time_type, item.comment, item.organization).apply(entry)
    entry.creation_type = None
    # A disapproved entry that was corrected goes back into approval.
    entry.approval_status = ApprovalStatus.NOT_APPROVED_YET
    return entry


@transaction.atomic
def delete_time_entry(*, entry: TimeEntry) -> None:
    """Delete an invalid clocking entry or an entry that is not (being) approved."""
    # A concurrent approval must not slip in between our status check and the delete.
    current = reread_under_user_lock(entry)
    if current is None:
        raise NotFound(f"Time entry {entry.pk} not found.", field="id")
    ensure_spans_open(user=current.user, spans=[(current.starts_at, current.ends_at)])
    if current.approval_status in LOCKED_APPROVAL_STATUSES:
        raise InvalidInput(
            f"Time entry {current.pk} is {current.get_approval_status_display()} and cannot "
            "be deleted.",
            field="id",
        )
    current.delete()
