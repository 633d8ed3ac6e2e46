"""Writes of time entries: add/edit (POST /times), delete, approval, and making room.

"Making room" is McTime's overwrite rule, shared by POST /times and a stopped clock: valid
entries of the user that a new span overlaps are deleted (entirely covered), trimmed
(partly covered) or split around it (containing it), their breaks clipped along. Entries
that are under approval, approved or exported are never touched; overlapping one refuses
the whole write.
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
from accounts.services import lock_user
from clock.models import (
    LOCKED_APPROVAL_STATUSES,
    ApprovalStatus,
    CreationType,
    TimeEntry,
    TimeEntryBreak,
    TimeType,
)
from closing.services import ensure_span_open, local_span
from config.api.errors import Conflict, InvalidInput, NotFound, PeriodClosed
from config.api.ids import UNSET

# Marks an optional field the client did not send (as opposed to sending null).


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


def overlapping_entries(
    *, user: User, starts_at: datetime, ends_at: datetime, exclude_ids: Iterable[UUID] = ()
) -> list[TimeEntry]:
    """The user's valid entries sharing time with [starts_at, ends_at) (touching is fine)."""
    return list(
        TimeEntry.objects.filter(
            user=user, is_valid=True, starts_at__lt=ends_at, ends_at__gt=starts_at
        )
        .exclude(pk__in=list(exclude_ids))
        .prefetch_related("breaks")
        .order_by("starts_at", "id")
    )


def ensure_spans_open(*, user: User, spans: Iterable[tuple[datetime, datetime]]) -> None:
    """Refuse (PeriodClosed) if a span touches a closed local date of the user."""
    for starts_at, ends_at in spans:
        first, last = local_span(user=user, starts_at=starts_at, ends_at=ends_at)
        ensure_span_open(user_id=user.pk, first=first, last=last)


def locked_among(entries: Iterable[TimeEntry]) -> list[TimeEntry]:
    return [e for e in entries if e.approval_status in LOCKED_APPROVAL_STATUSES]


def _redistribute_breaks(
    breaks: Iterable[TimeEntryBreak], parts: Sequence[tuple[TimeEntry, datetime, datetime]]
) -> None:
    """Clip each break to the remaining parts of its entry; a break spanning the cut of a
    split becomes one break per part, a break inside the removed span disappears."""
    for brk in breaks:
        pieces = [
            (entry, max(brk.starts_at, lo), min(brk.ends_at, hi))
            for entry, lo, hi in parts
            if max(brk.starts_at, lo) < min(brk.ends_at, hi)
        ]
        if not pieces:
            brk.delete()
            continue
        (entry, lo, hi), *rest = pieces
        if (brk.entry_id, brk.starts_at, brk.ends_at) != (entry.pk, lo, hi):
            brk.entry, brk.starts_at, brk.ends_at = entry, lo, hi
            brk.save()
        for entry, lo, hi in rest:
            TimeEntryBreak.objects.create(
                entry=entry, starts_at=lo, ends_at=hi, automatic=brk.automatic
            )


def make_room(*, entries: Sequence[TimeEntry], starts_at: datetime, ends_at: datetime) -> bool:
    """Delete, trim or split `entries` (the overlapping ones, none locked) so that nothing
    valid remains in [starts_at, ends_at). Returns whether anything changed.

    A trimmed or split entry counts as edited: its creationType becomes null. The second
    half of a split is a new entry (new id) with the original's type, comment, organization
    and approval status.
    """
    for entry in entries:
        breaks = list(entry.breaks.all())
        original_end = entry.ends_at
        keeps_head = entry.starts_at < starts_at
        keeps_tail = original_end > ends_at
        if not keeps_head and not keeps_tail:
            entry.delete()
            continue
        parts: list[tuple[TimeEntry, datetime, datetime]] = []
        entry.creation_type = None
        if keeps_head:
            entry.ends_at = starts_at
            entry.save()
            parts.append((entry, entry.starts_at, starts_at))
        if keeps_tail and keeps_head:
            tail = TimeEntry.objects.create(
                user_id=entry.user_id,
                starts_at=ends_at,
                ends_at=original_end,
                time_type=entry.time_type,
                comment=entry.comment,
                organization_id=entry.organization_id,
                approval_status=entry.approval_status,
                creation_type=None,
                is_valid=True,
            )
            parts.append((tail, ends_at, original_end))
        elif keeps_tail:
            entry.starts_at = ends_at
            entry.save()
            parts.append((entry, ends_at, original_end))
        _redistribute_breaks(breaks, parts)
    return bool(entries)


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


