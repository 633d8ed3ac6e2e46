"""McTime shapes: parse requests, render clocks and time entries.

Instants are rendered in the record's user's time zone with their offset, seconds
precision (`2022-04-22T10:40:00+02:00`). `from` and `to` are Python keywords, so serializers
that carry them declare their fields in `get_fields`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from rest_framework import serializers

from clock.fields import McTimeInstantField, drop_nulls
from clock.models import ApprovalStatus, Clock, ClockBreak, TimeEntry, TimeType
from clock.services import CancelledClock

MAX_LIST_RANGE = timedelta(days=366)
COMMENT_MAX_LENGTH = 2000


class ClockAction:
    START = "start"
    BREAK = "break"
    STOP = "stop"
    CANCEL = "cancel"
    UPDATE = "update"
    ALL = (START, BREAK, STOP, CANCEL, UPDATE)


def instant(value: datetime | None, zone: ZoneInfo) -> str | None:
    return None if value is None else value.astimezone(zone).isoformat(timespec="seconds")


class CommaSeparatedListField(serializers.ListField):
    """A filter given as `a,b`, as repeated parameters (`x=a&x=b`), or both."""

    def to_internal_value(self, data: Any) -> list:
        values = [data] if isinstance(data, str) else list(data)
        parts = [part.strip() for value in values for part in str(value).split(",")]
        return super().to_internal_value([part for part in parts if part])


# --- input -------------------------------------------------------------------------------


class ClockActionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=ClockAction.ALL)
    # Absent or null: now. Present but empty or garbled: refused (never guessed).
    dateTime = McTimeInstantField(required=False, allow_null=True)
    userId = serializers.UUIDField(required=False, allow_null=True)
    timeType = serializers.ChoiceField(choices=TimeType.choices, required=False, allow_null=True)
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        max_length=COMMENT_MAX_LENGTH,
        trim_whitespace=False,
    )
    # null / "" on update removes the clock's organization.
    organizationId = serializers.UUIDField(required=False, allow_null=True)
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


class OrganizationRefSerializer(serializers.Serializer):
    id = serializers.UUIDField(required=False, allow_null=True)
    name = serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=200)


class BreakInputSerializer(serializers.Serializer):
    def get_fields(self) -> dict[str, serializers.Field]:
        return {"from": McTimeInstantField(), "to": McTimeInstantField()}


class TimeInputSerializer(serializers.Serializer):
    def get_fields(self) -> dict[str, serializers.Field]:
        return {
            "id": serializers.UUIDField(required=False, allow_null=True),
            "from": McTimeInstantField(),
            "to": McTimeInstantField(),
            "breaks": BreakInputSerializer(many=True, required=False, allow_null=True),
            "timeType": serializers.ChoiceField(
                choices=TimeType.choices, required=False, allow_null=True
            ),
            "comment": serializers.CharField(
                required=False,
                allow_blank=True,
                allow_null=True,
                max_length=COMMENT_MAX_LENGTH,
                trim_whitespace=False,
            ),
            "organization": OrganizationRefSerializer(required=False, allow_null=True),
        }

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = drop_nulls(attrs, ("breaks", "timeType", "comment"))
        if attrs["to"] <= attrs["from"]:
            raise serializers.ValidationError({"to": "must be after from."})
        return attrs


class TimesWriteSerializer(serializers.Serializer):
    userId = serializers.UUIDField(required=False, allow_null=True)
    times = TimeInputSerializer(many=True, min_length=1, max_length=100)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return drop_nulls(attrs, ("userId",))


class TimesQuerySerializer(serializers.Serializer):
    """GET /times: `from`/`to` bound the entries' start, half-open [from, to)."""

    def get_fields(self) -> dict[str, serializers.Field]:
        return {
            "from": McTimeInstantField(),
            "to": McTimeInstantField(),
            "userIds": CommaSeparatedListField(child=serializers.UUIDField(), required=False),
            "timeTypes": CommaSeparatedListField(
                child=serializers.ChoiceField(choices=TimeType.choices), required=False
            ),
            "approvalStatuses": CommaSeparatedListField(
                child=serializers.ChoiceField(choices=ApprovalStatus.choices), required=False
            ),
            "organizationIds": CommaSeparatedListField(
                child=serializers.UUIDField(), required=False
            ),
            "organizationNames": CommaSeparatedListField(
                child=serializers.CharField(), required=False
            ),
        }

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["to"] <= attrs["from"]:
            raise serializers.ValidationError({"to": "must be after from."})
        if attrs["to"] - attrs["from"] > MAX_LIST_RANGE:
            raise serializers.ValidationError({"to": "must be at most 366 days after from."})
        return attrs


class ClockQuerySerializer(serializers.Serializer):
    userIds = CommaSeparatedListField(child=serializers.UUIDField(), required=False)
    timeTypes = CommaSeparatedListField(
        child=serializers.ChoiceField(choices=TimeType.choices), required=False
    )
    organizationIds = CommaSeparatedListField(child=serializers.UUIDField(), required=False)
    organizationNames = CommaSeparatedListField(child=serializers.CharField(), required=False)


# --- output ------------------------------------------------------------------------------


