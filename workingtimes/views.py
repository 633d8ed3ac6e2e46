"""ProSonata working-time endpoints: parse, call a selector or service, render."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.dialects import EnvelopeResponse, ProSonataView
from config.api.dialects.prosonata import ANY_CONTENT_TYPE_JSON
from config.api.errors import InvalidInput
from config.api.rows import QueryRows
from workingtimes import selectors, services
from workingtimes.filters import FILTER_NAMES, WorkingTimeFilter
from workingtimes.page_rows import PAGE_COLUMNS, render_page_rows
from workingtimes.serializers import (
    WIRE_NAMES,
    EmptyEnvelope,
    ErrorEnvelope,
    WorkingTimeCreatedEnvelope,
    WorkingTimeEnvelope,
    WorkingTimeListEnvelope,
    WorkingTimeSerializer,
    WorkingTimeUpdateSerializer,
    WorkingTimeWriteSerializer,
)

TAGS = ["ProSonata"]


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorEnvelope, description=description)


ERRORS = {
    400: _error("Bad input; meta.message names the field."),
    401: _error("Missing, unknown or revoked API key."),
    429: _error("Rate limit exceeded; meta.apiLimitReset gives the seconds until reset."),
}
FILTERS = [
    OpenApiParameter("userID", str, description="A user id, or `myself`."),
    OpenApiParameter("username", str, description="Exact username (case-insensitive)."),
    OpenApiParameter(
        "workingDate",
        str,
        description="`YYYY-MM-DD` exact; `>YYYY-MM-DD` from that day on, `<YYYY-MM-DD` up to "
        "it (both inclusive).",
    ),
    OpenApiParameter("workingDate2", str, description="A second date condition, as workingDate."),
    OpenApiParameter("dayType", int, enum=[0, 1, 2, 3, 4, 5, 6]),
    OpenApiParameter("halfHoliday", int, description="0 or 1."),
    OpenApiParameter("homeOffice", int, description="0 or 1."),
    OpenApiParameter(
        "orderBy",
        str,
        description="Comma-separated `workingTimeID|userID|workingDate [ASC|DESC]`, "
        "e.g. `workingDate DESC,userID`. Default: workingTimeID.",
    ),
    OpenApiParameter("page", int, description="From 1."),
    OpenApiParameter("perPage", int, description="1 to 1000, default 100."),
]
# drf-spectacular names the path's `pk` group `id`.
ID_PARAMETER = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="workingTimeID"
)


def _one_record(operation: str, summary: str, answer: type, **kwargs: Any) -> Any:
    """The OpenAPI description of an operation on one record (`/workingtimes/{id}`)."""
    return extend_schema(
        tags=TAGS,
        operation_id=f"prosonata_workingtimes_{operation}",
        summary=summary,
        parameters=[ID_PARAMETER],
        responses={200: answer, **ERRORS, 404: _error("Data not found.")},
        **kwargs,
    )


class WorkingTimeView(ProSonataView, APIView):
    # The services' refusals name model fields; ProSonata's clients read `dailyTimeEnd:`.
    field_names = WIRE_NAMES
    parser_classes = ANY_CONTENT_TYPE_JSON


class WorkingTimeListView(WorkingTimeView):
    """ProSonata working times: members see and write their own, administrators everyone's.

    Every response is `{"meta": {...}, "data": ...}`; errors carry `meta.message` and
    `data: []`. Authenticate with the `X-API-Key` header or the `apiKey` query parameter.
    """

    @extend_schema(
        tags=TAGS,
        operation_id="prosonata_workingtimes_list",
        summary="List working times",
        parameters=FILTERS,
        responses={200: WorkingTimeListEnvelope, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        # Rows, not model instances (see render_page_rows).
        if FILTER_NAMES.isdisjoint(request.query_params):
            # Nothing to filter: no filterset (a form and deep copies of its filters), and
            # the page read with literal SQL instead of compiled querysets.
            rows = selectors.working_time_rows_visible_to(request.user, PAGE_COLUMNS)
            return self.page_response(request, rows, render_page_rows)
        filterset = WorkingTimeFilter(
            request.query_params,
            queryset=selectors.working_times_visible_to(request.user),
            request=request,
        )
        if not filterset.is_valid():
            # django-filter drops a parameter its form refuses (a NUL byte, say) and filters
            # by the rest: an admin's `userID=1%00` would list every user's records.
            name, messages = next(iter(filterset.errors.items()))
            raise InvalidInput(f"{name}: {messages[0]}", field=name)
        return self.page_response(request, QueryRows(filterset.qs, PAGE_COLUMNS), render_page_rows)

    @extend_schema(
        tags=TAGS,
        operation_id="prosonata_workingtimes_create",
        summary="Create a working time (replaces the user's record of that day)",
        request=WorkingTimeWriteSerializer,
        responses={
            201: WorkingTimeCreatedEnvelope,
            **ERRORS,
            403: _error("A member recording for another user."),
        },
    )
    def post(self, request: Request) -> Response:
        serializer = WorkingTimeWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        user = selectors.user_for_new_record(request.user, data.pop("user_id"))
        working_time = services.replace_working_day(user=user, actor=request.user, data=data)
        return EnvelopeResponse(
            WorkingTimeSerializer(working_time).data,
            status=HTTPStatus.CREATED,
            meta={"insertID": working_time.pk},
        )


class WorkingTimeDetailView(WorkingTimeView):
    """One ProSonata working time; records the caller may not see answer 404."""

    @_one_record("retrieve", "One working time", WorkingTimeEnvelope)
    def get(self, request: Request, pk: str) -> Response:
        working_time = selectors.working_time_for(request.user, int(pk))
        return Response(WorkingTimeSerializer(working_time).data)

    @_one_record(
        "update",
        "Change a working time (userID and workingDate cannot change)",
        WorkingTimeEnvelope,
        request=WorkingTimeUpdateSerializer,
    )
    def put(self, request: Request, pk: str) -> Response:
        working_time = selectors.working_time_for(request.user, int(pk))
        serializer = WorkingTimeUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        working_time = services.update_working_time(
            working_time=working_time,
            actor=request.user,
            changes=serializer.validated_data,
        )
        return Response(WorkingTimeSerializer(working_time).data)

    @_one_record("destroy", "Delete a working time", EmptyEnvelope, request=None)
    def delete(self, request: Request, pk: str) -> Response:
        working_time = selectors.working_time_for(request.user, int(pk))
        services.delete_working_time(working_time=working_time, actor=request.user)
        return Response([])
