"""McTime request bodies: POST /clock and POST /times, validated into the services' inputs.

The organization a body names is looked up only when the view asks for the inputs (after it
has resolved whom the request is for), so a refused `userId` is reported before an unknown
organization, and actions that take no organization never look one up.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from clock import selectors
from clock.fields import McTimeInstantField, drop_nulls
from clock.models import TimeType
from clock.services import ClockChanges, Span, TimeInput
from config.api.fields import AsciiUUIDField
from config.api.ids import UNSET

# Per request and per entry, so one POST /times stays a bounded amount of work
# (docs/mctime-clock.md): 100 entries of at most 50 breaks.
MAX_TIMES_PER_REQUEST = 100
MAX_BREAKS_PER_ENTRY = 50
COMMENT_MAX_LENGTH = 2000


class ClockAction:
    START = "start"
    BREAK = "break"
    STOP = "stop"
    CANCEL = "cancel"
    UPDATE = "update"
    ALL = (START, BREAK, STOP, CANCEL, UPDATE)


def comment_field() -> serializers.CharField:
    return serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        max_length=COMMENT_MAX_LENGTH,
        trim_whitespace=False,
    )


class ClockActionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=ClockAction.ALL)
    # Absent or null: now. Present but empty or garbled: refused (never guessed).
    dateTime = McTimeInstantField(required=False, allow_null=True)
    userId = AsciiUUIDField(required=False, allow_null=True)
    timeType = serializers.ChoiceField(choices=TimeType.choices, required=False, allow_null=True)
    comment = comment_field()
    # null / "" on update removes the clock's organization.
    organizationId = AsciiUUIDField(required=False, allow_null=True)
    organizationName = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, max_length=200
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = drop_nulls(attrs, ("dateTime", "userId", "timeType", "comment"))
        if attrs["action"] == ClockAction.UPDATE and "dateTime" in attrs:
            # update changes the clock's type, comment and organization; a time would be
            # dropped silently, so it is refused (start, break and stop take one).
            raise serializers.ValidationError(
                {"dateTime": "update does not take a dateTime; use start, break or stop."}
            )
        return attrs

    def clock_changes(self) -> ClockChanges:
        """The clock's fields the body gives (start, stop, update), the organization looked
        up: UNSET when the body says nothing about it, None when it clears it (null or "")."""
        data = self.validated_data
        organization: Any = UNSET
        if "organizationId" in data or "organizationName" in data:
            organization = selectors.organization_for(
                organization_id=data.get("organizationId"),
                organization_name=data.get("organizationName"),
            )
        return ClockChanges(
            time_type=data.get("timeType", UNSET),
            comment=data.get("comment", UNSET),
            organization=organization,
        )


class OrganizationRefSerializer(serializers.Serializer):
    id = AsciiUUIDField(required=False, allow_null=True)
    name = serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=200)


class BreakInputSerializer(serializers.Serializer):
    def get_fields(self) -> dict[str, serializers.Field]:
        return {"from": McTimeInstantField(), "to": McTimeInstantField()}


class TimeInputSerializer(serializers.Serializer):
    def get_fields(self) -> dict[str, serializers.Field]:
        return {
            "id": AsciiUUIDField(required=False, allow_null=True),
            "from": McTimeInstantField(),
            "to": McTimeInstantField(),
            "breaks": BreakInputSerializer(
                many=True, required=False, allow_null=True, max_length=MAX_BREAKS_PER_ENTRY
            ),
            "timeType": serializers.ChoiceField(
                choices=TimeType.choices, required=False, allow_null=True
            ),
            "comment": comment_field(),
            "organization": OrganizationRefSerializer(required=False, allow_null=True),
        }

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = drop_nulls(attrs, ("breaks", "timeType", "comment"))
        if attrs["to"] <= attrs["from"]:
            raise serializers.ValidationError({"to": "must be after from."})
        return attrs


def time_input(item: dict[str, Any]) -> TimeInput:
    """One validated element of `times` as the service's input, its organization looked up."""
    organization: Any = UNSET
    if "organization" in item:
        ref = item["organization"] or {}
        organization = selectors.organization_for(
            organization_id=ref.get("id"), organization_name=ref.get("name")
        )
    breaks: Any = UNSET
    if "breaks" in item:
        breaks = [Span(b["from"], b["to"]) for b in item["breaks"]]
    return TimeInput(
        id=item.get("id"),
        starts_at=item["from"],
        ends_at=item["to"],
        breaks=breaks,
        time_type=item.get("timeType", UNSET),
        comment=item.get("comment", UNSET),
        organization=organization,
    )


class TimesWriteSerializer(serializers.Serializer):
    userId = AsciiUUIDField(required=False, allow_null=True)
    times = TimeInputSerializer(many=True, min_length=1, max_length=MAX_TIMES_PER_REQUEST)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return drop_nulls(attrs, ("userId",))

    def time_inputs(self) -> list[TimeInput]:
        return [time_input(item) for item in self.validated_data["times"]]
