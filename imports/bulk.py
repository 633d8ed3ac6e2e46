"""Fast bulk inserts for imports: PostgreSQL binary COPY, with the change history alongside.

Django's bulk_create spends most of its time building model instances and compiling one
huge INSERT; COPY streams plain value rows with no SQL per row, and its binary format spares
the server from parsing dates and times out of text. Primary keys are taken from the
table's sequence up front and returned. On other databases (the SQLite quick start) the same
call falls back to bulk_create.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import attrgetter, itemgetter
from typing import Any

from django.db import connection
from django.db.models import Field, ForeignKey, Lookup, Model
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from config.chain import open_links
from imports.copying import copy_rows

BATCH = 1000
# What the history row of an imported record says besides the record's own values.
HISTORY_EXTRA = ("history_date", "history_type", "history_change_reason", "history_user_id")
# Its place in the user's history chain (config.chain), computed here as `save()` would.
CHAIN = ("chain_user_id", "chain_seq", "chain_prev", "chain_hash", "chain_actor_id")


def bulk_insert(
    model: type[Model], rows: Sequence[dict[str, Any]], *, history: bool = True, keys: bool = True
) -> list[Any]:
    """Insert `rows` (field attname → value; unset fields take their defaults) and, if
    `history`, one '+' history row each. Returns the new primary keys, in order; with
    `keys=False` (no history, an auto-increment key) the table numbers the rows itself,
    which saves asking the sequence for them, and nothing is returned."""
    if not rows:
        return []
    if not keys:
        if history:
            raise ValueError("history rows need the records' keys")
        if connection.vendor == "postgresql":
            plan = _unkeyed_plan(model)
            _copy(plan, plan.complete(rows, timezone.now()))
            return []
    if connection.vendor != "postgresql":
        objects = [model(**row) for row in rows]
        if history:
            bulk_create_with_history(
                objects, model, batch_size=BATCH, default_change_reason="Imported"
            )
        else:
            model._default_manager.bulk_create(objects, batch_size=BATCH)
        return [obj.pk for obj in objects] if keys else []
    now = timezone.now()
    plan = _plan(model)
    values = plan.complete(rows, now)
    if plan.sequence:
        pks = _allocate(plan.sequence, len(values))
        values = [(pk, *row) for pk, row in zip(pks, values, strict=True)]
    if history:
        _copy_with_history(model, plan, values, now)
    else:
        _copy(plan, values)
    pk = plan.columns.index(model._meta.pk.attname)
    return [row[pk] for row in values]


def _copy_with_history(model: type[Model], plan: _Plan, values: list[tuple], now: Any) -> None:
    """COPY the rows, then their '+' history rows with their chain columns: the same
    hashes a saved history row gets. The heads are locked first; the hashes are computed
    while the server checks the records' COPY (imports.copying)."""
    historical = _history_plan(model)
    picks = _tuple_getter([plan.columns.index(c) for c in historical.tracked])
    extra = (now, "+", "Imported", None)  # in HISTORY_EXTRA order
    history_rows = [(*picks(row), *extra) for row in values]
    names = historical.columns[: len(historical.columns) - len(CHAIN)]
    instances = _unsaved_rows(model.history.model, names, history_rows)  # type: ignore[attr-defined]
    links = open_links(instances)
    chained: list[tuple[Any, ...]] = []

    def link() -> None:
        links.link()
        chain_of = attrgetter(*CHAIN)
        chained.extend(
            (*row, *chain_of(obj)) for row, obj in zip(history_rows, instances, strict=True)
        )

    _copy(plan, values, meanwhile=link)
    links.save_heads()
    _copy(historical, chained)


def _unsaved_rows(
    history_model: type[Model], names: Sequence[str], rows: list[tuple[Any, ...]]
) -> list[Model]:
    """History rows as instances for the chain (`stamp`) only, never saved: their values set
    straight into each instance's `__dict__`, the other fields' defaults (the chain's columns
    and the primary key) first. `Model.__init__` would cost a fifth of an import's CPU."""
    defaults = {
        field.attname: field.get_default()
        for field in history_model._meta.concrete_fields
        if field.attname not in names
    }
    instances = []
    for row in rows:
        instance = history_model.__new__(history_model)
        instance.__dict__.update(defaults)
        instance.__dict__.update(zip(names, row, strict=True))
        instances.append(instance)
    return instances


def _tuple_getter(keys: Sequence[Any]) -> Callable[[Any], tuple[Any, ...]]:
    """itemgetter that returns a tuple for one key too."""
    if len(keys) == 1:
        key = keys[0]
        return lambda item: (item[key],)
    return itemgetter(*keys)


