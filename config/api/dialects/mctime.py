"""McTime: `{"items": [{"message", "data"}], "valid"}` on success and error alike."""

from __future__ import annotations

from typing import Any, ClassVar

from rest_framework.request import Request
from rest_framework.response import Response

from config.api.dialects.base import Dialect, DialectView, PageNumberPaging
from config.api.errors import PeriodClosed, Problem


def envelope(message: str, data: Any, *, valid: bool) -> dict[str, Any]:
    return {"items": [{"message": message, "data": data}], "valid": valid}


class McTimeDialect(Dialect):
    name = "mctime"

    def error_body(self, problem: Problem, request: Request | None) -> dict[str, Any]:
        return envelope(problem.message, problem.data, valid=False)

    def error_status(self, problem: Problem) -> int:
        # McTime refuses an entry it may not change (approved, exported) with a 400.
        return 400 if problem.code == PeriodClosed.default_code else problem.status

    def wrap_success(self, request: Request, response: Response) -> None:
        if getattr(response, "items_as_is", False):
            # GET /clock (clock status): the items are the list itself, one per user.
            response.data = {"items": response.data, "valid": True}
            return
        response.data = envelope(
            getattr(response, "message", None) or "Success", response.data, valid=True
        )


class McTimePagination(PageNumberPaging):
    """`page` from 1, a fixed 20 items a page; a page past the end is empty."""

    page_size = 20


class McTimeView(DialectView):
    dialect: ClassVar[Dialect] = McTimeDialect()
    pagination = McTimePagination()
