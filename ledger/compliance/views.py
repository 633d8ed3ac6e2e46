"""`/violations` and `violations.csv`: ArbZG findings as a list, with the ledger's
authentication, query, paging and problem-details errors."""

from __future__ import annotations

from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.dialects import TimebridgeView
from ledger.compliance.selectors import (
    iter_violations,
    parse_finding_filter,
    violations_list,
)
from ledger.compliance.serializers import VIOLATION_COLUMNS, ViolationPageSerializer, violation_json
from ledger.compliance.types import Rule, Severity
from ledger.exports import csv_download, csv_table, filename
from ledger.params import parse_days_query
from ledger.views import ERRORS, PAGING, TAGS

QUERY = [
    OpenApiParameter("from", OpenApiTypes.DATE, required=True, description="First date."),
    OpenApiParameter(
        "to", OpenApiTypes.DATE, required=True, description="Last date; at most 366 days on."
    ),
    OpenApiParameter("user", int, description="One user's id (members: only their own)."),
    OpenApiParameter("team", int, description="Members of this team."),
    OpenApiParameter("rule", str, enum=[str(r) for r in Rule], description="One rule only."),
    OpenApiParameter(
        "severity", str, enum=[str(s) for s in Severity], description="One severity only."
    ),
]


class ViolationsView(TimebridgeView, APIView):
    """ArbZG findings per person and day (violations and notices), never blocking a write.

    Authenticate with `Authorization: Bearer KEY` (any key form of the other APIs works).
    """

    @extend_schema(
        tags=TAGS,
        operation_id="timebridge_violations_list",
        parameters=QUERY + PAGING,
        responses={200: ViolationPageSerializer, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        query = parse_days_query(request.query_params, viewer=request.user)
        keep = parse_finding_filter(request.query_params)
        rows = violations_list(users=query.users, first=query.first, last=query.last, keep=keep)
        return self.page_response(request, rows, lambda shown: [violation_json(r) for r in shown])


class ViolationsExportView(TimebridgeView, APIView):
    """The same findings as `/violations`, all of them, as CSV (streamed)."""

    @extend_schema(
        tags=TAGS,
        operation_id="timebridge_violations_csv",
        parameters=QUERY,
        responses={(200, "text/csv"): OpenApiTypes.BINARY, **ERRORS},
    )
    def get(self, request: Request) -> StreamingHttpResponse:
        query = parse_days_query(request.query_params, viewer=request.user)
        keep = parse_finding_filter(request.query_params)
        rows = iter_violations(users=query.users, first=query.first, last=query.last, keep=keep)
        name = filename(query.first, query.last, "csv", subject="violations")
        return csv_download(csv_table(rows, VIOLATION_COLUMNS), name)
