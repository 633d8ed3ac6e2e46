"""Serializer fields shared by several apps."""

import datetime as dt
import re
import uuid
from datetime import UTC
from typing import Any

from rest_framework import serializers

MOCO_TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


class MocoTimestampField(serializers.DateTimeField):
    """MOCO's `created_at` / `updated_at`: UTC, seconds, `Z` suffix (2018-10-17T09:33:46Z)."""

    def __init__(self, **kwargs):  # type: ignore[no-untyped-def]
        kwargs.setdefault("read_only", True)
        super().__init__(format=MOCO_TIMESTAMP_FORMAT, default_timezone=UTC, **kwargs)


def moco_timestamp(value: dt.datetime | None) -> str | None:
    """What MocoTimestampField renders, for list pages that render rows without DRF fields.

    A naive value is taken as UTC, as the field does.
    """
    if not value:
        return None
    if value.utcoffset():
        value = value.astimezone(UTC)
    if value.year < 1000:
        return value.strftime(MOCO_TIMESTAMP_FORMAT)  # strftime does not pad such a year
    # f-string: a third of strftime's CPU (which parses its format on every call).
    return (
        f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
        f"T{value.hour:02d}:{value.minute:02d}:{value.second:02d}Z"
    )


MIN_YEAR, MAX_YEAR = 1900, 2999


class OffsetDateTimeField(serializers.DateTimeField):
    """An instant written with its offset, seconds precision (2022-04-19T16:30:29+00:00).

    Input must carry an offset: a naive value is refused instead of being guessed.
    """

    default_error_messages = {
        "naive": "Datetime must include a time zone offset, e.g. 2022-04-25T08:00:00+03:00.",
        "range": "Datetime must lie between the years 1900 and 2999 (in UTC).",
    }

    def __init__(self, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(format="iso-8601", **kwargs)

    def to_internal_value(self, value):  # type: ignore[no-untyped-def]
        if isinstance(value, str) and not is_plain_ascii(value):
            # Only ASCII digits are digits (Django's fallback parser reads Arabic-Indic
            # ones), and Python's fromisoformat ignores everything after a NUL.
            self.fail("invalid", format="YYYY-MM-DDThh:mm:ss+HH:MM")
        try:
            parsed = super().to_internal_value(value)
        except OverflowError:
            self.fail("range")
        if parsed.tzinfo is None:
            self.fail("naive")
        # Stored in UTC: PostgreSQL refuses offsets beyond ±15:59 and years past 9999, and
        # an instant it can store but Python cannot read back would break every later read.
        try:
            instant = parsed.astimezone(UTC)
        except OverflowError:
            self.fail("range")
        if not MIN_YEAR <= instant.year <= MAX_YEAR:
            self.fail("range")
        # The wire carries whole seconds; a stored fraction would make a value read back and
        # sent again differ from the stored one (and trigger McTime's overwrite rule).
        return instant.replace(microsecond=0)

    def enforce_timezone(self, value):  # type: ignore[no-untyped-def]
        # Keep the offset the client sent; only naive values would be made aware here,
        # and those are refused above.
        return value

    def to_representation(self, value):  # type: ignore[no-untyped-def]
        if value is None:
            return None
        return value.isoformat(timespec="seconds")


# --- shared parsing: ASCII digits only, one date range for every API ------------------------
# Python's str.isdigit(), `\d`, int(), Decimal() and strptime() also read superscript,
# Arabic-Indic or fullwidth digits;
# on the wire only 0-9 are digits (docs/robustness.md).

_DAY = re.compile(r"^(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})$")


def is_plain_ascii(text: str) -> bool:
    """Printable ASCII only: no control character (NUL, newline) and no non-ASCII digit."""
    return text.isascii() and text.isprintable()


def is_ascii_number(text: str) -> bool:
    """A whole number written with ASCII digits only (no sign, no spaces, no `_`)."""
    return text.isascii() and text.isdigit()


def parse_day(text: object) -> dt.date | None:
    """`YYYY-MM-DD`, ASCII digits, years 1900-2999; None for anything else."""
    match = _DAY.fullmatch(text) if isinstance(text, str) else None
    if match is None or not MIN_YEAR <= int(match["year"]) <= MAX_YEAR:
        return None
    try:
        return dt.date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        return None


class DayField(serializers.DateField):
    """A calendar date `YYYY-MM-DD` within 1900-2999, rendered with a four-digit year."""

    default_error_messages = {
        "invalid": "must be a date YYYY-MM-DD between 1900-01-01 and 2999-12-31.",
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", input_formats=["%Y-%m-%d"], **kwargs)

    def to_internal_value(self, value: Any) -> dt.date:
        day = parse_day(value)
        if day is None:
            self.fail("invalid")
        return day

    def to_representation(self, value: Any) -> str | None:
        # isoformat pads the year to four digits on every platform; strftime does not.
        return None if value is None else value.isoformat()


class AsciiIntegerField(serializers.IntegerField):
    """An integer (JSON number, or a string of ASCII digits with an optional sign)."""

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, str) and not data.strip().lstrip("+-").isascii():
            self.fail("invalid")
        if isinstance(data, str) and len(data.strip().lstrip("+-")) > 20:
            self.fail("max_value", max_value=self.max_value)  # int() would read 4,300 digits
        return super().to_internal_value(data)


class BoundedDateTimeField(serializers.DateTimeField):
    """An instant within the years 1900-2999 (in UTC); a naive value is in the company
    time zone. ASCII digits only."""

    default_error_messages = {
        "range": "Datetime must lie between the years 1900 and 2999 (in UTC).",
    }

    def to_internal_value(self, value: Any) -> dt.datetime:
        if isinstance(value, str) and not is_plain_ascii(value):
            self.fail("invalid", format="YYYY-MM-DDThh:mm[:ss][+HH:MM|-HH:MM|Z]")
        try:
            parsed = super().to_internal_value(value)
            instant = parsed.astimezone(UTC)
        except OverflowError:
            self.fail("range")
        if not MIN_YEAR <= instant.year <= MAX_YEAR:
            self.fail("range")
        return parsed


def parse_uuid(value: object) -> uuid.UUID:
    """A UUID written in ASCII hex digits (uuid.UUID() also reads Arabic-Indic digits);
    ValueError otherwise."""
    if not isinstance(value, str) or not is_plain_ascii(value):
        raise ValueError("not an ASCII UUID")
    return uuid.UUID(value)


class AsciiUUIDField(serializers.UUIDField):
    """A UUID in ASCII hex digits only."""

    def to_internal_value(self, data: Any) -> uuid.UUID:
        if isinstance(data, str) and not is_plain_ascii(data):
            self.fail("invalid", value=data)
        return super().to_internal_value(data)
