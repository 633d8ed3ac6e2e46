"""ProSonata's working-time shape: parsing request bodies and rendering records.

Wire format (spec, GET /workingtimes/{id}): times `HH:MM:SS`, flags as 0/1 integers, the
total as a JSON number, unset breaks as null.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config.api.fields import AsciiIntegerField
from config.api.fields import DayField as SharedDayField
from config.api.ids import MAX_ID
from config.api.serializers import FastReadMixin
from workingtimes.models import BREAK_SLOTS, WorkingTime

TIME_FORMAT = "%H:%M:%S"
DATE_FORMAT = "%Y-%m-%d"
# ASCII digits only: Decimal() also reads Arabic-Indic digits.
_NUMBER = re.compile(r"^\s*[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)\s*$")
_BREAK_KEY = re.compile(r"^break(\d+)(Start|End)$", re.IGNORECASE)


# min/max rather than an enum: spectacular would name one enum per flag and warn about it.
@extend_schema_field(
    {"type": "integer", "minimum": 0, "maximum": 1, "description": "0 = no, 1 = yes"}
)
class FlagField(serializers.Field):
    """ProSonata's 0/1 flags. JSON booleans and the strings "0"/"1" are accepted too."""

    default_error_messages = {"invalid": "must be 0 or 1 (or true/false), got {value!r}."}

    def to_internal_value(self, data: Any) -> bool:
        if isinstance(data, bool):
            return data
        if (isinstance(data, int) and data in (0, 1)) or data in ("0", "1"):
            return bool(int(data))
        self.fail("invalid", value=data)
        raise AssertionError  # unreachable; fail() raises

    def to_representation(self, value: bool) -> int:
        return 1 if value else 0


@extend_schema_field({"type": "number", "format": "double", "example": 7.75})
class HoursField(serializers.Field):
    """Hours with a dot as decimal separator; more than two decimals are rounded half up.

    Rendered as a JSON number (7.75), never a string.
    """

    default_error_messages = {
        "invalid": "must be a number of hours, e.g. 7.75, got {value!r}.",
        "comma": "use a dot as decimal separator (7.75, not {value!r}).",
    }

    def to_internal_value(self, data: Any) -> Decimal:
        if isinstance(data, str):
            if "," in data:
                self.fail("comma", value=data)
            if not _NUMBER.match(data):
                self.fail("invalid", value=data)
            number = Decimal(data.strip())
        elif isinstance(data, int | float) and not isinstance(data, bool):
            number = Decimal(str(data))
        else:
            self.fail("invalid", value=data)
        if not number.is_finite():
            self.fail("invalid", value=data)
        if abs(number) >= 1000:
            return number  # refused by the range check (0..24 h); too big to quantize
        return number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    def to_representation(self, value: Decimal) -> float:
        return float(value)


# A pattern, not format "time": JSON Schema's "time" is RFC 3339's, which needs an offset.
@extend_schema_field(
    {"type": "string", "pattern": "^[0-9]{2}:[0-9]{2}:[0-9]{2}$", "example": "08:00:00"}
)
class WallTimeField(serializers.TimeField):
    """A wall-clock time of the record's user: `HH:MM:SS` (input also `HH:MM`)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("format", TIME_FORMAT)
        kwargs.setdefault("input_formats", [TIME_FORMAT, "%H:%M"])
        kwargs.setdefault(
            "error_messages",
            {"invalid": "must be a time HH:MM:SS (or HH:MM) from 00:00:00 to 23:59:59."},
        )
        super().__init__(**kwargs)

    def to_internal_value(self, value: Any) -> Any:
        if isinstance(value, str) and not value.isascii():
            self.fail("invalid")  # strptime reads Arabic-Indic digits
        return super().to_internal_value(value)


class DayField(SharedDayField):
    """`YYYY-MM-DD`, years 1900-2999 (the range every API shares)."""


DAY_TYPE_HELP = (
    "0 = Arbeit, 1 = Urlaub, 2 = Krankheit, 3 = Feiertag, 4 = Schule/Fortbildung, "
    "5 = Überstundenabbau, 6 = Elternzeit / Mutterschutz / Pflegezeit / Sonstige"
)
_DAY_TYPE_ERRORS = {
    "invalid": "must be a whole number from 0 to 6.",
    "min_value": "must be from 0 to 6.",
    "max_value": "must be from 0 to 6.",
}


class WorkingTimeWriteSerializer(serializers.Serializer):
    """POST body. Unknown keys are ignored (clients may send a record back as they got it),
    except breaks beyond the fourth, which would otherwise be lost silently."""

    userID = AsciiIntegerField(source="user_id", min_value=1, max_value=MAX_ID)
    workingDate = DayField(source="working_date")
    dailyTimeStart = WallTimeField(source="daily_time_start")
    dailyTimeEnd = WallTimeField(source="daily_time_end")
    dayType = AsciiIntegerField(
        source="day_type",
        required=False,
        min_value=0,
        max_value=6,
        error_messages=_DAY_TYPE_ERRORS,
        help_text=DAY_TYPE_HELP,
    )
    halfHoliday = FlagField(source="half_holiday", required=False)
    homeOffice = FlagField(source="home_office", required=False)
    break1Start = WallTimeField(source="break1_start", required=False, allow_null=True)
    break1End = WallTimeField(source="break1_end", required=False, allow_null=True)
    break2Start = WallTimeField(source="break2_start", required=False, allow_null=True)
    break2End = WallTimeField(source="break2_end", required=False, allow_null=True)
    break3Start = WallTimeField(source="break3_start", required=False, allow_null=True)
    break3End = WallTimeField(source="break3_end", required=False, allow_null=True)
    break4Start = WallTimeField(source="break4_start", required=False, allow_null=True)
    break4End = WallTimeField(source="break4_end", required=False, allow_null=True)
    dailyTimeTotal = HoursField(source="daily_time_total", help_text="Hours, e.g. 7.75")
    comments = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        allow_null=True,
        trim_whitespace=False,
        error_messages={"max_length": "must be at most 100 characters."},
    )

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        if isinstance(data, dict):
            for key in data:
                match = _BREAK_KEY.match(str(key))
                if match and int(match.group(1)) not in BREAK_SLOTS:
                    raise serializers.ValidationError(
                        {key: "at most four breaks (break1Start/End to break4Start/End)."}
                    )
        values = super().to_internal_value(data)
        if "comments" in values and values["comments"] is None:
            values["comments"] = ""
        return values


# Model field -> ProSonata field, read off the body's own fields: the API words the
# services' refusals with these names (`daily_time_end` -> `dailyTimeEnd`).
WIRE_NAMES: dict[str, str] = {
    field.source: name for name, field in WorkingTimeWriteSerializer().fields.items()
}


class WorkingTimeUpdateSerializer(WorkingTimeWriteSerializer):
    """PUT body: any subset of the POST fields."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["partial"] = True
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


