"""/api/timebridge/v1/closures: list and close (admins), read, reopen (admins)."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from closing import selectors, services
from closing.models import Closure
from closing.serializers import (
    ClosureCreateSerializer,
    ClosurePageSerializer,
    ClosureSerializer,
    ReopenSerializer,
)
from config.api.dialects.timebridge import TimebridgeView, visible_user_ids
from config.api.errors import Forbidden, InvalidInput, NotFound
from ledger.params import parse_date_param, parse_id_param

TAGS = ["Timebridge"]
MAX_ID = 2**63 - 1


def _require_admin(request: Request) -> None:
    if not request.user.is_admin:
        raise Forbidden("Only administrators may close or reopen periods.")


class ClosureListView(TimebridgeView, APIView):
    """Closed periods. Members see those that cover them; administrators all, and close."""

    @extend_schema(
        tags=TAGS,
        parameters=[
            OpenApiParameter("user", int),
            OpenApiParameter("from", str, description="YYYY-MM-DD: closures ending then or later"),
            OpenApiParameter("to", str, description="YYYY-MM-DD: closures starting then or before"),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int),
        ],
        responses=ClosurePageSerializer,
        operation_id="api_timebridge_v1_closures_list",
    )
    def get(self, request: Request) -> Response:
        user_id = visible_user_ids(request.user, parse_id_param(request.query_params, "user"))
        queryset = selectors.closures(
            user_id=user_id,
            from_date=parse_date_param(request.query_params, "from"),
            to_date=parse_date_param(request.query_params, "to"),
        )
        return self.page_response(
            request,
            queryset,
            lambda items: (
                ClosureSerializer(items, many=True, context={"viewer": request.user}).data
            ),
        )

    @extend_schema(tags=TAGS, request=ClosureCreateSerializer, responses={201: ClosureSerializer})
    def post(self, request: Request) -> Response:
        _require_admin(request)
        if not isinstance(request.data, dict):
            raise InvalidInput("The body must be a JSON object.")
        serializer = ClosureCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values: dict[str, Any] = serializer.validated_data
        closure = services.create_closure(
            actor=request.user,
            from_date=values["from"],
            to_date=values["to"],
            reason=values["reason"],
            user_ids=values.get("users"),
            team=values.get("team"),
            all_users=bool(values.get("all")),
        )
        return Response(_render(closure.pk), status=HTTPStatus.CREATED)


def _render(closure_id: int) -> dict[str, Any]:
    closure = Closure.objects.prefetch_related("periods").get(pk=closure_id)
    return ClosureSerializer(closure).data


class ClosureDetailView(TimebridgeView, APIView):
    """One closure; DELETE (with a `reason`) reopens it. The closure stays on record."""

    def _visible(self, request: Request, pk: int) -> Closure:
        closure = Closure.objects.prefetch_related("periods").filter(pk=pk).first()
        covers_viewer = closure is not None and any(
            p.user_id == request.user.pk for p in closure.periods.all()
        )
        if closure is None or not (request.user.is_admin or covers_viewer):
            raise NotFound(f"Closure {pk} not found.", field="id")
        return closure

    @extend_schema(tags=TAGS, responses=ClosureSerializer)
    def get(self, request: Request, pk: int) -> Response:
        closure = self._visible(request, pk)
        return Response(ClosureSerializer(closure, context={"viewer": request.user}).data)

    @extend_schema(tags=TAGS, request=ReopenSerializer, responses=ClosureSerializer)
    def delete(self, request: Request, pk: int) -> Response:
        _require_admin(request)
        self._visible(request, pk)
        # The reason may come as a JSON body or, for clients that send no body with a
        # DELETE, as the query parameter `reason`.
        body = request.data if isinstance(request.data, dict) and request.data else None
        data = body if body is not None else {"reason": request.query_params.get("reason", "")}
        serializer = ReopenSerializer(data=data)
        serializer.is_valid(raise_exception=True)
        services.reopen_closure(
            closure_id=pk, actor=request.user, reason=serializer.validated_data["reason"]
        )
        return Response(_render(pk))
