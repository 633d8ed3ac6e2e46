"""Errors shared by all apps, and their reduction to one neutral shape.

Services raise `ApiError` subclasses (never DRF exceptions, never HTTP details of one API);
each wire dialect turns the neutral `Problem` into its source's error body and status.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from rest_framework import exceptions as drf

logger = logging.getLogger(__name__)
_SURROGATES = re.compile("[\ud800-\udfff]")


class ApiError(Exception):
    """A refusal that a client should see, with an optional machine code and field name.

    `code` is a Huddle-style error code (`DateInvalid`, `TeamDeleted`…); dialects that have
    no codes ignore it. `data` rides along for dialects that return it with the error
    (McTime's invalid clocking entry).
    """

    status: int = HTTPStatus.BAD_REQUEST
    default_code: str = "BadRequest"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        field: str | None = None,
        status: int | None = None,
        data: Any = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.field = field
        self.data = data
        if status is not None:
            self.status = status


class InvalidInput(ApiError):
    """Bad input: MOCO answers 422, the others 400."""

    default_code = "ValidationFailed"


class NotFound(ApiError):
    status = HTTPStatus.NOT_FOUND
    default_code = "NotFound"


class Forbidden(ApiError):
    status = HTTPStatus.FORBIDDEN
    default_code = "InsufficientPermissions"


class Conflict(ApiError):
    """The request contradicts existing data (an overlap, a second running clock…)."""

    default_code = "Conflict"


class Locked(ApiError):
    status = HTTPStatus.LOCKED
    default_code = "Locked"


class PeriodClosed(ApiError):
    """A write would create, change or delete a record on a date of a closed period.

    Neutral: each dialect words it (MOCO 423, McTime 400, ProSonata 403, Huddle 403
    `PeriodClosed`). `dates` are the closed local dates of the user that the write touches.
    """

    status = HTTPStatus.FORBIDDEN
    default_code = "PeriodClosed"
    kind = "period_closed"

    def __init__(self, message: str, *, dates: tuple = (), **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.dates = tuple(dates)


class PayloadTooLarge(ApiError):
    """A body over the upload limit (docs/robustness.md); refused before it is parsed."""

    status = HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    default_code = "PayloadTooLarge"


@dataclass
class Problem:
    """What went wrong, independent of any wire format."""

    status: int
    code: str
    message: str
    field: str | None = None
    kind: str = "error"  # invalid | not_found | forbidden | unauthenticated | throttled | error
    headers: dict[str, str] = dataclasses.field(default_factory=dict)
    data: Any = None
    wait: int | None = None

    def __post_init__(self) -> None:
        # A message may quote client input; an unpaired surrogate in it could not be
        # encoded into the answer (a 500 while rendering a 400).
        self.message = _SURROGATES.sub("\ufffd", self.message)


def _flatten_detail(detail: Any, prefix: str = "") -> list[tuple[str | None, str]]:
    """DRF's nested error detail as (field, message) pairs, fields dotted (`breaks.0.from`)."""
    if isinstance(detail, dict):
        pairs: list[tuple[str | None, str]] = []
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if key in ("non_field_errors", "__all__"):
                name = prefix
            pairs.extend(_flatten_detail(value, name))
        return pairs
    if isinstance(detail, list):
        pairs = []
        for index, value in enumerate(detail):
            nested = isinstance(value, dict | list)
            pairs.extend(_flatten_detail(value, f"{prefix}.{index}" if nested else prefix))
        return pairs
    return [(prefix or None, str(detail))]


def _message_from_pairs(pairs: list[tuple[str | None, str]]) -> tuple[str | None, str]:
    first_field = next((name for name, _ in pairs if name), None)
    parts = [f"{name}: {message}" if name else message for name, message in pairs]
    return first_field, "; ".join(parts) or "Invalid input."


def problem_from_exception(exc: Exception) -> Problem | None:
    """Reduce any exception a view may raise to a Problem; None for a genuine bug (500)."""
    if isinstance(exc, ApiError):
        kind = {
            HTTPStatus.NOT_FOUND: "not_found",
            HTTPStatus.FORBIDDEN: "forbidden",
            HTTPStatus.LOCKED: "locked",
        }.get(exc.status, "invalid" if isinstance(exc, InvalidInput | PayloadTooLarge) else "error")
        kind = getattr(exc, "kind", kind)
        return Problem(
            status=exc.status,
            code=exc.code,
            message=exc.message,
            field=exc.field,
            kind=kind,
            data=exc.data,
        )
    if isinstance(exc, RequestDataTooBig):
        return Problem(413, "PayloadTooLarge", "The request body is too large.", kind="invalid")
    if isinstance(exc, TooManyFieldsSent):
        return Problem(400, "BadRequest", "The request has too many fields.", kind="invalid")
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        name, message = _message_from_pairs(_flatten_detail(detail))
        return Problem(400, "ValidationFailed", message, field=name, kind="invalid")
    if isinstance(exc, Http404):
        return Problem(404, "NotFound", "Not found.", kind="not_found")
    if isinstance(exc, DjangoPermissionDenied):
        return Problem(403, "InsufficientPermissions", "Permission denied.", kind="forbidden")
    if isinstance(exc, IntegrityError):
        # Services check invariants first; reaching here means a concurrent write won the
        # race and the database refused ours. Answer like any conflict, never with a 500.
        logger.warning("integrity error reached the API: %s", exc)
        return Problem(
            409,
            "Conflict",
            "The request conflicts with existing data; nothing was changed.",
            kind="error",
        )
    if isinstance(exc, drf.Throttled):
        wait = int(exc.wait or 1) if exc.wait is not None else 1
        return Problem(
            429,
            "TooManyRequests",
            f"Rate limit exceeded; try again in {wait} seconds.",
            kind="throttled",
            headers={"Retry-After": str(wait)},
            wait=wait,
        )
    if isinstance(exc, drf.NotAuthenticated | drf.AuthenticationFailed):
        return Problem(401, "AccessTokenInvalid", str(exc.detail), kind="unauthenticated")
    if isinstance(exc, drf.PermissionDenied):
        return Problem(403, "InsufficientPermissions", str(exc.detail), kind="forbidden")
    if isinstance(exc, drf.NotFound):
        return Problem(404, "NotFound", str(exc.detail), kind="not_found")
    if isinstance(exc, drf.ParseError):
        return Problem(400, "BadRequest", f"Malformed request body: {exc.detail}", kind="invalid")
    if isinstance(exc, drf.ValidationError):
        name, message = _message_from_pairs(_flatten_detail(exc.detail))
        return Problem(400, "ValidationFailed", message, field=name, kind="invalid")
    if isinstance(exc, drf.APIException):
        # DRF's codes are snake_case (`method_not_allowed`); error codes are PascalCase
        # like Huddle's own (`MethodNotAllowed`).
        code = "".join(part.capitalize() for part in str(exc.default_code).split("_"))
        return Problem(exc.status_code, code, str(exc.detail), kind="error")
    return None
