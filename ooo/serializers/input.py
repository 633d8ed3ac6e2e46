"""Huddle presence requests: bodies and query strings → plain values, or the spec's code.

Parsing raises `InvalidInput` in Huddle's words (DateInvalid, UserNotProvided…), because a
generic DRF validation error could only say "ValidationFailed"; the request serializers
below describe the same bodies for the OpenAPI document.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve
from django.utils.dateparse import parse_datetime
from rest_framework import serializers
from rest_framework.request import Request

from config.api.dialects import huddle_codes as codes
from config.api.errors import InvalidInput
from config.api.fields import OffsetDateTimeField
from config.api.ids import parse_id
from config.db import storable
from ooo.models import MESSAGE_MAX_LENGTH, ends_before_start
from ooo.serializers.output import OooLinkSerializer, render_instant

_datetime_field = OffsetDateTimeField()


def parse_instant(value: Any, *, field: str, code: str) -> datetime | None:
    """ISO 8601 with offset → aware datetime (seconds precision); None/"" → None (open)."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise InvalidInput(
            f"{field} must be an ISO 8601 string with offset.", code=code, field=field
        )
    try:
        # UTC, whole seconds, years 1900-2999 (see OffsetDateTimeField).
        parsed = _datetime_field.run_validation(value.strip())
    except (serializers.ValidationError, OverflowError, ValueError):
        raise InvalidInput(
            f"{field}: {value!r} is not an ISO 8601 date and time with offset, "
            "e.g. 2022-04-19T16:30:29+00:00.",
            code=code,
            field=field,
        ) from None
    return parsed


def _exact_instant(value: Any) -> datetime | None:
    """The instant as sent, fractions of a second included (parse_instant keeps whole
    seconds for storage): used only to compare a range's ends."""
    if not isinstance(value, str):
        return None
    try:
        parsed = parse_datetime(value.strip())
    except (ValueError, OverflowError):
        return None
    return parsed if parsed is not None and parsed.tzinfo is not None else None


def parse_range(
    raw_start: Any, raw_end: Any, *, date_code: str, range_code: str
) -> tuple[datetime | None, datetime | None]:
    """Both ends of a range (None = open), the end not before the start.

    Compared as sent: `…29.5Z` to `…29.1Z` ends before it starts, although both store as
    `…29Z` (and whole seconds never reorder what the exact instants put in order).
    """
    start = parse_instant(raw_start, field="startDate", code=date_code)
    end = parse_instant(raw_end, field="endDate", code=date_code)
    if ends_before_start(_exact_instant(raw_start), _exact_instant(raw_end)):
        raise InvalidInput(
            "endDate must not be before startDate.", code=range_code, field="endDate"
        )
    return start, end


@dataclass(frozen=True)
class OutOfOfficeInput:
    is_active: bool
    start_date: datetime | None
    end_date: datetime | None
    message: str

    def as_fields(self) -> dict[str, Any]:
        """The setting's fields, as the services take them (keyword arguments)."""
        return {field.name: getattr(self, field.name) for field in fields(self)}


