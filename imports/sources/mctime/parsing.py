"""Reading one McTime time entry as POST /times reads its element: quickly for the canonical
shape, else through the API's own serializer."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from typing import Any

from rest_framework.exceptions import ValidationError

from clock.models import TimeType
from clock.serializers import COMMENT_MAX_LENGTH, MAX_BREAKS_PER_ENTRY, TimeInputSerializer
from config.api.fields import MAX_YEAR, MIN_YEAR
from imports.sources.errors import RecordRejected
from imports.sources.parsing import serializer_errors

# ASCII digits; offsets within ±14:00 as the API's McTimeInstantField (else the serializer
# decides and words the error).
_INSTANT = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?"
    r"(Z|[+-](0[0-9]|1[0-3]):[0-5][0-9]|[+-]14:00)$"
)
_TIME_TYPES = frozenset(TimeType.values)


def _instant(value: Any) -> datetime | None:
    """As OffsetDateTimeField reads it: UTC, whole seconds, years 1900-2999; else None."""
    if type(value) is not str or not _INSTANT.match(value):
        return None
    try:
        instant = datetime.fromisoformat(value).astimezone(UTC)
    except (ValueError, OverflowError):
        return None
    if not MIN_YEAR <= instant.year <= MAX_YEAR:
        return None
    return instant.replace(microsecond=0)


def parse_canonical(item: dict[str, Any]) -> dict[str, Any] | None:
    """Parse a time entry in the canonical wire shape (what GET /times returns) quickly.

    A strict subset of what the API's TimeInputSerializer accepts (POST /times' element),
    with the same values; None for anything else, which the serializer then decides (and
    words the error).
    """
    starts_at, ends_at = _instant(item.get("from")), _instant(item.get("to"))
    if starts_at is None or ends_at is None:
        return None
    time_type = item.get("type", TimeType.WORK)
    comment = comment_of(item)
    if time_type not in _TIME_TYPES or type(comment) is not str:
        return None
    if len(comment) > COMMENT_MAX_LENGTH:
        return None
    raw_breaks = breaks_of(item)
    if type(raw_breaks) is not list or len(raw_breaks) > MAX_BREAKS_PER_ENTRY:
        return None
    breaks = []
    for raw in raw_breaks:
        if type(raw) is not dict:
            return None
        start, end = _instant(raw.get("from")), _instant(raw.get("to"))
        if start is None or end is None:
            return None
        breaks.append((start, end))
    return {
        "from": starts_at,
        "to": ends_at,
        "breaks": breaks,
        "timeType": str(time_type),
        "comment": comment,
    }


def parse_with_serializer(item: dict[str, Any]) -> dict[str, Any]:
    """The API's own parsing (POST /times' element), its errors named as the list shape
    names the fields (`type`, not `timeType`)."""
    data: dict[str, Any] = {k: item[k] for k in ("from", "to") if k in item}
    raw_breaks = breaks_of(item)
    data["breaks"] = (
        [
            {k: b[k] for k in ("from", "to") if k in b} if isinstance(b, dict) else b
            for b in raw_breaks
        ]
        if isinstance(raw_breaks, list)
        else raw_breaks
    )
    data["timeType"] = item.get("type", TimeType.WORK)
    data["comment"] = comment_of(item)
    try:
        parsed = TimeInputSerializer().run_validation(data)
    except ValidationError as exc:
        detail = exc.detail
        if isinstance(detail, dict) and "timeType" in detail:
            detail = {("type" if k == "timeType" else k): v for k, v in detail.items()}
        raise RecordRejected(serializer_errors(detail)) from None
    return {
        "from": parsed["from"],
        "to": parsed["to"],
        "breaks": [(b["from"], b["to"]) for b in parsed.get("breaks", [])],
        "timeType": str(parsed["timeType"]),
        "comment": parsed["comment"],
    }


# The list shape is an export, not a request: a null comment or breaks list (which a
# McTime export may carry) reads as empty, where POST /times would refuse null.
def comment_of(item: dict[str, Any]) -> Any:
    comment = item.get("comment")
    return "" if comment is None else comment


def breaks_of(item: dict[str, Any]) -> Any:
    breaks = item.get("breaks")
    return [] if breaks is None else breaks


def uuid_of(value: Any, key: str) -> str:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise RecordRejected(f"{key}: not a uuid ({value!r})") from None


def choice_of(item: dict[str, Any], key: str, choices: tuple[Any, ...], default: Any) -> Any:
    value = item.get(key, default)
    if value not in choices:
        allowed = ", ".join("null" if c is None else str(c) for c in choices)
        raise RecordRejected(f"{key}: {value!r} is not one of {allowed}")
    return value


def break_id_of(value: Any) -> str | None:
    try:
        return str(uuid.UUID(str(value))) if value else None
    except ValueError:
        return None  # not an id that can be kept; the break gets a new one
