"""McTime input parsing: RFC 3339 instants with ASCII digits and real-world offsets, and
null read as "not provided" (typed clients serialise absent optional fields as null)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from config.api.fields import OffsetDateTimeField

# RFC 3339 date-time in ASCII digits: calendar dates only (no ISO week or ordinal dates,
# no fullwidth or other Unicode digits), `T`/`t`/space, optional fraction, offset or Z/z.
_RFC3339 = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]+)?)?"
    r"(?P<offset>[Zz]|[+-](?P<hours>[0-9]{2})(?::?(?P<minutes>[0-9]{2}))?)?$",
    re.ASCII,
)
MAX_OFFSET_MINUTES = 14 * 60
_FORMAT_HINT = "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]"


class McTimeInstantField(OffsetDateTimeField):
    """McTime's instants: RFC 3339 (lowercase `t`/`z` too), offsets within ±14:00 (the
    real world's range; `+23:59` would silently shift the instant by almost a day)."""

    default_error_messages = {
        "offset": "Datetime offset must lie between -14:00 and +14:00.",
    }

    def to_internal_value(self, value):  # type: ignore[no-untyped-def]
        text = value.strip() if isinstance(value, str) else value
        match = _RFC3339.match(text) if isinstance(text, str) else None
        if match is None:
            # Garbage and naive values get the usual messages; what Python's parser would
            # still take (week dates, non-ASCII digits) is refused as a wrong format.
            super().to_internal_value(value)
            self.fail("invalid", format=_FORMAT_HINT)
        if match["hours"] is not None:
            minutes = int(match["hours"]) * 60 + int(match["minutes"] or 0)
            if minutes > MAX_OFFSET_MINUTES or int(match["minutes"] or 0) > 59:
                self.fail("offset")
        if match["offset"] == "z":
            text = text[:-1] + "Z"
        return super().to_internal_value(text[:10] + "T" + text[11:])


def drop_nulls(attrs: dict[str, Any], names: Iterable[str]) -> dict[str, Any]:
    """Typed clients send an absent optional field as null: null means "not provided"."""
    for name in names:
        if name in attrs and attrs[name] is None:
            del attrs[name]
    return attrs
