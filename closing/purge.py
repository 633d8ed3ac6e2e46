"""Retention: remove working-time records, and their history, older than a date.

A record is old when its day is before the cut-off: a presence's or working time's date, a
time entry's end, an out-of-office setting's end (one without an end is never old). A
deleted record counts by its last history row. The purge refuses a cut-off younger than the
legal minimum (settings.RETENTION_MINIMUM_DAYS, never below two years: §16(2) ArbZG) and
skips users under a legal hold. Each chain that loses links gets a tombstone listing their
positions and hashes, so `verify_history` still passes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from accounts.models import User
from accounts.services import lock_user
from clock.models import TimeEntry, TimeEntryBreak
from closing.models import Tombstone
from config.chain import lock_heads
from ooo.models import OutOfOffice
from presences.models import Presence
from workingtimes.models import WorkingTime

LEGAL_MINIMUM_DAYS = 730  # §16(2) ArbZG: two years


class RetentionRefused(Exception):
    pass


def minimum_days() -> int:
    return max(LEGAL_MINIMUM_DAYS, int(getattr(settings, "RETENTION_MINIMUM_DAYS", 0)))


def _two_years_before(today: dt.date) -> dt.date:
    # Calendar years: across a 29 February two years are 731 days, not 730.
    try:
        return today.replace(year=today.year - 2)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 2, day=28)


def latest_cutoff(today: dt.date) -> dt.date:
    """The latest cut-off allowed today: two calendar years back, or more by the setting."""
    return min(_two_years_before(today), today - dt.timedelta(days=minimum_days()))


def check_cutoff(before: dt.date, *, today: dt.date) -> None:
    """Refuse a cut-off later than today minus the legal minimum."""
    latest = latest_cutoff(today)
    if before > latest:
        raise RetentionRefused(
            f"--before {before} is too recent: records must be kept {minimum_days()} days "
            f"(§16(2) ArbZG), so the latest allowed cut-off is {latest}."
        )


@dataclass
class UserPurge:
    user_id: int
    records: dict[str, int] = field(default_factory=dict)
    history_rows: int = 0

    def line(self, *, dry_run: bool) -> str:
        verb = "would remove" if dry_run else "removed"
        parts = ", ".join(f"{n} {label}" for label, n in self.records.items() if n)
        return (
            f"user {self.user_id}: {verb} {parts or 'no records'} "
            f"and {self.history_rows} history rows"
        )


def _is_old(model: type[models.Model], row: Any, *, before: dt.date, zone: Any) -> bool:
    if model is Presence:
        return row.date < before
    if model is WorkingTime:
        return row.working_date < before
    cutoff = dt.datetime.combine(before, dt.time.min, tzinfo=zone)
    if model is TimeEntry:
        return row.ends_at <= cutoff
    return row.end_date is not None and row.end_date < cutoff  # OutOfOffice


def _old_ids(model: type[models.Model], user: User, *, before: dt.date) -> set[Any]:
    """Records of `user` that are old: alive ones by their row, deleted ones by their last
    history row."""
    alive = {row.pk: row for row in model._default_manager.filter(user_id=user.pk)}
    last: dict[Any, Any] = {}
    for row in model.history.filter(user_id=user.pk).order_by("history_id"):  # type: ignore[attr-defined]
        last[row.id] = row
    ids = set()
    for pk in set(alive) | set(last):
        row = alive.get(pk)
        if row is None:
            # A deleted record, or one that moved to another user: only the former is ours.
            if last[pk].history_type != "-" or model._default_manager.filter(pk=pk).exists():
                continue
            row = last[pk]
        if _is_old(model, row, before=before, zone=user.zone):
            ids.add(pk)
    return ids


@transaction.atomic
def purge_user(user: User, *, before: dt.date, dry_run: bool) -> UserPurge:
    # Lock: no write of this user may add history to a record while it is being removed.
    lock_user(user_id=user.pk)
    result = UserPurge(user_id=user.pk)
    removed: dict[int, list[tuple[int, str]]] = defaultdict(list)
    plan: list[tuple[type[models.Model], set[Any]]] = []
    for model, label in (
        (Presence, "presences"),
        (WorkingTime, "working times"),
        (TimeEntry, "time entries"),
        (OutOfOffice, "out-of-office settings"),
    ):
        ids = _old_ids(model, user, before=before)
        result.records[label] = model._default_manager.filter(pk__in=ids).count()
        if model is TimeEntry:
            break_ids = set(
                TimeEntryBreak.history.filter(entry_id__in=ids).values_list("id", flat=True)
            )
            plan.append((TimeEntryBreak, break_ids))
        plan.append((model, ids))
    for model, ids in plan:
        history = model.history.filter(id__in=ids)  # type: ignore[attr-defined]
        for user_id, seq, hash_ in history.values_list("chain_user_id", "chain_seq", "chain_hash"):
            if user_id is not None:
                removed[user_id].append((seq, hash_))
        result.history_rows += history.count()
    if dry_run:
        return result
    for model, ids in plan:
        model.history.filter(id__in=ids).delete()  # type: ignore[attr-defined]
        # A raw delete: no signals, so no "deleted" history rows for what is being purged.
        model._default_manager.filter(pk__in=ids)._raw_delete(model._default_manager.db)
    lock_heads(removed)
    now = timezone.now()
    for user_id, links in sorted(removed.items()):
        Tombstone(
            user_id=user_id,
            created_at=now,
            before=before,
            removed=sorted([seq, hash_] for seq, hash_ in links),
            summary=result.line(dry_run=False),
        ).save()
    return result


def purge(*, before: dt.date, dry_run: bool, report: Any = print) -> list[UserPurge]:
    check_cutoff(before, today=timezone.localdate())
    results = []
    for user in User.objects.order_by("pk"):
        if user.legal_hold:
            report(f"user {user.pk}: skipped (legal hold)")
            continue
        result = purge_user(user, before=before, dry_run=dry_run)
        if result.history_rows or any(result.records.values()):
            report(result.line(dry_run=dry_run))
        results.append(result)
    return results
