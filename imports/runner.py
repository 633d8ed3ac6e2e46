"""Runs one import: batches in, counts and a report out.

Each batch (a file, or a page of the live API) is written in one transaction: one rejected
record leaves the whole batch unwritten. A dry run takes the same path inside an outer
transaction that is rolled back at the end, so it validates against the real database
constraints and writes nothing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from config.db import storable
from imports.bulk import bulk_insert
from imports.client import SourceClient
from imports.closed import closed_reasons
from imports.collector import collector_paused
from imports.copying import in_spare_time
from imports.known import imported_records
from imports.models import ImportedRecord
from imports.pages import ReadAhead
from imports.sources.base import Prepared, Source, SourceRecord
from imports.sources.errors import BatchRejected, RecordRejected
from imports.users import UserResolver


@dataclass
class Counts:
    """A line for each record that was not written, and how many records ended how."""

    problems: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    failed: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged + self.skipped + self.failed

    def summary(self) -> str:
        return (
            f"created {self.created} / updated {self.updated} / unchanged {self.unchanged} / "
            f"skipped {self.skipped} / failed {self.failed}"
        )


class DryRunRollback(Exception):
    """Raised at the end of a dry run to roll everything back."""


class ImportRunner:
    def __init__(
        self,
        source: Source,
        *,
        dry_run: bool = False,
        create_users: bool = False,
        client: SourceClient | None = None,
        report: Callable[[str], None] = print,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.source = source
        self.dry_run = dry_run
        self.client = client
        self.report = report
        self.progress = progress or (lambda n: None)
        self.create_users = create_users
        self.counts = Counts()

    def run(self, batches: Iterable[tuple[str, Any]]) -> Counts:
        # A real run commits batch by batch; a dry run nests them in one transaction that
        # is rolled back at the end.
        outer = transaction.atomic() if self.dry_run else contextlib.nullcontext()
        try:
            with outer:
                self.resolver = UserResolver(
                    source=self.source.name, create_users=self.create_users
                )
                pages = ReadAhead(batches, self._read)
                for page in pages:
                    # Local files are read one ahead, while the database checks this batch;
                    # a live source's next page is asked for only when its turn comes, so
                    # that no batch holds its locks while waiting for the network.
                    ahead = in_spare_time(pages.read_next) if self.client is None else None
                    with ahead or contextlib.nullcontext():
                        self.run_batch(page)
                if self.dry_run:
                    raise DryRunRollback
        except DryRunRollback:
            pass
        return self.counts

    # --- one batch -------------------------------------------------------------------------
    def _read(self, batch: tuple[str, Any]) -> _Page:
        """A batch's records, parsed (no database involved)."""
        label, payload = batch
        if isinstance(payload, RecordRejected):
            return _Page(label, failure=str(payload))
        try:
            items = self.source.items(payload)
        except RecordRejected as exc:
            return _Page(label, failure=str(exc))
        records, reasons = self._records(items)
        return _Page(label, size=len(items), records=records, reasons=reasons)

    def run_batch(self, page: _Page) -> None:
        if page.failure is not None:
            self._problem(f"FAILED {page.label}: {page.failure}")
            self.counts.failed += 1
            return
        with collector_paused():
            self._write_records(page)
        self.progress(page.size)

    def _write_records(self, page: _Page) -> None:
        label, records, reasons = page.label, page.records, page.reasons
        batch = _Batch()
        try:
            # Each batch commits durably (synchronous_commit stays on): a batch the import
            # reported as written survives a crash.
            with transaction.atomic():
                # Users matched or created for this batch are rolled back with it.
                batch = self._prepare(records, reasons)
                if reasons:
                    raise BatchRejected(reasons)
                self._write(batch)
        except BatchRejected as exc:
            self._reject_batch(label, exc.reasons, batch)
        except IntegrityError as exc:
            # The database refused what the checks let through (e.g. a concurrent writer).
            self._reject_batch(label, {"": f"database refused the batch: {exc}"}, batch)
        else:
            self.resolver.batch_succeeded()
            self.counts.created += len(batch.creates)
            self.counts.updated += len(batch.updates)
            self.counts.unchanged += batch.unchanged
            self.report(
                f"{label}: {page.size} records — created {len(batch.creates)}, updated "
                f"{len(batch.updates)}, unchanged {batch.unchanged}, skipped {batch.skipped}"
            )

    def _records(self, items: list[dict[str, Any]]) -> tuple[list[SourceRecord], dict[str, str]]:
        records: list[SourceRecord] = []
        reasons: dict[str, str] = {}
        seen: set[str] = set()
        for index, item in enumerate(items):
            try:
                record = self.source.source_record(item)
            except RecordRejected as exc:
                reasons[f"#{index + 1}"] = str(exc)
                continue
            if not storable("".join((record.source_id, *vars(record.user).values()))):
                reasons[f"#{index + 1}"] = "NUL or unpaired surrogate in its id or user: unstorable"
                continue
            if record.source_id in seen:
                reasons[record.source_id] = "appears twice in the same batch"
                continue
            seen.add(record.source_id)
            records.append(record)
        return records, reasons

    def _prepare(self, records: list[SourceRecord], reasons: dict[str, str]) -> _Batch:
        batch = _Batch()
        ledger = imported_records(self.source.name, [r.source_id for r in records])
        alive = (
            {
                str(pk)
                for pk in self.source.model._default_manager.filter(
                    pk__any=[e.object_id for e in ledger.values()]
                ).values_list("pk", flat=True)
            }
            if ledger
            else set()
        )
        users = self._users(records)
        for record in records:
            user = users[record.user.external_id]
            if user is None:
                batch.skipped += 1
                self.counts.skipped += 1
                self._problem(
                    f"SKIPPED {self.source.name}:{record.source_id}: no Timebridge user for "
                    f"{self.source.label.split()[0]} {record.user.describe()} "
                    "(map it in the admin, or use --create-users)"
                )
                continue
            try:
                prepared = self.source.prepare(record, user)
            except RecordRejected as exc:
                reasons[record.source_id] = str(exc)
                continue
            entry = ledger.get(record.source_id)
            if entry is not None and entry.object_id in alive:
                if entry.checksum == prepared.checksum:
                    batch.unchanged += 1
                    continue
                prepared.object_id = entry.object_id
                batch.updates.append(prepared)
            else:
                batch.creates.append(prepared)
            batch.ledger[record.source_id] = entry
        return batch

    def _users(self, records: list[SourceRecord]) -> dict[str, User | None]:
        """The batch's users by external id, resolved together; live, a user that matches
        nobody is asked for again with the details the source's API has about it."""
        users = self.resolver.resolve_all([r.user for r in records])
        unmatched = {
            r.user.external_id: r.user for r in records if users[r.user.external_id] is None
        }
        if unmatched and self.client is not None:
            details = [self.source.fetch_user_details(self.client, r) for r in unmatched.values()]
            users |= self.resolver.resolve_all(details)
        return users

    def _write(self, batch: _Batch) -> None:
        # Locks the batch's users in id order (as every API write locks its user first), so
        # that no concurrent write changes what the checks below see until the batch commits.
        closed = closed_reasons(self.source.model, batch.creates, batch.updates)
        if closed:
            raise BatchRejected(closed)
        object_ids = self.source.write(creates=batch.creates, updates=batch.updates)
        now = timezone.now()
        new_entries: list[dict[str, str]] = []
        changed_entries: list[ImportedRecord] = []
        for prepared in [*batch.creates, *batch.updates]:
            source_id = prepared.record.source_id
            entry = batch.ledger.get(source_id)
            if entry is None:
                new_entries.append(
                    {
                        "source": self.source.name,
                        "source_id": source_id,
                        "object_id": str(object_ids[source_id]),
                        "checksum": prepared.checksum,
                    }
                )
            else:
                entry.object_id = str(object_ids[source_id])
                entry.checksum = prepared.checksum
                entry.updated_at = now  # bulk_update does not apply auto_now
                changed_entries.append(entry)
        bulk_insert(ImportedRecord, new_entries, history=False, keys=False)
        ImportedRecord.objects.bulk_update(
            changed_entries, ["object_id", "checksum", "updated_at"], batch_size=2000
        )

    def _reject_batch(self, label: str, reasons: dict[str, str], batch: _Batch) -> None:
        valid = {p.record.source_id for p in [*batch.creates, *batch.updates]} - reasons.keys()
        not_written = len(valid) + batch.unchanged
        self.resolver.batch_failed()
        self.source.batch_rolled_back()
        for source_id, reason in reasons.items():
            where = f"{self.source.name}:{source_id}" if source_id else label
            self._problem(f"FAILED {where}: {reason}")
        failed_records = len([k for k in reasons if k])
        self.counts.failed += failed_records or 1
        # The batch's valid records are not written either: they count as skipped.
        self.counts.skipped += not_written
        self.report(
            f"{label}: batch not written ({failed_records or 'the batch'} failed, "
            f"{not_written} valid records skipped with it)"
        )

    def _problem(self, line: str) -> None:
        self.counts.problems.append(line)
        self.report(line)


@dataclass
class _Page:
    """One batch as read: its records (and why others were rejected), or why it failed."""

    label: str
    failure: str | None = None
    size: int = 0
    records: list[SourceRecord] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)


@dataclass
class _Batch:
    creates: list[Prepared] = field(default_factory=list)
    updates: list[Prepared] = field(default_factory=list)
    unchanged: int = 0
    skipped: int = 0
    ledger: dict[str, ImportedRecord | None] = field(default_factory=dict)
