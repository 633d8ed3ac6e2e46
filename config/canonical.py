"""The canonical content of a history row, and its hash: what the chain (config.chain) links.

The text is JSON: the model and every field that holds a value, each as the database
returns it (`field_value`), keys sorted. Its definition never changes (a different text
would break every chain hashed before); `canonical` writes it fast, `canonical_by_field_value`
is the definition, and a test holds the two to the same text for every model and type.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import functools
import hashlib
import json
import uuid
from collections.abc import Callable
from json.encoder import encode_basestring
from typing import Any

from django.db import models

# Never part of the hashed content: the hash itself, and the row's own primary key (given
# by a sequence only at INSERT, after the hash is computed; the position `chain_seq` orders).
# Nor simple_history's `history_user_id`: a foreign key that the database sets to NULL when
# that user is deleted. Its value at the time is hashed as `chain_actor_id` instead.
UNHASHED = frozenset({"chain_hash", "history_user_id"})


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


def _quoted_iso(value: Any) -> str:
    return f'"{value.isoformat()}"'  # ISO texts hold nothing JSON escapes


# The last instant written and its text (replaced whole, so threads may share it). Holding
# the instant keeps it alive, so an identical object is that very value: an import stamps
# a batch's rows and their history rows with one instant, three in each history row.
_last_instant: list[tuple[Any, str]] = [(None, "")]


def _instant_json(value: dt.datetime) -> str:
    last, text = _last_instant[0]
    if value is not last:
        text = _quoted_iso(value.astimezone(dt.UTC) if value.tzinfo is not None else value)
        _last_instant[0] = (value, text)
    return text


# The JSON text of a value of exactly its field's unchanged type: `_encode` and json.dumps
# in one step (bool before int: True is an int).
_JSON_OF_TYPE: dict[type, Callable[[Any], str]] = {
    bool: lambda value: "true" if value else "false",
    int: int.__repr__,
    str: encode_basestring,
    dt.datetime: _instant_json,
    dt.date: _quoted_iso,
    dt.time: _quoted_iso,
    decimal.Decimal: lambda value: f'"{format(value.normalize(), "f")}"',
    uuid.UUID: lambda value: f'"{value}"',
}


def _json(value: Any) -> str:
    """json.dumps of an `_encode`d value (None, bool, or an int or str, subclasses too)."""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, str):
        return encode_basestring(value)
    return int.__repr__(value)


@functools.cache
def _text_plan(model: type[models.Model]) -> tuple[str, list[tuple[str, str, Any, Any, Any]]]:
    """How `canonical` writes a model's rows: the text's end (its model), and per hashed
    field in key order: attname, its key as JSON, the type that needs no conversion and the
    JSON writer of its values, the field."""
    end = '},"model":' + encode_basestring(model._meta.label_lower) + "}"
    fields = [
        (name, f"{encode_basestring(name)}:", unchanged, _JSON_OF_TYPE.get(unchanged), field)
        for name, unchanged, field in sorted(_hashed_fields(model), key=lambda f: f[0])
    ]
    return end, fields


def canonical(row: Any) -> str:
    """The row's content as one JSON text: model, and every field that holds a value
    (`field_value` of each; values `to_python` would return unchanged skip the call).

    Empty (NULL) fields are left out, so that adding a nullable column to a history table
    later leaves the hashes of existing rows as they were; setting a field to NULL still
    changes the content (its key disappears).

    Written directly, key by key in sorted order, as `_text` (json.dumps) writes it: the
    chain hashes every history row, and an import writes a hundred thousand.
    """
    end, fields = _text_plan(type(row))
    parts = []
    for name, key, unchanged, writer, field in fields:
        value = getattr(row, name)
        if value is None:
            continue
        if type(value) is unchanged:
            parts.append(key + writer(value))
        else:
            value = field_value(row, field)
            if value is not None:
                parts.append(key + _json(value))
    return '{"fields":{' + ",".join(parts) + end


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