def local_iso(value: datetime, user: User) -> str:
    """An instant for a message, as the API renders it (user's zone, with offset)."""
    return value.astimezone(user.zone).isoformat(timespec="seconds")


def locked_entry_message(entry: TimeEntry, *, user: User) -> str:
    """Why a write was refused, with the blocking entry's times in the user's zone."""
    return (
        f"It overlaps time entry {entry.pk} ({local_iso(entry.starts_at, user)} to "
        f"{local_iso(entry.ends_at, user)}), which is "
        f"{entry.get_approval_status_display().lower()} and cannot be overwritten."
    )


def overlap_message(entry: TimeEntry, *, user: User) -> str:
    """Why a write that may not overwrite was refused."""
    return (
        f"It overlaps time entry {entry.pk} ({local_iso(entry.starts_at, user)} to "
        f"{local_iso(entry.ends_at, user)})."
    )


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
    if item.time_type is not UNSET:
        entry.time_type = item.time_type
    if item.comment is not UNSET:
        entry.comment = item.comment
    if item.organization is not UNSET:
        entry.organization = item.organization
    entry.creation_type = None
    # A disapproved entry that was corrected goes back into approval.
    entry.approval_status = ApprovalStatus.NOT_APPROVED_YET
    return entry


@transaction.atomic
def delete_time_entry(*, entry: TimeEntry) -> None:
    """Delete an invalid clocking entry or an entry that is not (being) approved."""
    # A concurrent approval must not slip in between our status check and the delete.
    lock_user(user_id=entry.user_id)
    current = TimeEntry.objects.filter(pk=entry.pk).first()
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


# Which statuses each back-office transition starts from.
_APPROVAL_SOURCES = {
    ApprovalStatus.APPROVED: {
        ApprovalStatus.NOT_APPROVED_YET,
        ApprovalStatus.UNDER_APPROVAL,
        ApprovalStatus.DISAPPROVED,
    },
    ApprovalStatus.EXPORTED: {ApprovalStatus.APPROVED},
    # Disapproval sends an entry back to its owner; approved and exported entries are final.
    ApprovalStatus.DISAPPROVED: {ApprovalStatus.NOT_APPROVED_YET, ApprovalStatus.UNDER_APPROVAL},
}


@transaction.atomic
def set_approval_status(*, entries: Iterable[TimeEntry], status: str) -> int:
    """Approve or disapprove valid entries, or mark approved ones exported; returns how many
    changed.

    Invalid entries are never approved: they are not part of anyone's working time.
    """
    sources = _APPROVAL_SOURCES[ApprovalStatus(status)]
    ids = [entry.pk for entry in entries]
    # Race: a stop or POST /times of the same user checks approval under the user's lock
    # and then deletes or trims; approving in between would let it destroy an approved
    # entry. Lock the owners (in id order, against deadlocks), then re-read.
    owners = TimeEntry.objects.filter(pk__in=ids).values_list("user_id", flat=True)
    for user_id in sorted(set(owners)):
        lock_user(user_id=user_id)
    changed = 0
    for entry in TimeEntry.objects.filter(pk__in=ids):
        if entry.is_valid and entry.approval_status in sources:
            entry.approval_status = status
            entry.save(update_fields=["approval_status", "updated_at"])
            changed += 1
    return changed
