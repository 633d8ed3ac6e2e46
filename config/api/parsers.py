"""Request bodies, read the same way by every dialect (docs/robustness.md).

- At most `DATA_UPLOAD_MAX_MEMORY_SIZE` bytes (Django's limit, 2.5 MB by default): a larger
  body is refused with 413 before it is parsed (and then drained, see `drain_body`).
- UTF-8 only (RFC 8259 §8.1); a leading byte-order mark is skipped, as the RFC allows.
- At most `MAX_JSON_DEPTH` nested arrays and objects: no body of the four APIs needs more
  than five, and the C decoder recurses once per level (a deep body used to end in a 500).
- NUL and unpaired surrogates (`"\\ud800"`) are valid JSON escapes; each field refuses them
  with its own API's error (DRF's text fields do), and no error message echoes a surrogate.
- Whole numbers of at most 4,300 digits (Python's limit for int()); NaN, Infinity and numbers
  beyond a float's range (`1e999`) are not JSON numbers and are refused.
"""

from __future__ import annotations

import json
import math
from typing import Any

from django.conf import settings
from rest_framework import exceptions
from rest_framework.parsers import JSONParser

from config.api.errors import PayloadTooLarge

MAX_JSON_DEPTH = 32


def body_limit() -> int:
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 2_621_440


def read_body(stream: Any) -> bytes:
    """The whole body, refusing one over the limit after reading one byte past it."""
    if stream is None:
        return b""
    limit = body_limit()
    raw = stream.read(limit + 1)
    if len(raw) > limit:
        raise PayloadTooLarge(f"The request body exceeds {limit} bytes.")
    return raw


# A refused body is still read to its end (up to this much), so that the next request on a
# keep-alive connection starts where the client sent it; past this, the server closes the
# connection instead of reading on.
MAX_DRAIN_BYTES = 32 * 1024 * 1024


def drain_body(request: Any) -> None:
    """Read and discard what is left of a refused request body (a Django HttpRequest)."""
    stream = getattr(request, "_stream", None)
    if stream is None or hasattr(request, "_body"):  # nothing to read, or read already
        return
    drained = 0
    try:
        while drained < MAX_DRAIN_BYTES:
            chunk = stream.read(64 * 1024)
            if not chunk:
                return
            drained += len(chunk)
    except OSError:  # the client went away: nothing left to keep in step
        return


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise ValueError("number out of range")
    return value


def check_document(data: Any) -> None:
    """The depth rule over a parsed document, iteratively (no recursion to exhaust)."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth >= MAX_JSON_DEPTH:
                raise exceptions.ParseError(f"JSON nested more than {MAX_JSON_DEPTH} levels deep.")
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, depth + 1) for child in children)


def parse_json(raw: bytes, encoding: str = "utf-8") -> Any:
    # RFC 8259: JSON exchanged between systems is UTF-8 (ASCII is a subset of it).
    if encoding.lower().replace("_", "-") not in ("utf-8", "utf8", "ascii", "us-ascii"):
        raise exceptions.ParseError(f"Unsupported charset {encoding!r}; JSON is UTF-8.")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise exceptions.ParseError("The JSON body is not valid UTF-8.") from None
    text = text.removeprefix("\ufeff")
    try:
        data = json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float)
    except RecursionError:
        raise exceptions.ParseError(
            f"JSON nested more than {MAX_JSON_DEPTH} levels deep."
        ) from None
    except ValueError as exc:
        # The decoder's message names the position, never the body's characters.
        raise exceptions.ParseError(f"JSON parse error - {exc}") from None
    check_document(data)
    return data


class JSONBodyParser(JSONParser):
    """DRF's JSON parser with the limits above; every dialect's views use it."""

    def parse(self, stream, media_type=None, parser_context=None):  # type: ignore[no-untyped-def]
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding") or settings.DEFAULT_CHARSET
        return parse_json(read_body(stream), encoding)
