"""Timebridge's ledger endpoints: parse, call a selector, render (docs/architecture.md)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.dialects import TimebridgeView
from ledger import exports
from ledger.params import DaysQuery, parse_days_query
from ledger.selectors import days_count_and_page, iter_days
from ledger.serializers import DayPageSerializer, ProblemSerializer, day_json

TAGS = ["Timebridge"]
PROBLEM = OpenApiResponse(ProblemSerializer, description="`application/problem+json`")
ERRORS = {
    400: PROBLEM,
    401: PROBLEM,
    403: PROBLEM,
    404: PROBLEM,
    429: PROBLEM,
}
QUERY = [
    OpenApiParameter("from", OpenApiTypes.DATE, required=True, description="First date."),
    OpenApiParameter(
        "to", OpenApiTypes.DATE, required=True, description="Last date; at most 366 days on."
    ),
    OpenApiParameter("user", int, description="One user's id (members: only their own)."),
    OpenApiParameter("team", int, description="Members of this team."),
    OpenApiParameter(
        "include_empty", bool, description="Every date for every user, not only recorded ones."
    ),
]
PAGING = [
    OpenApiParameter("page", int, description="From 1."),
    OpenApiParameter("page_size", int, description="1 to 1000, default 100."),
]


class DaysWindow:
    """The ledger's days as a page source: computed per page, never all at once."""

    def __init__(self, query: DaysQuery) -> None:
        self.query = query

    def window(self, offset: int, limit: int) -> tuple[int, list[Any]]:
        return days_count_and_page(
            users=self.query.users,
            first=self.query.first,
            last=self.query.last,
            include_empty=self.query.include_empty,
            offset=offset,
            limit=limit,
        )


class DaysView(TimebridgeView, APIView):
    """The working-time ledger: one row per person and local day across all four sources.

    Authenticate with `Authorization: Bearer KEY` (any key form of the other APIs works).
    """

    @extend_schema(
        tags=TAGS,
        operation_id="timebridge_days_list",
        parameters=QUERY + PAGING,
        responses={200: DayPageSerializer, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        query = parse_days_query(request.query_params, viewer=request.user)
        return self.page_response(
            request, DaysWindow(query), lambda rows: [day_json(row) for row in rows]
        )


class DaysExportView(TimebridgeView, APIView):
    """The same rows as `/days`, all of them, as a file (`Content-Disposition: attachment`)."""

    extension: str = "csv"

    @extend_schema(
        tags=TAGS,
        parameters=QUERY,
        responses={
            (200, "text/csv"): OpenApiTypes.BINARY,
            (200, exports.XLSX_TYPE): OpenApiTypes.BINARY,
            **ERRORS,
        },
    )
    def get(self, request: Request):  # type: ignore[no-untyped-def]
        query = parse_days_query(request.query_params, viewer=request.user)
        rows = iter_days(
            users=query.users,
            first=query.first,
            last=query.last,
            include_empty=query.include_empty,
        )
        build = exports.csv_response if self.extension == "csv" else exports.xlsx_response
        return build(rows, first=query.first, last=query.last)
