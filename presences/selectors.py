"""Reads for presences: who sees which (docs/decisions.md)."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import DateTimeField, Field, QuerySet
from django.utils import timezone

from accounts.models import User
from presences.models import Presence


def presences_visible_to(viewer: User) -> QuerySet[Presence]:
    """Admins see everyone's presences; a member sees only their own (MOCO).

    `select_related("user")` because every rendered presence embeds its user: the list
    runs the same number of queries whatever its length.
    """
    presences = Presence.objects.select_related("user")
    if viewer.is_admin:
        return presences
    return presences.filter(user=viewer)


def presence_list_visible_to(
    viewer: User, conditions: dict[str, Any], order: Sequence[str], columns: Sequence[str]
) -> PresenceListRows:
    """The presences `viewer` may see (as presences_visible_to) that meet `conditions`
    (`filter()` keyword arguments of presences.filters.list_conditions), in `order`, as
    rows of `columns` (field names, `user__…` for the user's)."""
    if not viewer.is_admin:
        conditions = {**conditions, "user": viewer.pk}
    return PresenceListRows(conditions, tuple(order), tuple(columns))


# --- the list page as literal SQL ------------------------------------------------------------
# A list page's two statements written out instead of compiled by the ORM: building, cloning
# and compiling two querysets costs more CPU than rendering the page's 100 rows. Only the
# lookups list_conditions produces are understood (a KeyError for anything else);
# tests/presences/test_list_sql.py checks rows and totals against the ORM's for every list
# parameter. Portable: names are quoted and values prepared by the model fields and the
# backend's operations, as the ORM does, so SQLite reads what PostgreSQL reads.

_OPERATORS = {"": "=", "gte": ">=", "lte": "<=", "gt": ">", "in": "IN"}


def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def _field(name: str) -> Field:
    return Presence._meta.pk if name == "pk" else Presence._meta.get_field(name)  # type: ignore[return-value]


@functools.cache
def _select(columns: tuple[str, ...]) -> str:
    """The select list of `columns`: the presence's as `p.…`, its user's (`user__…`) as `u.…`."""
    names = []
    for name in columns:
        if name.startswith("user__"):
            names.append(f"u.{_quoted(User._meta.get_field(name[6:]).column)}")
        else:
            names.append(f"p.{_quoted(_field(name).column)}")
    return ", ".join(names)


@functools.cache
def _order(order: tuple[str, ...]) -> str:
    return ", ".join(
        f"p.{_quoted(_field(key.lstrip('-')).column)} {'DESC' if key[0] == '-' else 'ASC'}"
        for key in order
    )


def _where(conditions: dict[str, Any]) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    for key, value in conditions.items():
        name, _, lookup = key.partition("__")
        field = _field(name)
        column = f"p.{_quoted(field.column)}"
        if lookup == "in":
            clauses.append(f"{column} IN ({', '.join(['%s'] * len(value))})")
            params.extend(field.get_db_prep_value(item, connection) for item in value)
        else:
            clauses.append(f"{column} {_OPERATORS[lookup]} %s")
            params.append(field.get_db_prep_value(value, connection))
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


@dataclass(frozen=True)
class PresenceListRows:
    """A page source (config/api/dialects/base.py): the COUNT of the presences meeting
    `conditions` (on the presences alone), then one page of their rows in `order`, each
    joined with its user; no page query for a page past the end."""

    conditions: dict[str, Any]
    order: tuple[str, ...]
    columns: tuple[str, ...]

    def window(self, offset: int, limit: int) -> tuple[int, list[tuple[Any, ...]]]:
        # Only quoted names from the models and `%s` placeholders are formatted into the SQL
        # (hence the noqa); every value is a parameter.
        where, params = _where(self.conditions)
        presences = _quoted(Presence._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {presences} p{where}", params)  # noqa: S608
            (total,) = cursor.fetchone()
            if offset >= total:
                return total, []
            users = _quoted(User._meta.db_table)
            user_id = _quoted(_field("user").column)
            cursor.execute(
                f"SELECT {_select(self.columns)} FROM {presences} p INNER JOIN {users} u "  # noqa: S608
                f"ON u.{_quoted(User._meta.pk.column)} = p.{user_id}{where} "
                f"ORDER BY {_order(self.order)} LIMIT %s OFFSET %s",
                [*params, limit, offset],
            )
            rows = cursor.fetchall()
        if not connection.features.supports_timezones:
            rows = _aware(rows, self.columns)
        return total, rows


def _aware(rows: list[tuple[Any, ...]], columns: tuple[str, ...]) -> list[tuple[Any, ...]]:
    """Instants made aware in the connection's zone, as the ORM's converters make them on a
    backend that stores them naive (SQLite)."""
    zone = connection.timezone
    instants = [
        index
        for index, name in enumerate(columns)
        if not name.startswith("user__") and isinstance(_field(name), DateTimeField)
    ]
    aware = []
    for row in rows:
        values = list(row)
        for index in instants:
            if values[index] is not None:
                values[index] = timezone.make_aware(values[index], zone)
        aware.append(tuple(values))
    return aware
