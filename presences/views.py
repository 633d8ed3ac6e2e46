"""MOCO user presences: `/api/v1/users/presences…` (thin views over services and selectors)."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from django.http import QueryDict
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.dialects import MocoView
from config.api.errors import InvalidInput, NotFound
from presences import selectors, services
from presences.filters import LIST_PARAMETERS, list_conditions
from presences.models import Presence
from presences.serializers import (
    PAGE_COLUMNS,
    WIRE_NAMES,
    PresenceInputSerializer,
    PresenceSerializer,
    TouchInputSerializer,
    render_page_rows,
)

TAGS = ["MOCO presences"]
ERROR = OpenApiResponse(description='`{"message": "…"}`')


def _body(request: Request) -> dict[str, Any]:
    """The request body as a plain dict; a JSON array or scalar is bad input."""
    data = request.data
    if isinstance(data, QueryDict):
        # Form bodies: a plain dict, so a missing boolean stays missing (not false).
        return data.dict()
    if not isinstance(data, dict):
        raise InvalidInput("The request body must be a JSON object.")
    return data


def _actor(request: Request) -> Any:
    """Who really acts: the admin behind an impersonated request (the impersonator), else
    the user the request is for."""
    return getattr(request, "impersonator", None) or request.user


def _visible_presence(request: Request, pk: int) -> Presence:
    presence = selectors.presences_visible_to(request.user).filter(pk=pk).first()
    if presence is None:
        # Someone else's presence answers like a missing one (never leaks its existence).
        raise NotFound(f"Presence {pk} not found.")
    return presence


class PresenceView(MocoView, APIView):
    # The services' refusals name model fields; MOCO's clients read `from:` and `to:`.
    field_names = WIRE_NAMES


class PresenceListView(PresenceView):
    @extend_schema(
        tags=TAGS,
        summary="List presences",
        parameters=LIST_PARAMETERS,
        responses={200: PresenceSerializer(many=True), 422: ERROR},
    )
    def get(self, request: Request) -> Response:
        conditions, order = list_conditions(request.query_params.dict())
        # Rows, not model instances (see render_page_rows).
        rows = selectors.presence_list_visible_to(request.user, conditions, order, PAGE_COLUMNS)
        return self.page_response(request, rows, render_page_rows)

    @extend_schema(
        tags=TAGS,
        summary="Create a presence (for the key's or the impersonated user)",
        request=PresenceInputSerializer,
        responses={201: PresenceSerializer, 422: ERROR},
    )
    def post(self, request: Request) -> Response:
        serializer = PresenceInputSerializer(data=_body(request))
        serializer.is_valid(raise_exception=True)
        presence = services.create_presence(
            user=request.user, actor=_actor(request), **serializer.validated_data
        )
        return Response(PresenceSerializer(presence).data, status=HTTPStatus.CREATED)


class PresenceDetailView(PresenceView):
    @extend_schema(
        tags=TAGS, summary="Get a presence", responses={200: PresenceSerializer, 404: ERROR}
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(PresenceSerializer(_visible_presence(request, pk)).data)

    @extend_schema(
        tags=TAGS,
        summary="Update a presence (any subset of the fields)",
        request=PresenceInputSerializer(partial=True),
        responses={200: PresenceSerializer, 404: ERROR, 422: ERROR},
    )
    def put(self, request: Request, pk: int) -> Response:
        presence = _visible_presence(request, pk)
        serializer = PresenceInputSerializer(data=_body(request), partial=True)
        serializer.is_valid(raise_exception=True)
        presence = services.update_presence(
            presence=presence, actor=_actor(request), **serializer.validated_data
        )
        return Response(PresenceSerializer(presence).data)

    @extend_schema(tags=TAGS, summary="Delete a presence", responses={204: None, 404: ERROR})
    def delete(self, request: Request, pk: int) -> Response:
        services.delete_presence(presence=_visible_presence(request, pk), actor=_actor(request))
        return Response(status=HTTPStatus.NO_CONTENT)


class PresenceTouchView(PresenceView):
    @extend_schema(
        tags=TAGS,
        summary="Time clock: open a presence now, or close the open one",
        request=TouchInputSerializer,
        responses={
            200: PresenceSerializer,
            204: OpenApiResponse(description="Opened and closed within one minute: discarded."),
            422: ERROR,
            423: OpenApiResponse(description="The touch would overlap another presence."),
        },
    )
    def post(self, request: Request) -> Response:
        serializer = TouchInputSerializer(data=_body(request))
        serializer.is_valid(raise_exception=True)
        override = serializer.validated_data.get("override")
        presence = services.touch_presence(
            user=request.user,
            at_local=services.parse_override(override) if override else None,
            is_home_office=serializer.validated_data.get("is_home_office"),
            actor=_actor(request),
        )
        if presence is None:
            return Response(status=HTTPStatus.NO_CONTENT)
        return Response(PresenceSerializer(presence).data)
