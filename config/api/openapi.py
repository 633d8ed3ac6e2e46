"""The OpenAPI description of the four dialects: what `/api/schema/` promises and the fuzz
tests hold the server to (docs/robustness.md).

- Security: each accepted key form is its own requirement, so any ONE of them authenticates
  (one requirement listing them all would mean all at once).
- MOCO and Timebridge operations declare `X-IMPERSONATE-USER-ID`, the only ones where it
  works.
- McTime successes are described inside their `{"items": [{"message", "data"}], "valid"}`
  envelope.
- Every status an operation can answer besides its successes is listed with the dialect's
  error body; nothing else (a 500 is a bug, never a promise).
- Descriptions come from the view or method itself, never from an inherited internal
  docstring.
"""

from __future__ import annotations

import copy
import inspect
from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

_STRING = {"type": "string"}


def mctime_envelope(data: dict[str, Any], *, valid: bool = True) -> dict[str, Any]:
    """McTime's `{"items": [{"message", "data"}], "valid"}` around `data`'s schema."""
    return {
        "type": "object",
        "properties": {
            "items": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"message": _STRING, "data": data},
                    "required": ["message", "data"],
                },
            },
            "valid": {"type": "boolean", "enum": [valid]},
        },
        "required": ["items", "valid"],
    }


ERROR_BODIES: dict[str, dict[str, Any]] = {
    "moco": {
        "type": "object",
        "properties": {"message": _STRING},
        "required": ["message"],
    },
    "huddle": {
        "type": "object",
        "properties": {
            "statusCode": {"type": "integer"},
            "errorCode": _STRING,
            "errorMessages": {"type": "array", "items": _STRING},
        },
        "required": ["statusCode", "errorCode", "errorMessages"],
    },
    "mctime": mctime_envelope({}, valid=False),
    "prosonata": {
        "type": "object",
        "properties": {
            "meta": {
                "type": "object",
                "properties": {"status": {"type": "integer"}, "message": _STRING},
                "required": ["status", "message"],
            },
            "data": {"type": "array", "maxItems": 0},
        },
        "required": ["meta", "data"],
    },
    "timebridge": {
        "type": "object",
        "properties": {
            "type": _STRING,
            "title": _STRING,
            "status": {"type": "integer"},
            "detail": _STRING,
        },
        "required": ["type", "title", "status", "detail"],
    },
}
# Timebridge's own API answers errors as RFC 9457 problem details.
ERROR_MEDIA_TYPES = {"timebridge": "application/problem+json"}
REASONS = {
    400: "Bad input; the message names the field.",
    401: "Missing, unknown or revoked API key.",
    403: "The key's user may not do this.",
    404: "No such record, or one the caller may not see.",
    409: "A concurrent write conflicted; nothing was changed.",
    413: "The request body exceeds the upload limit.",
    415: "The body's Content-Type is not JSON (or a form, where accepted).",
    422: "Bad input, or a write that conflicts with existing data (MOCO).",
    423: "The touch would overlap another presence (MOCO).",
    429: "Rate limit exceeded; Retry-After gives the seconds to wait.",
}
IMPERSONATE = OpenApiParameter(
    "X-IMPERSONATE-USER-ID",
    OpenApiTypes.INT,
    OpenApiParameter.HEADER,
    description="Administrators' keys only: act as the user with this id.",
)
WRITE_METHODS = ("POST", "PUT", "PATCH")
# Set on a McTime operation whose answer is the envelope itself, its items not wrapped in
# messages (GET /clock); its response serializer describes the whole body.
MCTIME_ITEMS_AS_IS = "x-mctime-items-as-is"


def error_statuses(dialect: str, method: str) -> list[int]:
    """The statuses any operation of `dialect` can answer besides success."""
    statuses = [401, 403, 404, 429]
    statuses.append(422 if dialect == "moco" else 400)
    if method in WRITE_METHODS or method == "DELETE":
        statuses.append(423 if dialect == "moco" else 409)
    if method in WRITE_METHODS:
        statuses += [413, 415]
    return sorted(statuses)


class DialectAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema, told about the wire dialects (see the module doc)."""

    def _dialect(self) -> str | None:
        dialect = getattr(self.view, "dialect", None)
        return getattr(dialect, "name", None)

    def get_description(self) -> str:  # type: ignore[override]
        method = getattr(self.view, self.method.lower(), None)
        own = self.view.__class__.__dict__.get("__doc__")
        for doc in (getattr(method, "__doc__", None), own):
            if doc:
                return inspect.cleandoc(doc)
        return ""

    def get_auth(self) -> list[dict[str, Any]]:
        return [{name: scopes} for req in super().get_auth() for name, scopes in req.items()]

    def get_override_parameters(self) -> list[Any]:
        parameters = list(super().get_override_parameters())
        # MOCO's header; Timebridge's own API honours it as well.
        if self._dialect() in ("moco", "timebridge"):
            parameters.append(IMPERSONATE)
        return parameters

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation = super().get_operation(*args, **kwargs)
        dialect = self._dialect()
        if operation is None or dialect is None:
            return operation
        responses = operation.setdefault("responses", {})
        if dialect == "mctime" and not operation.pop(MCTIME_ITEMS_AS_IS, False):
            for code, response in responses.items():
                content = response.get("content", {}).get("application/json")
                if code.startswith("2") and content is not None:
                    content["schema"] = mctime_envelope(content["schema"])
        body = ERROR_BODIES[dialect]
        for status in error_statuses(dialect, self.method):
            response = responses.setdefault(str(status), {"description": REASONS[status]})
            media_type = ERROR_MEDIA_TYPES.get(dialect, "application/json")
            response["content"] = {media_type: {"schema": copy.deepcopy(body)}}
        return operation