@dataclass(frozen=True)
class _Plan:
    """How to COPY one model's rows: the columns in order, and what fills them."""

    table: str
    columns: tuple[str, ...]  # attnames, in COPY order; an allocated pk first
    db_columns: tuple[str, ...]
    fields: tuple[Field, ...]  # the columns a row gives or defaults fill (not an allocated pk)
    sequence: str | None = None  # where an auto-increment pk's values come from
    tracked: tuple[str, ...] = ()  # history plans: the columns copied from the record

    def complete(self, rows: Sequence[dict[str, Any]], now: Any) -> list[tuple[Any, ...]]:
        """One tuple per row in `fields` order: the row's value, else `now` (auto_now(_add)
        and `default=timezone.now`: one instant for the batch), else the field's default (a
        callable one called per row)."""
        fixed: dict[str, Any] = {}
        per_row: list[Field] = []
        for field in self.fields:
            stamped = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
            if stamped or field.default is timezone.now:
                fixed[field.attname] = now
            elif field.has_default() and callable(field.default):
                per_row.append(field)
            else:
                fixed[field.attname] = field.get_default()
        ordered = _tuple_getter([f.attname for f in self.fields])
        completed = []
        for row in rows:
            full = {**fixed, **row}
            for field in per_row:
                if field.attname not in full:
                    full[field.attname] = field.get_default()
            completed.append(ordered(full))
        return completed


@functools.cache
def _plan(model: type[Model]) -> _Plan:
    meta = model._meta
    pk = meta.pk
    if pk.get_internal_type() in ("AutoField", "BigAutoField", "SmallAutoField"):
        fields = tuple(f for f in meta.concrete_fields if f is not pk)
        return _Plan(
            table=meta.db_table,
            columns=(pk.attname, *(f.attname for f in fields)),
            db_columns=(pk.column, *(f.column for f in fields)),
            fields=fields,
            sequence=_sequence(meta.db_table, pk.column),
        )
    fields = tuple(meta.concrete_fields)
    return _Plan(
        table=meta.db_table,
        columns=tuple(f.attname for f in fields),
        db_columns=tuple(f.column for f in fields),
        fields=fields,
    )


@functools.cache
def _unkeyed_plan(model: type[Model]) -> _Plan:
    """The plan without its allocated key: the column's default numbers the rows."""
    plan = _plan(model)
    if plan.sequence is None:
        raise ValueError(f"{model._meta.label} has no auto-increment key")
    return _Plan(plan.table, plan.columns[1:], plan.db_columns[1:], plan.fields)


@functools.cache
def _history_plan(model: type[Model]) -> _Plan:
    """The record's own columns, then HISTORY_EXTRA; history_id is left to its sequence."""
    meta = model.history.model._meta  # type: ignore[attr-defined]
    own = [
        f
        for f in meta.concrete_fields
        if f is not meta.pk and f.attname not in HISTORY_EXTRA and f.attname not in CHAIN
    ]
    fields = (
        *own,
        *(meta.get_field(name.removesuffix("_id")) for name in HISTORY_EXTRA),
        *(meta.get_field(name) for name in CHAIN),
    )
    return _Plan(
        table=meta.db_table,
        columns=tuple(f.attname for f in fields),
        db_columns=tuple(f.column for f in fields),
        fields=fields,
        tracked=tuple(f.attname for f in own),
    )


def _sequence(table: str, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
        return cursor.fetchone()[0]


def _allocate(sequence: str, count: int) -> list[int]:
    """`count` new values of `sequence` in one round trip (safe beside concurrent writers)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, count]
        )
        return [value for (value,) in cursor.fetchall()]


@functools.cache
def _column_types(table: str, columns: tuple[str, ...]) -> tuple[int, ...]:
    """Each column's type oid: binary COPY converts nothing, so the types must be stated."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname, atttypid FROM pg_attribute "
            "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
            [connection.ops.quote_name(table)],
        )
        oids = dict(cursor.fetchall())
    return tuple(oids[c] for c in columns)


def _copy(plan: _Plan, rows: list[tuple[Any, ...]], **options: Any) -> None:
    types = _column_types(plan.table, plan.db_columns)
    copy_rows(plan.table, plan.db_columns, types, rows, **options)


class AnyOf(Lookup):
    """`field__any=[…]`: `field = ANY(%s)` with the list as one array parameter on
    PostgreSQL. Django's `__in` sends one placeholder per value, which psycopg composes on
    the client; for the thousand ids of a batch that costs milliseconds per query."""

    lookup_name = "any"

    def as_sql(self, compiler, connection):  # type: ignore[no-untyped-def]
        lhs, lhs_params = self.process_lhs(compiler, connection)
        field = self.lhs.output_field
        values = [field.get_db_prep_value(v, connection, prepared=True) for v in self.rhs]
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*lhs_params, values]
        if not values:
            return "1 = 0", list(lhs_params)
        placeholders = ", ".join(["%s"] * len(values))
        return f"{lhs} IN ({placeholders})", [*lhs_params, *values]

    def get_prep_lookup(self):  # type: ignore[no-untyped-def]
        return [self.lhs.output_field.get_prep_value(v) for v in self.rhs]


Field.register_lookup(AnyOf)
ForeignKey.register_lookup(AnyOf)
