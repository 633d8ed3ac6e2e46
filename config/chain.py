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

import contextlib
import datetime as dt
import decimal
import functools
import hashlib
import json
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from django.apps import apps
from django.db import models, transaction

GENESIS = "0" * 64
# Never part of the hashed content: the hash itself, and the row's own primary key (given
# by a sequence only at INSERT, after the hash is computed; the position `chain_seq` orders).
# Nor simple_history's `history_user_id`: a foreign key that the database sets to NULL when
# that user is deleted. Its value at the time is hashed as `chain_actor_id` instead.
UNHASHED = frozenset({"chain_hash", "history_user_id"})


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


def _encode(value: Any) -> Any:
    kind = type(value)
    if value is None or kind is str or kind is int or kind is bool:  # most values: first
        return value
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        # 8, 8.0 and 8.00 are one amount; the database may return any of them.
        return format(value.normalize(), "f")
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    return str(value)


def field_value(row: Any, field: models.Field) -> Any:
    """A field's value as the database returns it (`to_python`), canonically encoded."""
    value = getattr(row, field.attname)
    if value is not None and not isinstance(field, models.JSONField):
        # A value the field cannot convert is hashed as it is.
        with contextlib.suppress(Exception):
            value = field.to_python(value)
    return _encode(value)


# Field classes whose `to_python` returns a value of exactly these types unchanged (equal):
# such a value skips the call. Exact types, as bool is an int (an IntegerField's
# `to_python(True)` is 1) and a datetime is a date (a DateField's `to_python` drops the time).
_UNCHANGED_BY_TO_PYTHON: tuple[tuple[type[models.Field], type], ...] = (
    (models.BooleanField, bool),
    (models.IntegerField, int),
    (models.CharField, str),
    (models.TextField, str),
    (models.DateTimeField, dt.datetime),
    (models.DateField, dt.date),
    (models.TimeField, dt.time),
    (models.DecimalField, decimal.Decimal),
    (models.UUIDField, uuid.UUID),
)


def _unchanged_type(field: models.Field) -> type | None:
    """The type whose values `field.to_python` returns unchanged, if it is one of the base
    implementations above (a subclass that overrides `to_python` gets none)."""
    converter = field.target_field if isinstance(field, models.ForeignKey) else field
    for base, kind in _UNCHANGED_BY_TO_PYTHON:
        if isinstance(converter, base):
            return kind if type(converter).to_python is base.to_python else None
    return None


@functools.cache
def _hashed_fields(model: type[models.Model]) -> tuple[tuple[str, type | None, Any], ...]:
    """(attname, type that needs no conversion, field) of every hashed field, per model."""
    return tuple(
        (f.attname, _unchanged_type(f), f)
        for f in model._meta.concrete_fields
        if f.attname not in UNHASHED and f is not model._meta.pk
    )


def canonical(row: Any) -> str:
    """The row's content as one JSON text: model, and every field that holds a value
    (`field_value` of each; values `to_python` would return unchanged skip the call).

    Empty (NULL) fields are left out, so that adding a nullable column to a history table
    later leaves the hashes of existing rows as they were; setting a field to NULL still
    changes the content (its key disappears).
    """
    fields = {}
    for name, unchanged, field in _hashed_fields(type(row)):
        value = getattr(row, name)
        if value is None:
            continue
        value = _encode(value) if type(value) is unchanged else field_value(row, field)
        if value is not None:
            fields[name] = value
    return _text(row, fields)


def canonical_by_field_value(row: Any) -> str:
    """`canonical` without the shortcut: `field_value` of every field (its definition, kept
    for the test that pins the two to the same text)."""
    values = ((name, field_value(row, field)) for name, _, field in _hashed_fields(type(row)))
    return _text(row, {name: value for name, value in values if value is not None})


def _text(row: Any, fields: dict[str, Any]) -> str:
    return json.dumps(
        {"model": row._meta.label_lower, "fields": fields},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )


def digest(row: Any) -> str:
    """The row's hash: over the previous row's hash and the row's canonical content."""
    text = f"{row.chain_prev}\n{canonical(row)}"
    return hashlib.sha256(text.encode()).hexdigest()


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
    entry_ids = {row.entry_id for row in rows if hasattr(row, "entry_id")}
    entry_owners = _entry_owners(entry_ids) if entry_ids else {}
    owners = [(row, chain_user_of(row, entry_owners)) for row in rows]
    heads = lock_heads(user_id for _, user_id in owners if user_id is not None)
    for row, user_id in owners:
        if user_id is None:
            continue
        head = heads[user_id]
        row.chain_user_id = user_id
        row.chain_actor_id = getattr(row, "history_user_id", None)
        row.chain_seq = head.seq + 1
        row.chain_prev = head.hash
        row.chain_hash = digest(row)
        head.seq, head.hash = row.chain_seq, row.chain_hash
    head_model = apps.get_model("closing", "ChainHead")
    if len(heads) == 1:  # an API write: a plain UPDATE, cheaper to build than bulk's CASE
        (head,) = heads.values()
        head_model.objects.filter(pk=head.pk).update(seq=head.seq, hash=head.hash)
    elif heads:
        # One UPDATE for all heads: an import stamps the rows of many users at once.
        head_model.objects.bulk_update(list(heads.values()), ["seq", "hash"])


def chained_models() -> list[type[models.Model]]:
    """Every model whose rows are links of the per-user chains (history rows, tombstones)."""
    return [m for m in apps.get_models() if issubclass(m, ChainedHistory)]
