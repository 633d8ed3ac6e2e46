"""What every API shares about row ids and absent values.

Ids on the wire are whole numbers written with ASCII digits only: Python's `str.isdigit()` and
`int()` also read superscript, Arabic-Indic and fullwidth digits, which no client means as an
id (docs/robustness.md). Ids are 64-bit integers in every table.
"""

from __future__ import annotations

from typing import Any, Final

MAX_ID: Final = 2**63 - 1


class _Unset:
    """The type of `UNSET`: one instance, falsy, with a readable repr."""

    _instance: _Unset | None = None

    def __new__(cls) -> _Unset:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "UNSET"


# "The request said nothing about this field" (leave it as it is), as opposed to None
# ("clear it"). Services take it as a default for partial updates.
UNSET: Any = _Unset()


def parse_id(value: object) -> int | None:
    """An id from a path, query, header or href as an int; None when it cannot name a row
    (not ASCII digits, zero, or beyond a 64-bit id)."""
    text = str(value)
    # More than 19 digits cannot be a row id (and int() refuses past 4,300 digits).
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None
