"""Writing a batch of McTime time entries: no overlaps, their organizations, and their
breaks (which keep their McTime ids where they can)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone

from accounts.models import Organization
from clock.models import TimeEntry, TimeEntryBreak
from clock.services.entries import local_iso
from imports.bulk import bulk_insert
from imports.sources.base import Prepared
from imports.sources.errors import BatchRejected
from imports.sources.writing import apply_updates, lock_rows_to_update, save_updates

FIELDS = (
    "starts_at",
    "ends_at",
    "time_type",
    "category",
    "comment",
    "approval_status",
    "creation_type",
    "is_valid",
)


@dataclass
class PreparedEntry(Prepared):
    # The source's break ids, in the order of extra["breaks"]. Not part of the checksum:
    # they are not content, and McTime makes new ones whenever breaks are re-sent.
    break_ids: tuple[str | None, ...] = ()


def write_entries(creates: list[Prepared], updates: list[Prepared]) -> dict[str, str]:
    """The batch's entries and breaks; {source_id: entry id}."""
    incoming = [*creates, *updates]
    # A concurrent API write for one of these users could fill a span this check saw free:
    # the runner has locked the users first (imports.closed). Then the rows this batch
    # replaces (a DELETE /times/{id} may have removed one).
    entries = lock_rows_to_update(TimeEntry, updates, "time entry") if updates else {}
    check_no_overlap(creates, updates)
    organizations = organizations_by_name({p.extra["organization"] for p in incoming})
    now = timezone.now()

    # A new entry keeps its McTime id when no row has it yet, so that clients holding
    # entry ids (DELETE /times/{id}, edits by id) still find it; otherwise (the source is
    # this very database, as in the round-trip test) it gets a new one.
    taken = set(
        TimeEntry.objects.filter(pk__any=[p.record.source_id for p in creates]).values_list(
            "pk", flat=True
        )
    )
    rows = []
    for prepared in creates:
        pk = uuid.UUID(prepared.record.source_id)
        rows.append(
            {
                "id": uuid.uuid4() if pk in taken else pk,
                "user_id": prepared.user.pk,
                **prepared.values,
                "organization_id": organizations.get(prepared.extra["organization"]),
                "created_at": now,
                "updated_at": now,
            }
        )
    pks = bulk_insert(TimeEntry, rows)
    ids = {p.record.source_id: str(pk) for p, pk in zip(creates, pks, strict=True)}
    new_breaks: list[tuple[Prepared, Any]] = list(zip(creates, pks, strict=True))

    if updates:
        stored_breaks: dict[Any, list[tuple[datetime, datetime, bool]]] = defaultdict(list)
        for entry_id, *span in TimeEntryBreak.objects.filter(
            entry_id__any=list(entries)
        ).values_list("entry_id", "starts_at", "ends_at", "automatic"):
            stored_breaks[entry_id].append(tuple(span))  # type: ignore[arg-type]
        ids |= apply_updates(TimeEntry, entries, updates, at=now)
        replaced = []
        for prepared in updates:
            entry = entries[uuid.UUID(prepared.object_id)]
            entry.organization_id = organizations.get(prepared.extra["organization"])
            if sorted(stored_breaks[entry.pk]) != list(prepared.extra["breaks"]):
                replaced.append(entry.pk)
                new_breaks.append((prepared, entry.pk))
        save_updates(TimeEntry, entries, (*FIELDS, "organization"))
        # Through the ORM's delete so that each removed break gets its history row.
        TimeEntryBreak.objects.filter(entry_id__any=replaced).delete()

    insert_breaks(new_breaks)
    return ids


def check_no_overlap(creates: list[Prepared], updates: list[Prepared]) -> None:
    """Valid entries of one user never overlap (spans half-open): within the batch and
    against the valid entries stored, read in one query. Invalid entries are exempt, as
    in the database constraint. A conflict is reported — never trimmed or merged the way
    POST /times or a stopped clock would."""
    valid = [p for p in [*creates, *updates] if p.values["is_valid"]]
    if not valid:
        return
    users = {p.user.pk: p.user for p in valid}
    spans: dict[int, list[tuple[datetime, datetime, str]]] = defaultdict(list)
    for prepared in valid:
        v = prepared.values
        spans[prepared.user.pk].append((v["starts_at"], v["ends_at"], prepared.record.source_id))
    existing = (
        TimeEntry.objects.filter(
            user_id__any=list(users),
            is_valid=True,
            starts_at__lt=max(p.values["ends_at"] for p in valid),
            ends_at__gt=min(p.values["starts_at"] for p in valid),
        )
        # Updated entries leave their stored spans.
        .exclude(pk__any=[p.object_id for p in updates])
        .values_list("pk", "user_id", "starts_at", "ends_at")
    )
    for pk, user_id, start, end in existing:
        spans[user_id].append((start, end, f"#{pk}"))
    reasons: dict[str, str] = {}
    for user_id, user_spans in spans.items():
        user = users[user_id]
        user_spans.sort()
        # Sweep by start: a span starting before the furthest end so far overlaps it.
        reach: tuple[datetime, datetime, str] | None = None
        for span in user_spans:
            if reach is not None and span[0] < reach[1]:
                culprit, other = (reach, span) if span[2].startswith("#") else (span, reach)
                if other[2].startswith("#"):
                    what = (
                        f"existing time entry {other[2][1:]} of user {user.username} "
                        f"({local_iso(other[0], user)} to {local_iso(other[1], user)}); "
                        "not merged or trimmed: delete or correct one of them first"
                    )
                else:
                    what = f"time entry {other[2]} of this batch (user {user.username})"
                if not culprit[2].startswith("#"):  # two stored entries: not ours to judge
                    reasons.setdefault(culprit[2], f"overlaps {what}")
            if reach is None or span[1] > reach[1]:
                reach = span
    if reasons:
        raise BatchRejected(reasons)


def insert_breaks(entries: list[tuple[Prepared, Any]]) -> None:
    """The breaks of new entries, and of updated entries whose breaks changed; a break keeps
    its McTime id when that is free, as entries do."""
    wanted = [b for p, _ in entries for b in p.break_ids if b]  # type: ignore[attr-defined]
    taken = set(TimeEntryBreak.objects.filter(pk__any=wanted).values_list("pk", flat=True))
    rows = []
    for prepared, entry_id in entries:
        for (start, end, automatic), break_id in zip(
            prepared.extra["breaks"],
            prepared.break_ids,  # type: ignore[attr-defined]
            strict=True,
        ):
            pk = uuid.UUID(break_id) if break_id else None
            if pk is None or pk in taken:
                pk = uuid.uuid4()
            taken.add(pk)
            rows.append(
                {
                    "id": pk,
                    "entry_id": entry_id,
                    "starts_at": start,
                    "ends_at": end,
                    "automatic": automatic,
                }
            )
    bulk_insert(TimeEntryBreak, rows)


def organizations_by_name(names: set[str | None]) -> dict[str | None, Any]:
    """Organization ids by name, picked as the API picks them (the oldest of a shared name).
    A name no organization has yet is created (in the batch's transaction), so that no
    entry loses its organization."""
    wanted = sorted(name for name in names if name)
    found: dict[str | None, Any] = {}
    if not wanted:
        return found
    for pk, name in (
        Organization.objects.filter(name__any=wanted)
        .order_by("-created_at", "-id")
        .values_list("pk", "name")
    ):
        found[name] = pk  # the oldest comes last and wins
    missing = [Organization(name=name) for name in wanted if name not in found]
    Organization.objects.bulk_create(missing)
    found.update({o.name: o.pk for o in missing})
    return found
