"""MOCO presence shapes: parse the wire fields `date`, `from`, `to`, `is_home_office`; render
a presence with its embedded user. Rules beyond the format live in the services.

`from` is a Python keyword, so the `from`/`to` fields are added in `get_fields`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import User
from config.api.fields import DayField, MocoTimestampField, moco_timestamp
from config.api.serializers import FastReadMixin
from presences.models import Presence

# ASCII digits only (`\d` would also read Arabic-Indic digits).
_TIME = re.compile(r"^(?P<hour>[0-9]{1,2}):(?P<minute>[0-9]{2})(?::(?P<second>[0-9]{2}))?$")


@extend_schema_field({"type": "string", "pattern": r"^\d{2}:\d{2}$", "example": "08:30"})
class WallClockTimeField(serializers.Field):
    """A local wall-clock time of the day, `HH:MM` on the wire.

    Accepts `H:MM`/`HH:MM` and `HH:MM:00` (clients that format a `time` with seconds);
    anything else — `25:00`, `8am`, seconds other than 00 — is refused.
    """

    default_error_messages = {
        "invalid": 'Time has wrong format; use "HH:MM" (00:00-23:59).',
        "whole_minute": "Time must be a whole minute (HH:MM).",
    }

    def to_internal_value(self, data: Any) -> dt.time:
        match = _TIME.fullmatch(data) if isinstance(data, str) else None
        if match is None:
            self.fail("invalid")
        hour, minute = int(match["hour"]), int(match["minute"])
        if hour > 23 or minute > 59:
            self.fail("invalid")
        if match["second"] not in (None, "00"):
            self.fail("whole_minute")
        return dt.time(hour, minute)

    def to_representation(self, value: dt.time | None) -> str | None:
        return value.strftime("%H:%M") if value is not None else None


class OptionalWallClockTimeField(WallClockTimeField):
    """`to`: MOCO says it "can be left blank" — `""` means the same as null or leaving it out."""

    def validate_empty_values(self, data: Any) -> tuple[bool, Any]:
        if isinstance(data, str) and data == "":
            return True, None
        return super().validate_empty_values(data)


class PresenceInputSerializer(serializers.Serializer):
    """POST / PUT body. Unknown fields are ignored (MOCO clients send extra ones)."""

    date = DayField()
    is_home_office = serializers.BooleanField(required=False)

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        fields["from"] = WallClockTimeField(source="from_time")
        # `to` may be null, blank or left out: the presence stays open.
        fields["to"] = OptionalWallClockTimeField(source="to_time", required=False, allow_null=True)
        return fields


# Model field -> MOCO field (`from_time` -> `from`), read off the body's own fields.
WIRE_NAMES: dict[str, str] = {
    field.source: name for name, field in PresenceInputSerializer().fields.items()
}


class TouchInputSerializer(serializers.Serializer):
    """POST /touch body (optional): `is_home_office`, `override` ("YYYY-MM-DD HH:MM")."""

    is_home_office = serializers.BooleanField(required=False, allow_null=True)
    override = serializers.CharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text='Local wall time "YYYY-MM-DD HH:MM" to use instead of now.',
    )


class PresenceUserSerializer(FastReadMixin, serializers.ModelSerializer):
    firstname = serializers.CharField(source="first_name")
    lastname = serializers.CharField(source="last_name")

    class Meta:
        model = User
        fields = ["id", "firstname", "lastname"]


class PresenceSerializer(FastReadMixin, serializers.ModelSerializer):
    """A presence as MOCO renders it (`from`/`to` as HH:MM, `to` null while open)."""

    date = DayField()
    user = PresenceUserSerializer()
    created_at = MocoTimestampField()
    updated_at = MocoTimestampField()

    class Meta:
        model = Presence
        fields = ["id", "date", "is_home_office", "user", "created_at", "updated_at"]

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        rendered = {
            "id": fields["id"],
            "date": fields["date"],
            "from": WallClockTimeField(source="from_time"),
            "to": WallClockTimeField(source="to_time", allow_null=True),
        }
        rendered.update((name, field) for name, field in fields.items() if name not in rendered)
        return rendered


# --- list pages: rows, not model instances --------------------------------------------------
# A list page renders `values_list(*PAGE_COLUMNS)` rows with `render_page_rows`: no model
# instances, no DRF fields, about a third of the CPU of `PresenceSerializer(many=True)`.
# It must render exactly what PresenceSerializer renders (same keys, order and values);
# tests/presences/test_page_rows.py compares both, as data and as JSON bytes.
PAGE_COLUMNS = (
    "id",
    "date",
    "from_time",
    "to_time",
    "is_home_office",
    "user_id",
    "user__first_name",
    "user__last_name",
    "created_at",
    "updated_at",
)


def render_page_rows(rows: Iterable[tuple[Any, ...]]) -> list[dict[str, Any]]:
    """Wire dicts of `PAGE_COLUMNS` rows, as PresenceSerializer renders those presences."""
    # time.isoformat() is "HH:MM:SS[.ffffff]": its first five characters are
    # strftime("%H:%M"), without strftime's per-call format parsing.
    return [
        {
            "id": pk,
            "date": day.isoformat(),
            "from": start.isoformat()[:5],
            "to": None if end is None else end.isoformat()[:5],
            "is_home_office": bool(home_office),
            "user": {"id": user_id, "firstname": str(first), "lastname": str(last)},
            "created_at": moco_timestamp(created),
            "updated_at": moco_timestamp(updated),
        }
        for pk, day, start, end, home_office, user_id, first, last, created, updated in rows
    ]
