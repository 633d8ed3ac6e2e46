"""A cheaper `to_representation` for serializers that render many records (list pages).

DRF's `Serializer.to_representation` pays, per record and per field, a generator over the
fields, `Field.get_attribute` (an `isinstance(…, Mapping)` and a callable check for every
step of the source path) and exception plumbing: about half of the CPU a page of 100
records costs. `FastReadMixin` looks the same attributes up with `operator.attrgetter`,
planned once per serializer instance, and hands everything it cannot prove plain back to
DRF, so the output is DRF's own:

- a field whose class overrides `get_attribute` (related fields, custom lookups) goes through
  DRF;
- a source of `*` (method fields, `source="*"`) gets the record itself, as in DRF;
- a looked-up value that is callable (DRF would call a method or function), a lookup that
  raises (missing attribute, a missing related object, a property failing) and a record that
  is a mapping (DRF indexes mappings) go through `field.get_attribute` — which then behaves,
  and fails, exactly as DRF does.

Adopt it by putting it first among a read serializer's bases:
`class PresenceSerializer(FastReadMixin, serializers.ModelSerializer)`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from operator import attrgetter
from typing import Any

from rest_framework.fields import Field, SkipField
from rest_framework.relations import PKOnlyObject

_DRF = object()  # "look this one up the DRF way"

# One field of the plan: its output name, how to read it fast (None: the record itself;
# _DRF: always through DRF), the field and its to_representation.
Step = tuple[str, Any, Field, Callable[[Any], Any]]


def _fast_getter(field: Field) -> Any:
    if type(field).get_attribute is not Field.get_attribute:
        return _DRF
    attrs = field.source_attrs
    if not attrs:
        return None  # source="*": DRF's get_attribute returns the record as it is
    if len(attrs) == 1:
        return attrgetter(attrs[0])
    # Dotted sources: each step checked like the last one (DRF calls callables and indexes
    # mappings on the way, so those take DRF's path).
    return tuple(attrgetter(attr) for attr in attrs)


class FastReadMixin:
    """`to_representation` without DRF's per-field lookup overhead; identical output."""

    def _read_plan(self) -> list[Step]:
        plan = self.__dict__.get("_fast_read_plan")
        if plan is None:
            plan = [
                (field.field_name, _fast_getter(field), field, field.to_representation)
                for field in self._readable_fields  # type: ignore[attr-defined]
            ]
            self.__dict__["_fast_read_plan"] = plan
        return plan

    def to_representation(self, instance: Any) -> dict[str, Any]:
        if isinstance(instance, Mapping):
            return super().to_representation(instance)  # type: ignore[misc]
        ret: dict[str, Any] = {}
        for name, getter, field, to_representation in self._read_plan():
            value = _read(instance, getter)
            if value is _DRF:
                try:
                    value = field.get_attribute(instance)
                except SkipField:
                    continue
                if isinstance(value, PKOnlyObject) and value.pk is None:
                    ret[name] = None
                    continue
            ret[name] = None if value is None else to_representation(value)
        return ret


def _read(instance: Any, getter: Any) -> Any:
    """The attribute, or `_DRF` when DRF's own lookup must decide."""
    if getter is None:
        return instance
    if getter is _DRF:
        return _DRF
    try:
        if type(getter) is tuple:
            value = instance
            for step in getter:
                if isinstance(value, Mapping) or callable(value):
                    return _DRF
                value = step(value)
        else:
            value = getter(instance)
    except Exception:  # DRF decides what a failing lookup means (default, None, skip, error)
        return _DRF
    return _DRF if callable(value) else value
