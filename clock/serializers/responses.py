"""McTime answers: clocks and time entries as rendered.

Instants are rendered in the record's user's time zone with their offset, seconds
precision (`2022-04-22T10:40:00+02:00`). Each serializer declares the fields the OpenAPI
description shows and renders them in `to_representation`; tests/clock/test_schema.py holds
real answers to that description. `from` and `to` are Python keywords, so serializers that
carry them declare their fields in `get_fields`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from drf_spectacular.utils import PolymorphicProxySerializer
from rest_framework import serializers

from accounts.models import zone_of
from clock.models import ApprovalStatus, Clock, ClockBreak, TimeEntry, TimeType
from clock.selectors import TimeEntryWithBreaks
from clock.services import CancelledClock, StopResult
from clock.services.overlaps import locked_entry_message
from config.api.dialects.mctime import REFUSED_USER_ITEM_STATUS


def instant(value: datetime | None, zone: ZoneInfo) -> str | None:
    return None if value is None else value.astimezone(zone).isoformat(timespec="seconds")


def span_fields(*, open_end: bool = False) -> dict[str, serializers.Field]:
    """`from` and `to` of a span (`to` null while it is open)."""
    return {
        "from": serializers.DateTimeField(),
        "to": serializers.DateTimeField(allow_null=open_end),
    }


class TimeEntryBreakSerializer(serializers.Serializer):
    def get_fields(self) -> dict[str, serializers.Field]:
        return {
            "id": serializers.UUIDField(),
            **span_fields(),
            "automatic": serializers.BooleanField(),
        }


class TimeEntrySerializer(serializers.Serializer):
    """The spec's time entry, plus `approvalStatus` and `valid`."""

    def get_fields(self) -> dict[str, serializers.Field]:
        return {
            "id": serializers.UUIDField(),
            **span_fields(),
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


def render_time_entry_rows(page: Iterable[TimeEntryWithBreaks]) -> dict[str, Any]:
    """`{"timeEntries": [{"userId", "times": [...]}, ...]}`, users in order of appearance.

    A page of GET /times is rendered from rows (clock.selectors.ENTRY_COLUMNS), not model
    instances: each item exactly as TimeEntrySerializer renders the entry, which single
    entries still use (tests/clock/test_time_entry_rows.py compares the two, as data and
    as JSON).
    """
    groups: dict[int, tuple[ZoneInfo, list[dict[str, Any]]]] = {}
    for row, breaks in page:
        (
            pk,
            starts_at,
            ends_at,
            comment,
            time_type,
            organization_name,
            user_id,
            user_uuid,
            timezone,
            category,
            creation_type,
            approval_status,
            is_valid,
        ) = row
        group = groups.get(user_id)
        if group is None:
            group = groups[user_id] = (zone_of(timezone), [])
        zone, times = group
        times.append(
            {
                "id": str(pk),
                "from": instant(starts_at, zone),
                "to": instant(ends_at, zone),
                "breaks": [
                    {
                        "id": str(break_id),
                        "from": instant(break_starts_at, zone),
                        "to": instant(break_ends_at, zone),
                        "automatic": automatic,
                    }
                    for break_id, break_starts_at, break_ends_at, automatic in breaks
                ],
                "comment": comment,
                "type": time_type,
                "organizationName": organization_name,
                "userId": str(user_uuid),
                "category": category,
                "creationType": creation_type,
                "approvalStatus": approval_status,
                "valid": is_valid,
            }
        )
    return {
        "timeEntries": [
            {"userId": times[0]["userId"], "times": times} for _, times in groups.values()
        ]
    }


class OrganizationSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()


class ClockBreakSerializer(serializers.Serializer):
    def get_fields(self) -> dict[str, serializers.Field]:
        return span_fields(open_end=True)


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


class RefusedUserSerializer(serializers.Serializer):
    """A GET /clock item for a named user the caller may not see."""

    userId = serializers.UUIDField()
    status = serializers.IntegerField()
    message = serializers.CharField()


class ClockStatusSerializer(serializers.Serializer):
    """GET /clock: the envelope's items are the clocks themselves, one per clocked-in user,
    and one item per named user the caller may not see."""

    items = PolymorphicProxySerializer(
        component_name="ClockStatusItem",
        serializers=[ClockSerializer, RefusedUserSerializer],
        resource_type_field_name=None,
        many=True,
    )
    valid = serializers.BooleanField()


def refused_user_item(user_id: Any) -> dict[str, Any]:
    """A GET /clock item for a named user the caller may not see (McTime: "a 400 item")."""
    return {
        "userId": str(user_id),
        "status": REFUSED_USER_ITEM_STATUS,
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


def invalid_clocking_message(result: StopResult) -> str:
    """Why a stopped clock became an invalid clocking entry, and what to do with it."""
    prefix = "The clock time could not be saved and became an invalid clocking time entry"
    if result.closed is not None:
        # The closed dates, without the closing rule's "nothing was changed": the clock
        # time was kept.
        return f"{prefix}: {result.closed.message.split('; nothing')[0]}."
    assert result.locked_entry is not None
    reason = locked_entry_message(result.locked_entry, user=result.entry.user)
    return f"{prefix} (delete it via DELETE /times). {reason}"
