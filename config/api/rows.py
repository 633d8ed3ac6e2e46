"""List pages as rows, not model instances: page sources (config/api/dialects/base.py,
`PageSource`) for the list endpoints that render rows (docs/moco-presences.md, "How the
list is rendered").

- `QueryRows`: any queryset, paged as `values_list` rows;
- `LiteralRows`: the same rows from two literal statements (COUNT, page) for the simple
  conditions a list's parameters produce. Building, cloning and compiling two querysets
  costs a list page more CPU than rendering its 100 rows. Names are quoted and values
  prepared by the model fields and the backend's operations, as the ORM does, so SQLite
  reads what PostgreSQL reads; each app's tests check the rows and totals against the ORM's.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, models
from django.db.models import DateTimeField, Field, QuerySet
from django.utils import timezone

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


# `filter()` lookups LiteralRows understands (a KeyError for any other).
_OPERATORS = {"": "=", "gte": ">=", "lte": "<=", "gt": ">", "in": "IN"}


def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def _field(model: type[models.Model], name: str) -> Field:
    return model._meta.pk if name == "pk" else model._meta.get_field(name)  # type: ignore[return-value]


def _instant_indexes(model: type[models.Model], columns: tuple[str, ...]) -> list[int]:
    """Positions of the record's own instants (DateTimeFields) among `columns`."""
    return [
        index
        for index, name in enumerate(columns)
        if not name.startswith("user__") and isinstance(_field(model, name), DateTimeField)
    ]


@functools.cache
def _select(model: type[models.Model], columns: tuple[str, ...], vendor: str) -> str:
    """The select list: the record's columns as `r.…`, its user's (`user__…`) as `u.…`;
    on PostgreSQL the record's instants as epoch microseconds (`config.instants`: Django's
    loader would parse each one's text in Python)."""
    user_model = _field(model, "user").related_model
    instants = _instant_indexes(model, columns) if vendor == "postgresql" else []
    names = []
    for index, name in enumerate(columns):
        if name.startswith("user__"):
            names.append(f"u.{_quoted(user_model._meta.get_field(name[6:]).column)}")
        elif index in instants:
            names.append(EPOCH_MICROS_SQL.format(column=f"r.{_quoted(_field(model, name).column)}"))
        else:
            names.append(f"r.{_quoted(_field(model, name).column)}")
    return ", ".join(names)


@functools.cache
def _order(model: type[models.Model], order: tuple[str, ...]) -> str:
    return ", ".join(
        f"r.{_quoted(_field(model, key.lstrip('-')).column)} {'DESC' if key[0] == '-' else 'ASC'}"
        for key in order
    )


def _where(model: type[models.Model], conditions: dict[str, Any]) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    for key, value in conditions.items():
        name, _, lookup = key.partition("__")
        field = _field(model, name)
        column = f"r.{_quoted(field.column)}"
        if lookup == "in":
            clauses.append(f"{column} IN ({', '.join(['%s'] * len(value))})")
            params.extend(field.get_db_prep_value(item, connection) for item in value)
        else:
            clauses.append(f"{column} {_OPERATORS[lookup]} %s")
            params.append(field.get_db_prep_value(value, connection))
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


@dataclass(frozen=True)
class LiteralRows:
    """A page source: the COUNT of the `model` records meeting `conditions` (`filter()`
    keyword arguments on the record's own fields: exact, gt, gte, lte, in), on the records
    alone, then one page of their rows of `columns` in `order` (field names; `user__…`
    joins the record's `user`); no page query for a page past the end."""

    model: type[models.Model]
    conditions: dict[str, Any]
    order: tuple[str, ...]
    columns: tuple[str, ...]

    def window(self, offset: int, limit: int) -> tuple[int, list[tuple[Any, ...]]]:
        # Only quoted names from the models and `%s` placeholders are formatted into the SQL
        # (hence the noqa); every value is a parameter.
        where, params = _where(self.model, self.conditions)
        records = _quoted(self.model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {records} r{where}", params)  # noqa: S608
            (total,) = cursor.fetchone()
            if offset >= total:
                return total, []
            user = _field(self.model, "user")
            users = _quoted(user.related_model._meta.db_table)
            cursor.execute(
                f"SELECT {_select(self.model, self.columns, connection.vendor)} FROM {records} r "  # noqa: S608
                f"INNER JOIN {users} u ON u.{_quoted(user.target_field.column)} = "
                f"r.{_quoted(user.column)}{where} "
                f"ORDER BY {_order(self.model, self.order)} LIMIT %s OFFSET %s",
                [*params, limit, offset],
            )
            rows = cursor.fetchall()
        if connection.vendor == "postgresql":
            return total, _instants(rows, self.model, self.columns, from_micros)
        if not connection.features.supports_timezones:
            zone = connection.timezone
            return total, _instants(
                rows, self.model, self.columns, lambda value: timezone.make_aware(value, zone)
            )
        return total, rows


def _instants(
    rows: list[tuple[Any, ...]],
    model: type[models.Model],
    columns: tuple[str, ...],
    convert: Callable[[Any], Any],
) -> list[tuple[Any, ...]]:
    """Rows with the record's instants turned into aware datetimes by `convert`, as the
    ORM's converters give them: from epoch microseconds (PostgreSQL, see `_select`), or
    made aware in the connection's zone where they are stored naive (SQLite)."""
    instants = _instant_indexes(model, columns)
    if not instants:
        return rows
    converted = []
    for row in rows:
        values = list(row)
        for index in instants:
            if values[index] is not None:
                values[index] = convert(values[index])
        converted.append(tuple(values))
    return converted