class TimeEntryBreakSerializer(serializers.Serializer):
    def get_fields(self) -> dict[str, serializers.Field]:
        return {
            "id": serializers.UUIDField(),
            "from": serializers.DateTimeField(),
            "to": serializers.DateTimeField(),
            "automatic": serializers.BooleanField(),
        }


class TimeEntrySerializer(serializers.Serializer):
    """The spec's time entry, plus `approvalStatus` and `valid`."""

    def get_fields(self) -> dict[str, serializers.Field]:
        return {
            "id": serializers.UUIDField(),
            "from": serializers.DateTimeField(),
            "to": serializers.DateTimeField(),
            "breaks": TimeEntryBreakSerializer(many=True),
            "comment": serializers.CharField(),
            # A plain string in the schema: the enum is TimeTypeEnum (one name per choice set).
            "type": serializers.CharField(help_text="The time type (see timeType)."),
            "organizationName": serializers.CharField(allow_null=True),
            "userId": serializers.UUIDField(),
            "category": serializers.CharField(),
            "creationType": serializers.CharField(allow_null=True),
            "approvalStatus": serializers.ChoiceField(choices=ApprovalStatus.choices),
            "valid": serializers.BooleanField(),
        }

    def to_representation(self, entry: TimeEntry) -> dict[str, Any]:
        zone = entry.user.zone
        return {
            "id": str(entry.pk),
            "from": instant(entry.starts_at, zone),
            "to": instant(entry.ends_at, zone),
            "breaks": [
                {
                    "id": str(brk.pk),
                    "from": instant(brk.starts_at, zone),
                    "to": instant(brk.ends_at, zone),
                    "automatic": brk.automatic,
                }
                for brk in entry.breaks.all()
            ],
            "comment": entry.comment,
            "type": entry.time_type,
            "organizationName": entry.organization.name if entry.organization else None,
            "userId": str(entry.user.uuid),
            "category": entry.category,
            "creationType": entry.creation_type,
            "approvalStatus": entry.approval_status,
            "valid": entry.is_valid,
        }


class UserTimesSerializer(serializers.Serializer):
    userId = serializers.UUIDField()
    times = TimeEntrySerializer(many=True)


class TimesListSerializer(serializers.Serializer):
    timeEntries = UserTimesSerializer(many=True)


def render_times_by_user(entries: Iterable[TimeEntry]) -> dict[str, Any]:
    """`{"timeEntries": [{"userId", "times": [...]}, ...]}`, users in order of appearance."""
    groups: dict[Any, dict[str, Any]] = {}
    for entry in entries:
        group = groups.setdefault(entry.user_id, {"userId": str(entry.user.uuid), "times": []})
        group["times"].append(TimeEntrySerializer(entry).data)
    return {"timeEntries": list(groups.values())}


class OrganizationSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()


class ClockBreakSerializer(serializers.Serializer):
    def get_fields(self) -> dict[str, serializers.Field]:
        return {
            "from": serializers.DateTimeField(),
            "to": serializers.DateTimeField(allow_null=True),
        }


class ClockSerializer(serializers.Serializer):
    """A running clock (GET /clock items and the answer to start/break/update/cancel)."""

    userId = serializers.UUIDField()
    userFirstName = serializers.CharField()
    userLastName = serializers.CharField()
    clockedIn = serializers.BooleanField()
    onBreak = serializers.BooleanField()
    # `from` is added in get_fields (a keyword).
    timeType = serializers.ChoiceField(choices=TimeType.choices)
    organization = OrganizationSerializer(allow_null=True)
    comment = serializers.CharField()
    breaks = ClockBreakSerializer(many=True)

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        fields["from"] = serializers.DateTimeField()
        return fields

    def to_representation(self, value: Clock | CancelledClock) -> dict[str, Any]:
        if isinstance(value, CancelledClock):
            clock, breaks, clocked_in = value.clock, value.breaks, False
        else:
            clock, breaks, clocked_in = value, list(value.breaks.all()), True
        return render_clock(clock, breaks, clocked_in=clocked_in)


def refused_user_item(user_id: Any) -> dict[str, Any]:
    """A GET /clock item for a named user the caller may not see (McTime: "a 400 item")."""
    return {
        "userId": str(user_id),
        "status": 400,
        "message": f"Not allowed to see user {user_id}.",
    }


def render_clock(clock: Clock, breaks: list[ClockBreak], *, clocked_in: bool) -> dict[str, Any]:
    user = clock.user
    zone = user.zone
    organization = clock.organization
    return {
        "userId": str(user.uuid),
        "userFirstName": user.first_name,
        "userLastName": user.last_name,
        "clockedIn": clocked_in,
        "onBreak": clocked_in and any(b.ended_at is None for b in breaks),
        "from": instant(clock.started_at, zone),
        "timeType": clock.time_type,
        "organization": (
            {"id": str(organization.pk), "name": organization.name} if organization else None
        ),
        "comment": clock.comment,
        "breaks": [
            {"from": instant(b.started_at, zone), "to": instant(b.ended_at, zone)}
            for b in sorted(breaks, key=lambda b: b.started_at)
        ],
    }
