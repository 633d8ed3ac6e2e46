"""ProSonata working-time endpoints: parse, call a selector or service, render (DESIGN §1)."""

from __future__ import annotations

from http import HTTPStatus

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.dialects import EnvelopeResponse, ProSonataView
from config.api.errors import InvalidInput
from config.api.parsers import JSONBodyParser
from workingtimes import selectors, services
from workingtimes.filters import WorkingTimeFilter
from workingtimes.serializers import (
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


class AnyContentTypeJSONParser(JSONBodyParser):
    """ProSonata bodies are JSON whatever the Content-Type says (some clients send none or
    form types), so a body that is not JSON is a 400 naming the problem, not a 415."""

    media_type = "*/*"


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


class WorkingTimeListView(ProSonataView, APIView):
    """ProSonata working times: members see and write their own, administrators everyone's.

    Every response is `{"meta": {...}, "data": ...}`; errors carry `meta.message` and
    `data: []`. Authenticate with the `X-API-Key` header or the `apiKey` query parameter.
    """

    parser_classes = [JSONBodyParser, AnyContentTypeJSONParser]

    @extend_schema(
        tags=TAGS,
        operation_id="prosonata_workingtimes_list",
        summary="List working times",
        parameters=FILTERS,
        responses={200: WorkingTimeListEnvelope, **ERRORS},
    )
    def get(self, request: Request) -> Response:
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
        return self.page_response(
            request, filterset.qs, lambda items: WorkingTimeSerializer(items, many=True).data
        )

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
        owner = selectors.owner_for_new_record(request.user, data.pop("user_id"))
        working_time = services.replace_working_day(user=owner, acting_user=request.user, data=data)
        return EnvelopeResponse(
            WorkingTimeSerializer(working_time).data,
            status=HTTPStatus.CREATED,
            meta={"insertID": working_time.pk},
        )


class WorkingTimeDetailView(ProSonataView, APIView):
    """One ProSonata working time; records the caller may not see answer 404."""

    parser_classes = [JSONBodyParser, AnyContentTypeJSONParser]

    @extend_schema(
        tags=TAGS,
        operation_id="prosonata_workingtimes_retrieve",
        summary="One working time",
        parameters=[ID_PARAMETER],
        responses={200: WorkingTimeEnvelope, **ERRORS, 404: _error("Data not found.")},
    )
    def get(self, request: Request, pk: str) -> Response:
        working_time = selectors.working_time_for(request.user, int(pk))
        return Response(WorkingTimeSerializer(working_time).data)

    @extend_schema(
        tags=TAGS,
        operation_id="prosonata_workingtimes_update",
        summary="Change a working time (userID and workingDate cannot change)",
        parameters=[ID_PARAMETER],
        request=WorkingTimeUpdateSerializer,
        responses={200: WorkingTimeEnvelope, **ERRORS, 404: _error("Data not found.")},
    )
    def put(self, request: Request, pk: str) -> Response:
        working_time = selectors.working_time_for(request.user, int(pk))
        serializer = WorkingTimeUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        working_time = services.update_working_time(
            working_time=working_time,
            acting_user=request.user,
            changes=serializer.validated_data,
        )
        return Response(WorkingTimeSerializer(working_time).data)

    @extend_schema(
        tags=TAGS,
        operation_id="prosonata_workingtimes_destroy",
        summary="Delete a working time",
        parameters=[ID_PARAMETER],
        request=None,
        responses={200: EmptyEnvelope, **ERRORS, 404: _error("Data not found.")},
    )
    def delete(self, request: Request, pk: str) -> Response:
        working_time = selectors.working_time_for(request.user, int(pk))
        services.delete_working_time(working_time=working_time, acting_user=request.user)
        return Response([])
