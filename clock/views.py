"""McTime endpoints under /api/v2/auth: clock, times, times/{id}.

Thin: parse with a serializer, call one selector or service, render. Answers are wrapped in
McTime's envelope by the dialect; 201 means existing entries were overwritten or trimmed.
"""

from __future__ import annotations

from datetime import datetime
from http import HTTPStatus
from uuid import UUID

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from clock import selectors, services
from clock.serializers import (
    ClockAction,
    ClockActionSerializer,
    ClockQuerySerializer,
    ClockSerializer,
    ClockStatusSerializer,
    TimeEntrySerializer,
    TimesListSerializer,
    TimesQuerySerializer,
    TimesWriteSerializer,
    invalid_clocking_message,
    refused_user_item,
    render_time_entry_rows,
)
from config.api.dialects import McTimeView
from config.api.dialects.mctime import CLOCK_TIME_NOT_SAVED, OVERWRITTEN, USER_NOT_VISIBLE
from config.api.errors import ApiError, InvalidInput
from config.api.fields import parse_uuid
from config.api.openapi import MCTIME_ITEMS_AS_IS
from config.timeutil import local_now

TAGS = ["McTime"]


def _list_param(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(
        name, OpenApiTypes.STR, description=f"{description}; comma-separated or repeated."
    )


FILTER_PARAMETERS = [
    _list_param("userIds", "User ids (uuid)"),
    _list_param("timeTypes", "Time types"),
    _list_param("organizationIds", "Organization ids"),
    _list_param("organizationNames", "Organization names"),
    OpenApiParameter("page", OpenApiTypes.INT, description="Page from 1, 20 items a page."),
]


class ClockView(McTimeView, APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="mctime_clock_list",
        summary="Running clocks the caller may see",
        parameters=FILTER_PARAMETERS,
        responses=ClockStatusSerializer,
        extensions={MCTIME_ITEMS_AS_IS: True},
    )
    def get(self, request: Request) -> Response:
        query = ClockQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        asked = params.get("userIds", [])
        refused = selectors.users_not_visible(request.user, asked)
        clocks = selectors.running_clocks_visible_to(
            request.user,
            user_ids=[pk for pk in asked if pk not in refused],
            time_types=params.get("timeTypes", ()),
            organization_ids=params.get("organizationIds", ()),
            organization_names=params.get("organizationNames", ()),
        )
        if asked and len(refused) == len(set(asked)):
            clocks = clocks.none()  # every named user refused: not "no filter"
        page = self.pagination.paginate(clocks, request)
        # Clock status: one item per clocked-in user; a named user the caller may not see
        # is a 400 item of its own (on the first page), the others are still returned.
        items = [refused_user_item(pk) for pk in refused] if page.number == 1 else []
        response = Response([*items, *ClockSerializer(page.items, many=True).data])
        response.items_as_is = True  # type: ignore[attr-defined]
        return response

    @extend_schema(
        tags=TAGS,
        operation_id="mctime_clock_action",
        summary="Start, break, stop, cancel or update a clock",
        request=ClockActionSerializer,
        responses={
            200: PolymorphicProxySerializer(
                component_name="ClockOrTimeEntry",
                serializers=[ClockSerializer, TimeEntrySerializer],
                resource_type_field_name=None,
            ),
            201: TimeEntrySerializer,
        },
        description=(
            "start/break/update/cancel answer the clock; stop answers the new time entry "
            "(201 if existing entries were overwritten, trimmed or split)."
        ),
    )
    def post(self, request: Request) -> Response:
        serializer = ClockActionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = selectors.requested_user(viewer=request.user, user_uuid=data.get("userId"))
        # "Now" is read once per request, in the user's zone (docs/decisions.md).
        at = data.get("dateTime") or local_now(user)
        action = data["action"]
        if action == ClockAction.STOP:
            return _stop(user, at, serializer.clock_changes())
        if action == ClockAction.START:
            given = serializer.clock_changes().given()
            clock = services.start_clock(user=user, at=at, **given)
        elif action == ClockAction.BREAK:
            clock = services.toggle_break(user=user, at=at)
        elif action == ClockAction.UPDATE:
            clock = services.update_clock(user=user, changes=serializer.clock_changes())
        else:
            return Response(ClockSerializer(services.cancel_clock(user=user)).data)
        clock.user = user
        return Response(ClockSerializer(clock).data)


def _stop(user: User, at: datetime, changes: services.ClockChanges) -> Response:
    result = services.stop_clock(user=user, at=at, changes=changes)
    data = TimeEntrySerializer(selectors.refreshed_entries([result.entry])[0]).data
    if not result.valid:
        # The invalid clocking entry is kept; the error carries it so that the client can
        # show or delete it.
        raise ApiError(invalid_clocking_message(result), code=CLOCK_TIME_NOT_SAVED, data=data)
    return Response(data, status=OVERWRITTEN if result.overwritten else HTTPStatus.OK)


class TimesView(McTimeView, APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="mctime_times_list",
        summary="Time entries starting in [from, to), grouped per user",
        parameters=[
            OpenApiParameter(
                "from", OpenApiTypes.DATETIME, required=True, description="ISO 8601 with offset"
            ),
            OpenApiParameter(
                "to",
                OpenApiTypes.DATETIME,
                required=True,
                description="ISO 8601 with offset; at most 366 days after from",
            ),
            _list_param("approvalStatuses", "Approval statuses"),
            *FILTER_PARAMETERS,
        ],
        responses=TimesListSerializer,
    )
    def get(self, request: Request) -> Response:
        query = TimesQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        refused = selectors.users_not_visible(request.user, params.get("userIds", []))
        if refused:
            # McTime: "If id is provided which authenticated user is not allowed to see,
            # then 401 code will be returned."
            raise ApiError(
                f"userIds: not allowed to see user {refused[0]}.",
                field="userIds",
                status=USER_NOT_VISIBLE,
            )
        entries = selectors.time_entries_visible_to(
            request.user,
            starts_from=params["from"],
            starts_before=params["to"],
            user_ids=params.get("userIds", ()),
            time_types=params.get("timeTypes", ()),
            approval_statuses=params.get("approvalStatuses", ()),
            organization_ids=params.get("organizationIds", ()),
            organization_names=params.get("organizationNames", ()),
        )
        return self.page_response(request, entries, render_time_entry_rows)

    @extend_schema(
        tags=TAGS,
        operation_id="mctime_times_save",
        summary="Add time entries, or edit those given by id",
        request=TimesWriteSerializer,
        responses={200: TimeEntrySerializer(many=True), 201: TimeEntrySerializer(many=True)},
    )
    def post(self, request: Request) -> Response:
        serializer = TimesWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = selectors.requested_user(viewer=request.user, user_uuid=data.get("userId"))
        result = services.save_time_entries(user=user, times=serializer.time_inputs())
        entries = selectors.refreshed_entries(result.entries)
        status = OVERWRITTEN if result.overwritten else HTTPStatus.OK
        return Response(TimeEntrySerializer(entries, many=True).data, status=status)

    @extend_schema(
        tags=TAGS,
        operation_id="mctime_times_delete_by_query",
        summary="Delete a time entry given as ?id=",
        parameters=[OpenApiParameter("id", OpenApiTypes.UUID, required=True)],
        responses={200: TimeEntrySerializer},
    )
    def delete(self, request: Request) -> Response:
        raw = request.query_params.get("id", "")
        try:
            pk = parse_uuid(raw)
        except ValueError:
            raise InvalidInput("id: a time entry id (uuid) is required.", field="id") from None
        return _delete(request, pk)


class TimeDetailView(McTimeView, APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="mctime_time_delete",
        summary="Delete a time entry",
        responses={200: TimeEntrySerializer},
    )
    def delete(self, request: Request, pk: str) -> Response:
        try:
            entry_id = parse_uuid(pk)
        except ValueError:
            raise InvalidInput("id: not a time entry id (uuid).", field="id") from None
        return _delete(request, entry_id)


def _delete(request: Request, pk: UUID) -> Response:
    entry = selectors.time_entry_visible_to(request.user, pk)
    # Rendered before the rows go; the answer shows what was deleted.
    data = TimeEntrySerializer(entry).data
    services.delete_time_entry(entry=entry)
    return Response(data)
