"""Reading one record as the API reads a request: shared by the sources' `prepare`."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any, TypeVar

from rest_framework.exceptions import ValidationError
from rest_framework.serializers import Serializer

from imports.sources.errors import RecordRejected

T = TypeVar("T")


def strict_parser(pattern: str, parse: Callable[[str], T]) -> Callable[[str], T | None]:
    """`parse` of a text that matches `pattern` (from its start; anchor the end), None for
    any other text or when `parse` raises ValueError. Answers for matching texts are
    remembered (an export repeats the same few dates and times thousands of times); other
    texts are not, so junk input never stays in memory. Give it str only."""
    regex = re.compile(pattern)

    @functools.lru_cache(maxsize=65536)
    def parsed_match(text: str) -> T | None:
        try:
            return parse(text)
        except ValueError:
            return None

    def parsed(text: str) -> T | None:
        return parsed_match(text) if regex.match(text) else None

    return parsed


def serializer_errors(errors: Any, prefix: str = "") -> str:
    """A DRF serializer's errors as one line: `to: Time has wrong format…; date: …`."""
    if isinstance(errors, dict):
        return "; ".join(
            serializer_errors(value, f"{prefix}.{key}" if prefix else str(key))
            for key, value in errors.items()
        )
    if isinstance(errors, list):
        return "; ".join(serializer_errors(value, prefix) for value in errors)
    return f"{prefix}: {errors}" if prefix else str(errors)


def validated(serializer: Serializer, data: Any) -> Any:
    """What the API's serializer makes of `data`; its errors, in one line, reject the record.

    The sources try their quick canonical parser first and ask the serializer only for what
    that parser leaves to it (so that the API words the error).
    """
    try:
        return serializer.run_validation(data)
    except ValidationError as exc:
        raise RecordRejected(serializer_errors(exc.detail)) from None


def required(item: dict[str, Any], key: str) -> Any:
    value = item.get(key) if isinstance(item, dict) else None
    if value in (None, ""):
        raise RecordRejected(f"{key}: missing")
    return value
