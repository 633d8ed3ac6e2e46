"""Writing one batch: the locks and bulk operations every source's `write` is made of."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Model
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from imports.bulk import bulk_insert
from imports.sources.errors import BatchRejected

if TYPE_CHECKING:
    from imports.sources.base import Prepared


def lock_rows_to_update(model: type[Model], updates: list[Prepared], noun: str) -> dict[Any, Any]:
    """The rows `updates` replace, locked; BatchRejected if any was deleted meanwhile.

    The runner saw each row when it read the ledger; a DELETE through the API or the admin
    may have removed it since. Updating nothing (or re-creating it behind the deleter's
    back) would be wrong either way: the batch fails and says which record and why.
    """
    pk_of = model._meta.pk.to_python  # the ledger keeps ids as text (integers, UUIDs)
    rows = model._default_manager.select_for_update().in_bulk(
        sorted(pk_of(p.object_id) for p in updates)
    )
    gone = {
        p.record.source_id: (
            f"{noun} {p.object_id}, which this record was imported as, was deleted while the "
            "batch was being imported; run the import again to re-create it"
        )
        for p in updates
        if pk_of(p.object_id) not in rows
    }
    if gone:
        raise BatchRejected(gone)
    return rows


def insert_rows(model: type[Model], creates: list[Prepared], **fixed: Any) -> dict[str, str]:
    """One new row (with its history row) per record, its values and `fixed`, in one COPY.
    Returns {source_id: new id}."""
    pks = bulk_insert(model, [{"user_id": p.user.pk, **p.values, **fixed} for p in creates])
    return {p.record.source_id: str(pk) for p, pk in zip(creates, pks, strict=True)}


def apply_updates(
    model: type[Model],
    rows: dict[Any, Any],
    updates: list[Prepared],
    *,
    at: datetime | None = None,
    **fixed: Any,
) -> dict[str, str]:
    """Set each locked row (lock_rows_to_update) to its record's user and values, `fixed`,
    and `updated_at` (bulk_update does not apply auto_now; `updated_after` filters must see
    it), `at` or now. Returns {source_id: row id}; save_updates writes them."""
    pk_of = model._meta.pk.to_python
    now = at or timezone.now()
    ids = {}
    for prepared in updates:
        row = rows[pk_of(prepared.object_id)]
        row.user = prepared.user
        for field, value in (*prepared.values.items(), *fixed.items()):
            setattr(row, field, value)
        row.updated_at = now
        ids[prepared.record.source_id] = str(row.pk)
    return ids


def save_updates(model: type[Model], rows: dict[Any, Any], fields: tuple[str, ...]) -> None:
    """Write the rows apply_updates changed, each with its '~' history row."""
    bulk_update_with_history(
        list(rows.values()),
        model,
        [*fields, "user", "updated_at"],
        batch_size=1000,
        default_change_reason="Imported",
    )
