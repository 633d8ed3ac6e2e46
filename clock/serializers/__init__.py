"""McTime shapes: request bodies and queries in, clocks and time entries out."""

from clock.serializers.queries import ClockQuerySerializer, TimesQuerySerializer
from clock.serializers.requests import (
    COMMENT_MAX_LENGTH,
    MAX_BREAKS_PER_ENTRY,
    MAX_TIMES_PER_REQUEST,
    ClockAction,
    ClockActionSerializer,
    TimeInputSerializer,
    TimesWriteSerializer,
)
from clock.serializers.responses import (
    ClockSerializer,
    ClockStatusSerializer,
    TimeEntrySerializer,
    TimesListSerializer,
    invalid_clocking_message,
    refused_user_item,
    render_time_entry_rows,
)

__all__ = [
    "COMMENT_MAX_LENGTH",
    "MAX_BREAKS_PER_ENTRY",
    "MAX_TIMES_PER_REQUEST",
    "ClockAction",
    "ClockActionSerializer",
    "ClockQuerySerializer",
    "ClockSerializer",
    "ClockStatusSerializer",
    "TimeEntrySerializer",
    "TimeInputSerializer",
    "TimesListSerializer",
    "TimesQuerySerializer",
    "TimesWriteSerializer",
    "invalid_clocking_message",
    "refused_user_item",
    "render_time_entry_rows",
]