@extend_schema_field({"type": "integer", "description": "0 when unset"})
class IdOrZeroField(serializers.IntegerField):
    """ProSonata writes 0, not null, for "nobody" (`editedByUserID`)."""

    def get_attribute(self, instance: Any) -> int:
        # Overridden here, not in to_representation: DRF renders None without asking us.
        return super().get_attribute(instance) or 0


class WorkingTimeSerializer(FastReadMixin, serializers.Serializer):
    """A record, in the order and shape of the spec's GET /workingtimes/{id} example."""

    workingTimeID = serializers.IntegerField(source="pk")
    userID = serializers.IntegerField(source="user_id")
    username = serializers.CharField(source="user.username")
    userFirstName = serializers.CharField(source="user.first_name")
    userLastName = serializers.CharField(source="user.last_name")
    workingDate = DayField(source="working_date")
    dailyTimeStart = WallTimeField(source="daily_time_start")
    dailyTimeEnd = WallTimeField(source="daily_time_end")
    dayType = serializers.IntegerField(source="day_type", help_text=DAY_TYPE_HELP)
    halfHoliday = FlagField(source="half_holiday")
    homeOffice = FlagField(source="home_office")
    break1Start = WallTimeField(source="break1_start", allow_null=True)
    break1End = WallTimeField(source="break1_end", allow_null=True)
    break2Start = WallTimeField(source="break2_start", allow_null=True)
    break2End = WallTimeField(source="break2_end", allow_null=True)
    break3Start = WallTimeField(source="break3_start", allow_null=True)
    break3End = WallTimeField(source="break3_end", allow_null=True)
    break4Start = WallTimeField(source="break4_start", allow_null=True)
    break4End = WallTimeField(source="break4_end", allow_null=True)
    dailyTimeTotal = HoursField(source="daily_time_total")
    comments = serializers.CharField()
    editedByUserID = IdOrZeroField(source="edited_by_id")
    workingTimeCreationDate = serializers.SerializerMethodField()
    workingTimeViaApi = FlagField(source="created_via_api")

    @extend_schema_field({"type": "string", "format": "date-time", "nullable": True})
    def get_workingTimeCreationDate(self, obj: WorkingTime) -> str | None:
        # ISO 8601 with the offset of the record user's zone, like the wall-clock fields.
        if obj.created_at is None:
            return None
        return timezone.localtime(obj.created_at, obj.user.zone).isoformat(timespec="seconds")


# --- envelopes, for the OpenAPI description only -----------------------------------------


class MetaSerializer(serializers.Serializer):
    status = serializers.IntegerField()
    requestUserID = serializers.IntegerField()
    requestUsername = serializers.CharField()
    usergroupName = serializers.CharField()
    apiLimitRemaining = serializers.IntegerField()
    apiLimitReset = serializers.IntegerField(help_text="Seconds until the quota resets")


class ListMetaSerializer(MetaSerializer):
    page = serializers.IntegerField()
    perPage = serializers.IntegerField()
    totalCount = serializers.IntegerField()


class CreateMetaSerializer(MetaSerializer):
    insertID = serializers.IntegerField()


class WorkingTimeListEnvelope(serializers.Serializer):
    meta = ListMetaSerializer()
    data = WorkingTimeSerializer(many=True)


class WorkingTimeEnvelope(serializers.Serializer):
    meta = MetaSerializer()
    data = WorkingTimeSerializer()


class WorkingTimeCreatedEnvelope(serializers.Serializer):
    meta = CreateMetaSerializer()
    data = WorkingTimeSerializer()


class EmptyEnvelope(serializers.Serializer):
    meta = MetaSerializer()
    data = serializers.ListField(child=serializers.IntegerField(), max_length=0)


class ErrorMetaSerializer(serializers.Serializer):
    status = serializers.IntegerField()
    message = serializers.CharField()


class ErrorEnvelope(serializers.Serializer):
    meta = ErrorMetaSerializer()
    data = serializers.ListField(child=serializers.IntegerField(), max_length=0)
