"""Fast bulk inserts for imports: PostgreSQL COPY, with the change history written alongside.

Django's bulk_create spends most of its time building model instances and compiling one
huge INSERT; COPY streams plain value rows with no SQL per row. Primary keys are taken
from the table's sequence up front and returned. On other databases (the SQLite quick
start) the same call falls back to bulk_create.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import Field, ForeignKey, Lookup, Model
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

BATCH = 1000


def bulk_insert(
    model: type[Model], rows: Sequence[dict[str, Any]], *, history: bool = True
) -> list[Any]:
    """Insert `rows` (field attname → value; unset fields take their defaults) and, if
    `history`, one '+' history row each. Returns the new primary keys, in order."""
    if not rows:
        return []
    if connection.vendor != "postgresql":
        objects = [model(**row) for row in rows]
        if history:
            bulk_create_with_history(objects, model, batch_size=BATCH)
        else:
            model._default_manager.bulk_create(objects, batch_size=BATCH)
        return [obj.pk for obj in objects]
    now = timezone.now()
    full_rows = _complete(model, rows, now)
    _copy(model, full_rows)
    if history:
        historical = model.history.model  # type: ignore[attr-defined]
        extra = {
            "history_date": now,
            "history_type": "+",
            "history_change_reason": "Imported",
            "history_user_id": None,
        }
        names = {f.attname for f in historical._meta.concrete_fields} - {"history_id"}
        _copy(
            historical,
            [{k: v for k, v in {**row, **extra}.items() if k in names} for row in full_rows],
        )
    pk = model._meta.pk.attname
    return [row[pk] for row in full_rows]


def _complete(model: type[Model], rows: Sequence[dict[str, Any]], now) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """Every concrete column filled: allocated pk, auto_now(_add) = now, defaults."""
    meta = model._meta
    pk = meta.pk
    fixed: dict[str, Any] = {}
    per_row: list[Any] = []
    for field in meta.concrete_fields:
        if field is pk and pk.get_internal_type() in ("AutoField", "BigAutoField"):
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            fixed[field.attname] = now
        elif field.has_default() and callable(field.default):
            per_row.append(field)
        else:
            fixed[field.attname] = field.get_default()
    completed = []
    for row in rows:
        full = {**fixed, **{f.attname: f.get_default() for f in per_row}, **row}
        completed.append(full)
    if pk.get_internal_type() in ("AutoField", "BigAutoField"):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(%s::regclass) FROM generate_series(1, %s)",
                [_sequence(meta.db_table, pk.column), len(completed)],
            )
            for full, (value,) in zip(completed, cursor.fetchall(), strict=True):
                full[pk.attname] = value
    return completed


@functools.cache
def _sequence(table: str, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
        return cursor.fetchone()[0]


def _copy(model: type[Model], rows: list[dict[str, Any]]) -> None:
    columns = list(rows[0])
    column_of = {f.attname: f.column for f in model._meta.concrete_fields}
    quoted = ", ".join(connection.ops.quote_name(column_of[c]) for c in columns)
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({quoted}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row([row[c] for c in columns])


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