def _require_object(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise InvalidInput("The request body must be a JSON object.", code=codes.BAD_REQUEST)
    return data


def _parse_message(value: Any) -> str:
    message = "" if value is None else value
    if not isinstance(message, str):
        raise InvalidInput("message must be a string.", code=codes.MESSAGE_INVALID, field="message")
    if not storable(message):
        raise InvalidInput(
            "message must not contain NUL or unpaired surrogate characters.",
            code=codes.MESSAGE_INVALID,
            field="message",
        )
    if len(message) > MESSAGE_MAX_LENGTH:
        raise InvalidInput(
            f"message has {len(message)} characters; at most {MESSAGE_MAX_LENGTH} are allowed.",
            code=codes.MESSAGE_LENGTH_LIMIT_EXCEEDED,
            field="message",
        )
    return message


def parse_out_of_office(data: Any, *, on_update: bool = False) -> OutOfOfficeInput:
    """Body of POST /presence/create and PUT /presence/{userId}/{presenceId}.

    PUT replaces the whole setting: omitted optional fields become empty (open dates,
    no message). The spec's tables name different codes for the same date mistakes:
    DateInvalid / DateRangeInvalid on create, PresenceDateInvalid for both on update.
    """
    data = _require_object(data)
    is_active = data.get("isActive")
    if not isinstance(is_active, bool):
        raise InvalidInput(
            "isActive is required and must be true or false.",
            code=codes.IS_ACTIVE_INVALID,
            field="isActive",
        )
    date_code = codes.PRESENCE_DATE_INVALID if on_update else codes.DATE_INVALID
    range_code = codes.PRESENCE_DATE_INVALID if on_update else codes.DATE_RANGE_INVALID
    start, end = parse_range(
        data.get("startDate"), data.get("endDate"), date_code=date_code, range_code=range_code
    )
    message = _parse_message(data.get("message"))
    return OutOfOfficeInput(is_active=is_active, start_date=start, end_date=end, message=message)


@dataclass(frozen=True)
class RangeQuery:
    """The range endpoints' input: bounds (None = open) and the body's `links`."""

    start: datetime | None
    end: datetime | None
    links: list[dict[str, Any]]

    def query_params(self) -> list[tuple[str, Any]]:
        """The bounds as the GET form's parameters (what `self` and paging links carry)."""
        params: list[tuple[str, Any]] = []
        if self.start is not None:
            params.append(("startDate", render_instant(self.start)))
        if self.end is not None:
            params.append(("endDate", render_instant(self.end)))
        return params


def _parse_bounds(raw_start: Any, raw_end: Any) -> tuple[datetime | None, datetime | None]:
    return parse_range(
        raw_start, raw_end, date_code=codes.DATE_INVALID, range_code=codes.DATE_RANGE_INVALID
    )


def parse_range_body(data: Any) -> RangeQuery:
    """POST body of the range endpoints: optional startDate/endDate, `links`."""
    data = _require_object(data)
    start, end = _parse_bounds(data.get("startDate"), data.get("endDate"))
    links = data.get("links")
    if links is None:
        links = []
    if not isinstance(links, list) or not all(isinstance(item, dict) for item in links):
        raise InvalidInput(
            "links must be a list of {rel, href} objects.", code=codes.BAD_REQUEST, field="links"
        )
    return RangeQuery(start=start, end=end, links=links)


def _query_value(request: Request, name: str) -> str | None:
    value = request.query_params.get(name)
    # A hand-written `+00:00` arrives as " 00:00" (a query string's "+" means a space).
    return value.replace(" ", "+") if value else value


def parse_range_query(request: Request) -> RangeQuery:
    """The GET form of the range endpoints (what `self` and paging links point to)."""
    start, end = _parse_bounds(_query_value(request, "startDate"), _query_value(request, "endDate"))
    return RangeQuery(start=start, end=end, links=[])


def ids_from_links(links: list[dict[str, Any]], *, rel: str, url_name: str) -> list[int | None]:
    """Ids named by the links of relation `rel`, in order; None for an href naming nothing.

    Hrefs may be absolute (any host: clients move between hosts) or relative, with or
    without a trailing slash.
    """
    ids: list[int | None] = []
    for item in links:
        if item.get("rel") != rel:
            continue
        href = item.get("href")
        ids.append(_id_from_href(href, url_name) if isinstance(href, str) else None)
    return ids


def _id_from_href(href: str, url_name: str) -> int | None:
    try:
        path = urlsplit(href.strip()).path or "/"
    except ValueError:  # not a URL at all ("http://[::1"): it names nothing
        return None
    if not path.startswith("/"):
        path = f"/{path}"
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.url_name != url_name:
        return None
    return parse_id(match.kwargs.get("pk", ""))


# --- request bodies, for the OpenAPI description (parsed above, with the spec's codes) -------


class OooPresenceBodySerializer(serializers.Serializer):
    isActive = serializers.BooleanField()
    startDate = OffsetDateTimeField(required=False, allow_null=True)
    endDate = OffsetDateTimeField(required=False, allow_null=True)
    message = serializers.CharField(max_length=MESSAGE_MAX_LENGTH, required=False, allow_blank=True)


class OooRangeBodySerializer(serializers.Serializer):
    startDate = OffsetDateTimeField(required=False, allow_null=True)
    endDate = OffsetDateTimeField(required=False, allow_null=True)
    links = OooLinkSerializer(many=True, required=False)
