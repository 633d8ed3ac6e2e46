"""McTime query strings: GET /clock and GET /times filters."""

from __future__ import annotations

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


def _filter_fields() -> dict[str, serializers.Field]:
    """GET /clock's filters, GET /times's too. Built anew for each serializer, which is what
    DRF does with declared fields too, but by deep-copying them, the choices included: a
    third of what validating a list query cost."""
    return {
        "userIds": CommaSeparatedListField(child=AsciiUUIDField(), required=False),
        "timeTypes": CommaSeparatedListField(
            child=serializers.ChoiceField(choices=TimeType.choices), required=False
        ),
        "organizationIds": CommaSeparatedListField(child=AsciiUUIDField(), required=False),
        "organizationNames": CommaSeparatedListField(child=serializers.CharField(), required=False),
    }


class ClockQuerySerializer(serializers.Serializer):
    """GET /clock; GET /times adds its own fields to these."""

    def get_fields(self) -> dict[str, serializers.Field]:
        return _filter_fields()


class TimesQuerySerializer(ClockQuerySerializer):
    """GET /times: `from`/`to` bound the entries' start, half-open [from, to)."""

    def get_fields(self) -> dict[str, serializers.Field]:
        # `from` and `to` are Python keywords, so they could not be class attributes either.
        # The order is the order in which errors are reported.
        filters = super().get_fields()
        return {
            "from": McTimeInstantField(),
            "to": McTimeInstantField(),
            "userIds": filters["userIds"],
            "timeTypes": filters["timeTypes"],
            "approvalStatuses": CommaSeparatedListField(
                child=serializers.ChoiceField(choices=ApprovalStatus.choices), required=False
            ),
            "organizationIds": filters["organizationIds"],
            "organizationNames": filters["organizationNames"],
        }

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["to"] <= attrs["from"]:
            raise serializers.ValidationError({"to": "must be after from."})
        if attrs["to"] - attrs["from"] > MAX_LIST_RANGE:
            raise serializers.ValidationError({"to": "must be at most 366 days after from."})
        return attrs
