"""Serializer fields shared by several apps."""

from datetime import UTC

from rest_framework import serializers


class MocoTimestampField(serializers.DateTimeField):
    """MOCO's `created_at` / `updated_at`: UTC, seconds, `Z` suffix (2018-10-17T09:33:46Z)."""

    def __init__(self, **kwargs):  # type: ignore[no-untyped-def]
        kwargs.setdefault("read_only", True)
        super().__init__(format="%Y-%m-%dT%H:%M:%SZ", default_timezone=UTC, **kwargs)


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
        parsed = super().to_internal_value(value)
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
