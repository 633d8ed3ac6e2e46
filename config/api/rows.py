"""List pages as rows, not model instances: page sources (config/api/dialects/base.py,
`PageSource`) for the list endpoints that render rows (docs/moco-presences.md, "How the
list is rendered").

- `QueryRows`: any queryset, paged as `values_list` rows;
- `LiteralRows`: the same rows from two literal statements (COUNT, page) for the simple
  conditions a list's parameters produce. Building, cloning and compiling two querysets
  costs a list page more CPU than rendering its 100 rows. Names are quoted and values
  prepared by the model fields and the backend's operations, and values read are converted
  by Django's converters, as the ORM does, so SQLite reads what PostgreSQL reads; each
  app's tests check the rows and totals against the ORM's.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.models import DateTimeField, Field, QuerySet
from django.db.models.expressions import Col

from config.instants import EPOCH_MICROS_SQL, from_micros


@dataclass(frozen=True)
class QueryRows:
    """`queryset` as a page source: its COUNT and one page of `values_list(*columns)` rows,
    in the queryset's order.

    The COUNT runs on `queryset` itself, so it joins no table that only the page's columns
    need; no page query is sent for a page past the end (as for a queryset source).
    """

    queryset: QuerySet
    columns: Sequence[str]

    def window(self, offset: int, limit: int) -> tuple[int, list[tuple[Any, ...]]]:
        total = self.queryset.count()
        if offset >= total:
            return total, []
        return total, list(self.queryset.values_list(*self.columns)[offset : offset + limit])


# `filter()` lookups LiteralRows understands (any other reads as a field name: an error).
_OPERATORS = {"": "=", "gte": ">=", "lte": "<=", "gt": ">", "lt": "<", "in": "IN"}
_RECORD = "r"  # the records' alias; a joined relation's alias is its field name, quoted


def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def _field(model: type[models.Model], name: str) -> Field:
    return model._meta.pk if name == "pk" else model._meta.get_field(name)  # type: ignore[return-value]


@functools.cache
def _path(model: type[models.Model], name: str) -> tuple[str | None, Field]:
    """`name`, a field of the record (`user_id` too) or `relation__field` for a field of a
    record's foreign key, as that relation (None for the record's own) and the field."""
    relation, _, rest = name.partition("__")
    if not rest:
        return None, _field(model, name)
    return relation, _field(_field(model, relation).related_model, rest)  # type: ignore[arg-type]


def _lookup(key: str) -> tuple[str, str]:
    """A condition's name and lookup (`""` for exact)."""
    name, _, lookup = key.rpartition("__")
    return (name, lookup) if name and lookup in _OPERATORS else (key, "")


@functools.cache
def _column(model: type[models.Model], name: str) -> str:
    relation, field = _path(model, name)
    return f"{_RECORD if relation is None else _quoted(relation)}.{_quoted(field.column)}"


@functools.cache
def _joins(model: type[models.Model], conditions: tuple[str, ...], columns: tuple[str, ...]) -> str:
    """A JOIN per relation the condition keys and columns name: INNER where the foreign key
    is required or a condition is on the relation (as Django's filter()), else LEFT OUTER."""
    relations = [_path(model, _lookup(key)[0])[0] for key in conditions]
    filtered = set(relations)
    relations += [_path(model, name)[0] for name in columns]
    joins = []
    for relation in dict.fromkeys(name for name in relations if name is not None):
        foreign_key = _field(model, relation)
        kind = "INNER" if relation in filtered or not foreign_key.null else "LEFT OUTER"
        table = foreign_key.related_model._meta.db_table  # type: ignore[union-attr]
        target = foreign_key.target_field.column  # type: ignore[attr-defined]
        joins.append(
            f" {kind} JOIN {_quoted(table)} {_quoted(relation)} ON {_quoted(relation)}."
            f"{_quoted(target)} = {_RECORD}.{_quoted(foreign_key.column)}"
        )
    return "".join(joins)


@functools.cache
def _select(model: type[models.Model], columns: tuple[str, ...], vendor: str) -> str:
    """The select list; on PostgreSQL instants as epoch microseconds (`config.instants`:
    Django's loader would parse each one's text in Python)."""
    names = []
    for name in columns:
        column = _column(model, name)
        if vendor == "postgresql" and isinstance(_path(model, name)[1], DateTimeField):
            column = EPOCH_MICROS_SQL.format(column=column)
        names.append(column)
    return ", ".join(names)


@functools.cache
def _order(model: type[models.Model], order: tuple[str, ...]) -> str:
    return ", ".join(
        f"{_column(model, key.lstrip('-'))} {'DESC' if key[0] == '-' else 'ASC'}" for key in order
    )


