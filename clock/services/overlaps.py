"""Making room: McTime's overwrite rule, shared by POST /times and a stopped clock.

Valid entries of the user that a new span overlaps are deleted (entirely covered), trimmed
(partly covered) or split around it (containing it), their breaks clipped along. Entries
that are under approval, approved or exported are never touched; overlapping one refuses
the whole write. Also here: the overlap and closed-date checks every writer runs first, and
how a refusal names the entry in the way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from uuid import UUID

from accounts.models import User
from clock.models import LOCKED_APPROVAL_STATUSES, TimeEntry, TimeEntryBreak
from closing.services import ensure_span_open, local_span


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
