"""Huddle presence responses: the serializers that render them also describe them in the
OpenAPI document, so the two cannot drift."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request

from config.api.dialects import link
from config.api.fields import OffsetDateTimeField
from config.instants import from_micros
from config.links import absolute, huddle_user_href
from ooo.models import OutOfOffice


def render_instant(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat(timespec="seconds")


def out_of_office_href(request: Request, setting: OutOfOffice) -> str:
    return absolute(
        request, "huddle-presence-detail", user_id=setting.user_id, presence_id=setting.pk
    )


class InstantField(OffsetDateTimeField):
    """An instant in UTC with seconds precision (`2022-04-19T16:30:29+00:00`)."""

    def to_representation(self, value: datetime | None) -> str | None:
        return render_instant(value)


class OooLinkSerializer(serializers.Serializer):
    rel = serializers.CharField()
    href = serializers.URLField()


class OooPresenceSerializer(serializers.Serializer):
    # One setting. Its links depend on where it appears (context `links`):
    # - `entity` (an item of `presenceEntities`): user, presence;
    # - `created` (POST /presence/create): self, user;
    # - `resource` (GET and PUT of one setting): self, user, presence.
    # (Comments, not a docstring: a docstring would become the schema's description.)

    links = serializers.SerializerMethodField()
    isActive = serializers.BooleanField(source="is_active")
    startDate = InstantField(source="start_date", allow_null=True)
    endDate = InstantField(source="end_date", allow_null=True)
    message = serializers.CharField(allow_blank=True)

    @extend_schema_field(OooLinkSerializer(many=True))
    def get_links(self, setting: OutOfOffice) -> list[dict[str, str]]:
        request = self.context["request"]
        href = out_of_office_href(request, setting)
        user = link("user", huddle_user_href(request, setting.user_id))
        kind = self.context.get("links", "entity")
        if kind == "entity":
            return [user, link("presence", href)]
        links = [link("self", href), user]
        if kind == "resource":
            links.append(link("presence", href))
        return links


# --- list pages ---------------------------------------------------------------------------

# Reversing a URL costs more than rendering the rest of an item, so a page reverses each
# user's presence href once, with this id, and puts each setting's id in its place.
_HREF_ID = "8080808080808080"


def render_presence_rows(request: Request, rows: Iterable[tuple]) -> list[dict[str, Any]]:
    """Items of `presenceEntities` from presence rows (ooo.selectors: instants come as epoch
    microseconds or datetimes, `from_micros` reads both), exactly as `OooPresenceSerializer`
    renders the settings (links `entity`), without model instances or DRF fields
    (tests/ooo/test_presence_rows.py compares the two, as data and as JSON)."""
    hrefs: dict[int, tuple[str, str, str]] = {}
    items = []
    for pk, user_id, is_active, start_date, end_date, message in rows:
        user_hrefs = hrefs.get(user_id)
        if user_hrefs is None:
            user_hrefs = hrefs[user_id] = _user_hrefs(request, user_id)
        user_href, head, tail = user_hrefs
        items.append(
            {
                "links": [
                    {"rel": "user", "href": user_href},
                    {"rel": "presence", "href": f"{head}{pk}{tail}"},
                ],
                "isActive": is_active,
                "startDate": render_instant(from_micros(start_date)),
                "endDate": render_instant(from_micros(end_date)),
                "message": message,
            }
        )
    return items


def _user_hrefs(request: Request, user_id: int) -> tuple[str, str, str]:
    """The user's href, and their presence href split around the setting's id."""
    template = absolute(request, "huddle-presence-detail", user_id=user_id, presence_id=_HREF_ID)
    head, _, tail = template.rpartition(_HREF_ID)
    return huddle_user_href(request, user_id), head, tail


class OooPresenceListSerializer(serializers.Serializer):
    links = OooLinkSerializer(many=True)
    presenceEntities = OooPresenceSerializer(many=True)


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
    """`context`: a JSON string with the setting's id and what the action set or changed.

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


class OooAuditSerializer(serializers.Serializer):
    # One history record; context `previous` maps an update's history id to the record
    # before it (selectors.previous_records).

    auditType = serializers.SerializerMethodField()
    timeStamp = InstantField(source="history_date")
    context = serializers.SerializerMethodField(help_text="A JSON object, as a string.")

    @extend_schema_field(serializers.ChoiceField(choices=list(AUDIT_TYPES.values())))
    def get_auditType(self, record: Any) -> str:
        return AUDIT_TYPES[record.history_type]

    def get_context(self, record: Any) -> str:
        return audit_context(record, self.context["previous"].get(record.history_id))


class OooAuditListSerializer(serializers.Serializer):
    links = OooLinkSerializer(many=True)
    audits = OooAuditSerializer(many=True)


class OooErrorSerializer(serializers.Serializer):
    # For the OpenAPI description only: the Huddle dialect renders every error.

    statusCode = serializers.IntegerField()
    errorCode = serializers.CharField()
    errorMessages = serializers.ListField(child=serializers.CharField())
