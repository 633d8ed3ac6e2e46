"""Tamper-evident history: every history row is chained per user.

Each history row (django-simple-history's historical models that use `ChainedHistory` as a
base) stores the user it belongs to, its position in that user's chain, the previous row's
hash and its own hash: SHA-256 over the previous hash and the row's canonical content. A
direct `UPDATE` or `DELETE` of a history row breaks the chain; `manage.py verify_history`
finds it.

The chain head of each user (`closing.ChainHead`: last position and hash) is locked while a
row is appended, so two transactions can never give two rows the same position. Writes
already hold the user's row lock, so in practice the head lock never waits.

Shared plumbing (like config.api): the apps' models import only `ChainedHistory`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import connection, models, transaction

from config.canonical import digest

GENESIS = "0" * 64


class ChainedHistoryManager(models.Manager):
    def bulk_create(self, objs, *args, **kwargs):  # type: ignore[no-untyped-def]
        # simple_history's bulk_create_with_history / bulk_update_with_history end here.
        objs = list(objs)
        # Atomic: the head lock must last until the rows are in (a save in autocommit mode).
        # No savepoint: a failure here fails the caller's transaction anyway.
        with transaction.atomic(savepoint=False):
            stamp([o for o in objs if not o.chain_hash])
            return super().bulk_create(objs, *args, **kwargs)


class ChainedHistory(models.Model):
    """Base of every chained historical model (`HistoricalRecords(bases=[ChainedHistory])`)."""

    chain_user_id = models.BigIntegerField(null=True, blank=True, editable=False, db_index=True)
    chain_seq = models.BigIntegerField(null=True, blank=True, editable=False)
    chain_prev = models.CharField(max_length=64, blank=True, default="", editable=False)
    chain_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    # Who made the change (history_user at the time), kept when that user is deleted.
    chain_actor_id = models.BigIntegerField(null=True, blank=True, editable=False)

    objects = ChainedHistoryManager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A history row is written inside its change's transaction; a savepoint of its own
        # would cost two round trips per write and protect nothing (its failure fails the
        # change).
        with transaction.atomic(savepoint=False):
            if not self.chain_hash:
                stamp([self])
            super().save(*args, **kwargs)


def _entry_owners(entry_ids: set[Any]) -> dict[Any, int]:
    """Users of time entries (alive, else from their history), in two queries."""
    entry_model = apps.get_model("clock", "TimeEntry")
    owners = dict(entry_model.objects.filter(pk__in=entry_ids).values_list("pk", "user_id"))
    missing = entry_ids - owners.keys()
    if missing:
        history = entry_model.history.filter(id__in=missing).order_by("history_id")
        owners.update(history.values_list("id", "user_id"))
    return owners


def chain_user_of(row: Any, entry_owners: dict[Any, int] | None = None) -> int | None:
    """Whose chain a history (or tombstone) row belongs to."""
    label = row._meta.label_lower
    if label == "accounts.historicaluser":
        return row.id
    if hasattr(row, "user_id"):
        return row.user_id
    if hasattr(row, "entry_id"):  # a time entry's break: its entry's user
        owners = entry_owners if entry_owners is not None else _entry_owners({row.entry_id})
        return owners.get(row.entry_id)
    return None


def lock_heads(user_ids: Iterable[int]) -> dict[int, Any]:
    """The chain heads of `user_ids`, created if missing, locked in id order (no deadlock).

    One query when every head exists (every write but a user's first): creating the
    missing heads first would cost an INSERT on every write.
    """
    head_model = apps.get_model("closing", "ChainHead")
    ids = sorted(set(user_ids))
    heads = head_model.objects.select_for_update().filter(user_id__in=ids).order_by("user_id")
    locked = {head.user_id: head for head in heads}
    missing = [i for i in ids if i not in locked]
    if missing:
        head_model.objects.bulk_create(
            [head_model(user_id=i) for i in missing], ignore_conflicts=True
        )
        # Re-read all of them in id order: a concurrent first write may have created one.
        locked = {head.user_id: head for head in heads.all()}
    return locked


def stamp(rows: Sequence[Any]) -> None:
    """Give each row (unsaved, in order) its place in its user's chain and its hash.

    Must run inside the transaction that saves the rows. Rows that belong to no user
    (none of the chained models has such rows) stay unchained.
    """
    links = open_links(rows)
    links.link()
    links.save_heads()


@dataclass
class PendingLinks:
    """Rows to be chained, with their users' heads locked (`open_links`). `link` computes
    their positions and hashes without touching the database, so that an import can do it
    while the database is busy with something else; `save_heads` then writes the heads."""

    owners: list[tuple[Any, int | None]]
    heads: dict[int, Any]

    def link(self) -> None:
        heads = self.heads
        for row, user_id in self.owners:
            if user_id is None:
                continue
            head = heads[user_id]
            row.chain_user_id = user_id
            row.chain_actor_id = getattr(row, "history_user_id", None)
            row.chain_seq = head.seq + 1
            row.chain_prev = head.hash
            row.chain_hash = digest(row)
            head.seq, head.hash = row.chain_seq, row.chain_hash

    def save_heads(self) -> None:
        _save_heads(list(self.heads.values()))


def open_links(rows: Sequence[Any]) -> PendingLinks:
    """The rows' owners, and their chain heads locked (the queries of `stamp`)."""
    entry_ids = {row.entry_id for row in rows if hasattr(row, "entry_id")}
    entry_owners = _entry_owners(entry_ids) if entry_ids else {}
    owners = [(row, chain_user_of(row, entry_owners)) for row in rows]
    heads = lock_heads(user_id for _, user_id in owners if user_id is not None)
    return PendingLinks(owners, heads)


def _save_heads(heads: list[Any]) -> None:
    """Write the heads' new positions and hashes: one literal UPDATE per head, sent as one
    batch (an import moves the heads of many users at once; Django's bulk_update would
    build a CASE expression per field and head, which costs more than the rows' hashes)."""
    if not heads:
        return
    meta = apps.get_model("closing", "ChainHead")._meta
    quote = connection.ops.quote_name
    seq, hash_, user = (quote(meta.get_field(name).column) for name in ("seq", "hash", "user_id"))
    sql = f"UPDATE {quote(meta.db_table)} SET {seq} = %s, {hash_} = %s WHERE {user} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        if len(heads) == 1:  # an API write
            cursor.execute(sql, [heads[0].seq, heads[0].hash, heads[0].user_id])
        else:
            cursor.executemany(sql, [[head.seq, head.hash, head.user_id] for head in heads])


def chained_models() -> list[type[models.Model]]:
    """Every model whose rows are links of the per-user chains (history rows, tombstones)."""
    return [m for m in apps.get_models() if issubclass(m, ChainedHistory)]
