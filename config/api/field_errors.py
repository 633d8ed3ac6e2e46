"""Refusals about model fields, worded without any API's field names.

Services and selectors raise `FieldErrors` with `(model field, reason)` pairs; a reason may
name another field by its model name (`must be after daily_time_start (08:00)`). Each edge
words them its way: a dialect view renames the fields to its wire names (`WireFieldNames`),
the back office puts each reason next to its form field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from http import HTTPStatus
from typing import Any, ClassVar

from config.api.errors import ApiError

FieldReason = tuple[str | None, str]


def word(errors: Iterable[FieldReason], names: Mapping[str, str]) -> str:
    """`field: reason; …`, every model field named by `names` (unnamed ones as they are)."""
    return "; ".join(
        f"{names.get(field, field)}: {rename(reason, names)}" if field else rename(reason, names)
        for field, reason in errors
    )


def rename(reason: str, names: Mapping[str, str]) -> str:
    """`reason` with the model fields it mentions named by `names`."""
    # Only snake_case model names are renamed inside a reason: a plain word such as "user"
    # or "comments" is as likely to be English as a field.
    fields = sorted((name for name in names if "_" in name), key=len, reverse=True)
    if not fields:
        return reason
    pattern = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, fields)) + r")(?!\w)")
    return pattern.sub(lambda match: names[match.group(1)], reason)


class FieldErrors(ApiError):
    """One or more fields break a rule. `errors` keeps the pairs; `message` words them with
    the model's names, for an edge that has no names of its own."""

    def __init__(
        self,
        errors: Iterable[FieldReason],
        *,
        status: int = HTTPStatus.BAD_REQUEST,
        code: str = "ValidationFailed",
    ) -> None:
        self.errors = list(errors)
        super().__init__(word(self.errors, {}), code=code, field=self.errors[0][0], status=status)

    @classmethod
    def one(cls, field: str | None, reason: str, **kwargs: Any) -> FieldErrors:
        return cls([(field, reason)], **kwargs)

    def on_wire(self, names: Mapping[str, str]) -> ApiError:
        """The same refusal in an API's words (its field names, same status and code)."""
        field = self.errors[0][0]
        return ApiError(
            word(self.errors, names),
            code=self.code,
            field=names.get(field, field) if field else None,
            status=self.status,
        )


class WireFieldNames:
    # Not a docstring: a view without one of its own would show this text in OpenAPI.
    # View mixin: words `FieldErrors` with the API's field names (`field_names`: model
    # field -> wire name) before the dialect renders the refusal.

    field_names: ClassVar[Mapping[str, str]] = {}

    def handle_exception(self, exc: Exception) -> Any:
        if isinstance(exc, FieldErrors):
            exc = exc.on_wire(self.field_names)
        return super().handle_exception(exc)  # type: ignore[misc]
