"""Huddle presence wire format: parse request bodies and query strings, render entities.

Parsing raises `ApiError`s carrying the spec's error codes (DateInvalid, UserNotProvided…),
because a generic DRF validation error could only say "ValidationFailed".
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve
from django.utils.dateparse import parse_datetime
from rest_framework import serializers
from rest_framework.request import Request

from config.api.dialects import link
from config.api.errors import InvalidInput
from config.api.fields import OffsetDateTimeField
from config.api.ids import parse_id
from config.links import absolute, huddle_user_href
from ooo.models import MESSAGE_MAX_LENGTH, OutOfOffice

# Largest value of a BigAutoField: larger ids cannot exist (and would overflow the query).

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


def _check_exact_order(raw_start: Any, raw_end: Any, *, code: str) -> None:
    """`…29.5Z` to `…29.1Z` ends before it starts, although both store as `…29Z`."""
    start, end = _exact_instant(raw_start), _exact_instant(raw_end)
    if start is not None and end is not None and end < start:
        raise InvalidInput("endDate must not be before startDate.", code=code, field="endDate")


def render_instant(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class PresenceInput:
    is_active: bool
    start_date: datetime | None
    end_date: datetime | None
    message: str


def _require_object(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise InvalidInput("The request body must be a JSON object.", code="BadRequest")
    return data


def parse_presence(data: Any, *, date_code: str) -> PresenceInput:
    """Body of POST /presence/create and PUT /presence/{userId}/{presenceId}.

    PUT replaces the whole setting: omitted optional fields become empty (open dates,
    no message). `date_code` is DateInvalid on create and PresenceDateInvalid on update
    (the spec's tables name different codes for the same mistake).
    """
    data = _require_object(data)
    is_active = data.get("isActive")
    if not isinstance(is_active, bool):
        raise InvalidInput(
            "isActive is required and must be true or false.",
            code="IsActiveInvalid",
            field="isActive",
        )
    start = parse_instant(data.get("startDate"), field="startDate", code=date_code)
    end = parse_instant(data.get("endDate"), field="endDate", code=date_code)
    # The services compare the stored (whole-second) values with the same codes.
    range_code = "DateRangeInvalid" if date_code == "DateInvalid" else date_code
    _check_exact_order(data.get("startDate"), data.get("endDate"), code=range_code)
    message = data.get("message")
    if message is None:
        message = ""
    if not isinstance(message, str):
        raise InvalidInput("message must be a string.", code="MessageInvalid", field="message")
    if "\x00" in message or any("\ud800" <= char <= "\udfff" for char in message):
        # PostgreSQL text cannot hold NUL; a lone surrogate is not a character.
        raise InvalidInput(
            "message must not contain NUL or unpaired surrogate characters.",
            code="MessageInvalid",
            field="message",
        )
    if len(message) > MESSAGE_MAX_LENGTH:
        raise InvalidInput(
            f"message has {len(message)} characters; at most {MESSAGE_MAX_LENGTH} are allowed.",
            code="MessageLengthLimitExceeded",
            field="message",
        )
    return PresenceInput(is_active=is_active, start_date=start, end_date=end, message=message)


@dataclass(frozen=True)
class RangeQuery:
    """The range endpoints' input: bounds (None = open) and the body's `links`."""

    start: datetime | None
    end: datetime | None
    links: list[dict[str, Any]]

    def query_params(self) -> dict[str, str]:
        params = {}
        if self.start is not None:
            params["startDate"] = render_instant(self.start)
        if self.end is not None:
            params["endDate"] = render_instant(self.end)
        return params  # type: ignore[return-value]


def _check_range(start: datetime | None, end: datetime | None) -> None:
    if start is not None and end is not None and end < start:
        raise InvalidInput(
            "endDate must not be before startDate.", code="DateRangeInvalid", field="endDate"
        )


def parse_range_body(data: Any) -> RangeQuery:
    """POST body of the range endpoints: optional startDate/endDate, `links`."""
    data = _require_object(data)
    start = parse_instant(data.get("startDate"), field="startDate", code="DateInvalid")
    end = parse_instant(data.get("endDate"), field="endDate", code="DateInvalid")
    _check_range(start, end)
    _check_exact_order(data.get("startDate"), data.get("endDate"), code="DateRangeInvalid")
    links = data.get("links")
    if links is None:
        links = []
    if not isinstance(links, list) or not all(isinstance(item, dict) for item in links):
        raise InvalidInput(
            "links must be a list of {rel, href} objects.", code="BadRequest", field="links"
        )
    return RangeQuery(start=start, end=end, links=links)


def _query_value(request: Request, name: str) -> str | None:
    value = request.query_params.get(name)
    # A hand-written `+00:00` arrives as " 00:00" (a query string's "+" means a space).
    return value.replace(" ", "+") if value else value


def parse_range_query(request: Request) -> RangeQuery:
    """The GET form of the range endpoints (what `self` and paging links point to)."""
    raw_start, raw_end = _query_value(request, "startDate"), _query_value(request, "endDate")
    start = parse_instant(raw_start, field="startDate", code="DateInvalid")
    end = parse_instant(raw_end, field="endDate", code="DateInvalid")
    _check_range(start, end)
    _check_exact_order(raw_start, raw_end, code="DateRangeInvalid")
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


def presence_href(request: Request, presence: OutOfOffice) -> str:
    return absolute(
        request, "huddle-presence-detail", user_id=presence.user_id, presence_id=presence.pk
    )


def presence_fields(presence: OutOfOffice) -> dict[str, Any]:
    return {
        "isActive": presence.is_active,
        "startDate": render_instant(presence.start_date),
        "endDate": render_instant(presence.end_date),
        "message": presence.message,
    }


def presence_entity(request: Request, presence: OutOfOffice) -> dict[str, Any]:
    """One item of `presenceEntities`."""
    return {
        "links": [
            link("user", huddle_user_href(request, presence.user_id)),
            link("presence", presence_href(request, presence)),
        ],
        **presence_fields(presence),
    }


def presence_resource(request: Request, presence: OutOfOffice, *, with_presence: bool) -> dict:
    """A single presence: create (self, user) and update / GET (self, user, presence)."""
    href = presence_href(request, presence)
    links = [link("self", href), link("user", huddle_user_href(request, presence.user_id))]
    if with_presence:
        links.append(link("presence", href))
    return {"links": links, **presence_fields(presence)}


# --- audits -------------------------------------------------------------------------------

AUDIT_TYPES = {"+": "create", "~": "update", "-": "delete"}
_WIRE_NAMES = {
    "is_active": "isActive",
    "start_date": "startDate",
    "end_date": "endDate",
    "message": "message",
}


def _wire_value(field: str, value: Any) -> Any:
    return render_instant(value) if field in ("start_date", "end_date") else value


def audit_context(record: Any, previous: Any | None) -> str:
    """`context`: a JSON string with the presence id and what the action set or changed.

    create → the values set; update → only the changed fields, old and new; delete → the
    id. `changedBy` is the id of the user who acted (an admin may act for the owner).
    """
    context: dict[str, Any] = {"id": record.id}
    if record.history_type == "+":
        for field, name in _WIRE_NAMES.items():
            context[name] = _wire_value(field, getattr(record, field))
    elif record.history_type == "~":
        changes = {}
        for field, name in _WIRE_NAMES.items():
            new = getattr(record, field)
            old = getattr(previous, field) if previous is not None else None
            if previous is None or old != new:
                changes[name] = {"old": _wire_value(field, old), "new": _wire_value(field, new)}
        context["changes"] = changes
    context["changedBy"] = record.history_user_id
    return json.dumps(context, separators=(",", ":"))


def audit_entry(record: Any, previous: Any | None) -> dict[str, Any]:
    return {
        "auditType": AUDIT_TYPES[record.history_type],
        "timeStamp": render_instant(record.history_date),
        "context": audit_context(record, previous),
    }


# --- OpenAPI descriptions only (parsing above raises the spec's error codes) ----------------


class OooLinkSerializer(serializers.Serializer):
    rel = serializers.CharField()
    href = serializers.URLField()


class OooPresenceBodySerializer(serializers.Serializer):
    isActive = serializers.BooleanField()
    startDate = OffsetDateTimeField(required=False, allow_null=True)
    endDate = OffsetDateTimeField(required=False, allow_null=True)
    message = serializers.CharField(max_length=MESSAGE_MAX_LENGTH, required=False, allow_blank=True)


class OooRangeBodySerializer(serializers.Serializer):
    startDate = OffsetDateTimeField(required=False, allow_null=True)
    endDate = OffsetDateTimeField(required=False, allow_null=True)
    links = OooLinkSerializer(many=True, required=False)


class OooPresenceSerializer(serializers.Serializer):
    links = OooLinkSerializer(many=True)
    isActive = serializers.BooleanField()
    startDate = OffsetDateTimeField(allow_null=True)
    endDate = OffsetDateTimeField(allow_null=True)
    message = serializers.CharField(allow_blank=True)


class OooPresenceListSerializer(serializers.Serializer):
    links = OooLinkSerializer(many=True)
    presenceEntities = OooPresenceSerializer(many=True)


class OooAuditSerializer(serializers.Serializer):
    auditType = serializers.ChoiceField(choices=["create", "update", "delete"])
    timeStamp = OffsetDateTimeField()
    context = serializers.CharField(help_text="A JSON object, as a string.")


class OooAuditListSerializer(serializers.Serializer):
    links = OooLinkSerializer(many=True)
    audits = OooAuditSerializer(many=True)


class OooErrorSerializer(serializers.Serializer):
    statusCode = serializers.IntegerField()
    errorCode = serializers.CharField()
    errorMessages = serializers.ListField(child=serializers.CharField())
