"""Errors shared by all apps, and their reduction to one neutral shape.

Services raise `ApiError` subclasses (never DRF exceptions, never HTTP details of one API);
each wire dialect turns the neutral `Problem` into its source's error body and status.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Callable
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


def _from_api_error(exc: ApiError) -> Problem:
    return Problem(exc.status, exc.code, exc.message, field=exc.field, data=exc.data)


def _from_validation_error(exc: DjangoValidationError | drf.ValidationError) -> Problem:
    if isinstance(exc, drf.ValidationError):
        detail = exc.detail
    else:
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
    name, message = _message_from_pairs(_flatten_detail(detail))
    return Problem(400, "ValidationFailed", message, field=name)


def _from_integrity_error(exc: IntegrityError) -> Problem:
    # Services check invariants first; reaching here means a concurrent write won the race
    # and the database refused ours. Answer like any conflict, never with a 500.
    logger.warning("integrity error reached the API: %s", exc)
    return Problem(
        409, "Conflict", "The request conflicts with existing data; nothing was changed."
    )


def _from_throttled(exc: drf.Throttled) -> Problem:
    wait = int(exc.wait or 1) if exc.wait is not None else 1
    return Problem(
        429,
        "TooManyRequests",
        f"Rate limit exceeded; try again in {wait} seconds.",
        headers={"Retry-After": str(wait)},
        wait=wait,
    )


def _from_drf_exception(exc: drf.APIException) -> Problem:
    # DRF's codes are snake_case (`method_not_allowed`); error codes are PascalCase like
    # Huddle's own (`MethodNotAllowed`).
    code = "".join(part.capitalize() for part in str(exc.default_code).split("_"))
    return Problem(exc.status_code, code, str(exc.detail))


# Exception type -> its Problem. The most specific type in an exception's MRO wins, so a
# DRF `NotFound` is answered as such, not as the `APIException` it also is.
_PROBLEM_BUILDERS: dict[type[Exception], Callable[[Any], Problem]] = {
    ApiError: _from_api_error,
    RequestDataTooBig: lambda _: Problem(413, "PayloadTooLarge", "The request body is too large."),
    TooManyFieldsSent: lambda _: Problem(400, "BadRequest", "The request has too many fields."),
    DjangoValidationError: _from_validation_error,
    Http404: lambda _: Problem(404, "NotFound", "Not found."),
    DjangoPermissionDenied: lambda _: Problem(403, "InsufficientPermissions", "Permission denied."),
    IntegrityError: _from_integrity_error,
    drf.Throttled: _from_throttled,
    drf.NotAuthenticated: lambda exc: Problem(401, "AccessTokenInvalid", str(exc.detail)),
    drf.AuthenticationFailed: lambda exc: Problem(401, "AccessTokenInvalid", str(exc.detail)),
    drf.PermissionDenied: lambda exc: Problem(403, "InsufficientPermissions", str(exc.detail)),
    drf.NotFound: lambda exc: Problem(404, "NotFound", str(exc.detail)),
    drf.ParseError: lambda exc: Problem(400, "BadRequest", f"Malformed request body: {exc.detail}"),
    drf.ValidationError: _from_validation_error,
    drf.APIException: _from_drf_exception,
}


def problem_from_exception(exc: Exception) -> Problem | None:
    """Reduce any exception a view may raise to a Problem; None for a genuine bug (500)."""
    for exc_type in type(exc).__mro__:
        build = _PROBLEM_BUILDERS.get(exc_type)
        if build is not None:
            return build(exc)
    return None
