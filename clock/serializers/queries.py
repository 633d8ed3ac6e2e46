"""McTime query strings: GET /clock and GET /times filters."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

from rest_framework import serializers

from clock.fields import McTimeInstantField
from clock.models import ApprovalStatus, TimeType
from config.api.fields import AsciiUUIDField

MAX_LIST_RANGE = timedelta(days=366)


class CommaSeparatedListField(serializers.ListField):
    """A filter given as `a,b`, as repeated parameters (`x=a&x=b`), or both."""

    def to_internal_value(self, data: Any) -> list:
        values = [data] if isinstance(data, str) else list(data)
        parts = [part.strip() for value in values for part in str(value).split(",")]
        return super().to_internal_value([part for part in parts if part])


def _uuids() -> CommaSeparatedListField:
    return CommaSeparatedListField(child=AsciiUUIDField(), required=False)


def _choices(choices: list[tuple[str, Any]]) -> CommaSeparatedListField:
    return CommaSeparatedListField(child=serializers.ChoiceField(choices=choices), required=False)


def _names() -> CommaSeparatedListField:
    return CommaSeparatedListField(child=serializers.CharField(), required=False)


# The optional filters, in the order their errors are reported.
CLOCK_FILTERS: dict[str, Callable[[], serializers.Field]] = {
    "userIds": _uuids,
    "timeTypes": lambda: _choices(TimeType.choices),
    "organizationIds": _uuids,
    "organizationNames": _names,
}
TIMES_FILTERS: dict[str, Callable[[], serializers.Field]] = {
    "userIds": _uuids,
    "timeTypes": lambda: _choices(TimeType.choices),
    "approvalStatuses": lambda: _choices(ApprovalStatus.choices),
    "organizationIds": _uuids,
    "organizationNames": _names,
}


def _named_filters(
    filters: dict[str, Callable[[], serializers.Field]], data: Any
) -> dict[str, serializers.Field]:
    """The filters the query names. An optional field a query does not name validates to
    nothing, so only the named ones are built: building them all (DRF deep-copies declared
    fields for every serializer, choices included) was half of what validating a list query
    cost. A name counts when a parameter starts with it: DRF also reads a list given as
    `userIds[0]=…`."""
    if not isinstance(data, Mapping):
        return {name: make() for name, make in filters.items()}
    names = list(data)
    return {
        name: make()
        for name, make in filters.items()
        if any(given.startswith(name) for given in names)
    }


class ClockQuerySerializer(serializers.Serializer):
    """GET /clock; GET /times adds its own fields to these."""

    def get_fields(self) -> dict[str, serializers.Field]:
        return _named_filters(CLOCK_FILTERS, getattr(self, "initial_data", None))


class TimesQuerySerializer(ClockQuerySerializer):
    """GET /times: `from`/`to` bound the entries' start, half-open [from, to)."""

    def get_fields(self) -> dict[str, serializers.Field]:
        # `from` and `to` are Python keywords, so they could not be class attributes either.
        return {
            "from": McTimeInstantField(),
            "to": McTimeInstantField(),
            **_named_filters(TIMES_FILTERS, getattr(self, "initial_data", None)),
        }

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["to"] <= attrs["from"]:
            raise serializers.ValidationError({"to": "must be after from."})
        if attrs["to"] - attrs["from"] > MAX_LIST_RANGE:
            raise serializers.ValidationError({"to": "must be at most 366 days after from."})
        return attrs
