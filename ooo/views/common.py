"""What every Huddle presence view shares: its dialect, OpenAPI pieces and rendering."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.dialects import HuddleView
from config.api.dialects.base import Pageable
from ooo.models import OutOfOffice
from ooo.serializers import OooErrorSerializer, OooPresenceSerializer, render_presence_rows

TAGS = ["Huddle"]
ERRORS = dict.fromkeys((400, 401, 403, 404), OooErrorSerializer)
PAGING = [
    OpenApiParameter("page", OpenApiTypes.INT, description="From 1 (default 1)."),
    OpenApiParameter("pageSize", OpenApiTypes.INT, description="Default 50, at most 500."),
]


def operation(operation_id: str, summary: str, status: int, body: Any, **more: Any) -> Any:
    """The OpenAPI description of one Huddle presence operation: its success `body` under
    `status`, the Huddle error body under every error status."""
    return extend_schema(
        tags=TAGS,
        operation_id=operation_id,
        summary=summary,
        responses={status: body, **ERRORS},
        **more,
    )


def listing(operation_id: str, summary: str, body: Any) -> Any:
    """The OpenAPI description of a paged list (`page`, `pageSize`)."""
    return operation(operation_id, summary, 200, body, parameters=PAGING)


class OutOfOfficeView(HuddleView, APIView):
    """Huddle's Presence API (out-of-office settings)."""

    def render_setting(self, request: Request, setting: OutOfOffice, *, links: str) -> Any:
        """One setting, with the links of `links` (see OooPresenceSerializer)."""
        return OooPresenceSerializer(setting, context={"request": request, "links": links}).data

    def settings_page(self, request: Request, rows: Pageable, **options: Any) -> Response:
        """One page of `presenceEntities` from `rows` (ooo.selectors' presence rows): no
        model instances, no DRF fields (a fraction of the serializer's CPU per page; see
        docs/huddle-ooo.md)."""
        return self.page_response(
            request, rows, lambda page: render_presence_rows(request, page), **options
        )