def _where(model: type[models.Model], conditions: dict[str, Any], db: Any) -> tuple[str, list]:
    clauses: list[str] = []
    params: list[Any] = []
    for key, value in conditions.items():
        name, lookup = _lookup(key)
        field = _path(model, name)[1]
        if lookup == "in":
            # As Django's `in`: duplicates and None dropped, nothing left matches nothing.
            values = [item for item in dict.fromkeys(value) if item is not None]
            placeholders = ", ".join(["%s"] * len(values))
            clauses.append(f"{_column(model, name)} IN ({placeholders})" if values else "1 = 0")
            params.extend(field.get_db_prep_value(item, db) for item in values)
        elif value is None and lookup == "":
            if _path(model, name)[0] is not None:
                # filter() would turn the join into an outer one; not a list's condition.
                raise ValueError(f"LiteralRows: {key}=None on a joined field")
            clauses.append(f"{_column(model, name)} IS NULL")  # as filter(field=None)
        else:
            clauses.append(f"{_column(model, name)} {_OPERATORS[lookup]} %s")
            params.append(field.get_db_prep_value(value, db))
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


@functools.cache
def _columns(model: type[models.Model], columns: tuple[str, ...]) -> tuple[tuple[int, Col], ...]:
    """Each column as the ORM's compiler sees it (for its converters)."""
    return tuple(
        (index, field.get_col(relation or _RECORD))
        for index, (relation, field) in enumerate(_path(model, name) for name in columns)
    )


def _from_micros(value: Any, expression: Any, connection: Any) -> Any:
    return from_micros(value)


# A column's position, what converts its values (called as Django calls converters) and
# the expression they are called with.
_Converters = list[tuple[int, list[Callable[[Any, Any, Any], Any]], Col]]


def _converters(model: type[models.Model], columns: tuple[str, ...], db: Any) -> _Converters:
    """Per column, what turns the driver's value into the ORM's: the backend's and the
    field's converters, as Django's compiler applies them (SQLite's make its naive
    instants aware, its uuid text UUIDs); on PostgreSQL instants from epoch microseconds."""
    postgresql = db.vendor == "postgresql"
    found: _Converters = []
    for index, col in _columns(model, columns):
        if postgresql and isinstance(col.target, DateTimeField):
            converters = [_from_micros]
        else:
            converters = db.ops.get_db_converters(col) + col.get_db_converters(db)
        if converters:
            found.append((index, converters, col))
    return found


def _read(cursor: Any, model: type[models.Model], columns: tuple[str, ...], db: Any) -> list:
    rows = cursor.fetchall()
    converters = _converters(model, columns, db)
    if not converters:
        return rows
    converted = []
    for row in rows:
        values = list(row)
        for index, functions, col in converters:
            value = values[index]
            for function in functions:
                value = function(value, col, db)
            values[index] = value
        converted.append(tuple(values))
    return converted


@dataclass(frozen=True)
class LiteralRows:
    """A page source: the COUNT of the `model` records meeting `conditions` (`filter()`
    keyword arguments: exact, gt, gte, lt, lte, in, on the record's fields or, as
    `relation__field…`, on a field of one of its foreign keys), joining only what the
    conditions need, then one page of their rows of `columns` (field names, `relation__…`
    for a foreign key's field: joined, LEFT OUTER if it is nullable) in `order` (the
    record's fields); no page query for a page past the end. `rows()` reads them all."""

    model: type[models.Model]
    conditions: dict[str, Any]
    order: tuple[str, ...]
    columns: tuple[str, ...]

    def window(self, offset: int, limit: int) -> tuple[int, list[tuple[Any, ...]]]:
        # The connection itself, not the `connection` proxy: preparing the values and
        # converting the rows ask it for its operations and features dozens of times.
        db = connections[DEFAULT_DB_ALIAS]
        where, params = _where(self.model, self.conditions, db)
        with db.cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(*) FROM {_quoted(self.model._meta.db_table)} {_RECORD}"  # noqa: S608
                f"{_joins(self.model, tuple(self.conditions), ())}{where}",
                params,
            )
            (total,) = cursor.fetchone()
            if offset >= total:
                return total, []
            tail, page = " LIMIT %s OFFSET %s", [*params, limit, offset]
            return total, self._rows(db, cursor, where, tail, page)

    def rows(self) -> list[tuple[Any, ...]]:
        """Every row, in one statement (no COUNT)."""
        db = connections[DEFAULT_DB_ALIAS]
        where, params = _where(self.model, self.conditions, db)
        with db.cursor() as cursor:
            return self._rows(db, cursor, where, "", params)

    def _rows(self, db: Any, cursor: Any, where: str, tail: str, params: list) -> list[tuple]:
        # Only quoted names from the models and `%s` placeholders are formatted into the SQL
        # (hence the noqa); every value is a parameter.
        cursor.execute(
            f"SELECT {_select(self.model, self.columns, db.vendor)} "  # noqa: S608
            f"FROM {_quoted(self.model._meta.db_table)} {_RECORD}"
            f"{_joins(self.model, tuple(self.conditions), self.columns)}{where} "
            f"ORDER BY {_order(self.model, self.order)}{tail}",
            params,
        )
        return _read(cursor, self.model, self.columns, db)
