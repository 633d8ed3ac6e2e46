"""McTime: `{"items": [{"message", "data"}], "valid"}` on success and error alike.

McTime has no error codes on the wire; its odd statuses and words are named here once.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any, ClassVar, Final

from rest_framework.request import Request
from rest_framework.response import Response

from config.api.dialects.base import Dialect, DialectView, PageNumberPaging
from config.api.errors import PeriodClosed, Problem

SUCCESS_MESSAGE: Final = "Success"
# POST /clock stop and POST /times: "successful but time entry was overwritten or trimmed".
OVERWRITTEN: Final = HTTPStatus.CREATED
# GET /clock: a named user the caller may not see is an item of its own with this status.
REFUSED_USER_ITEM_STATUS: Final = HTTPStatus.BAD_REQUEST
# GET /times: "If id is provided which authenticated user is not allowed to see, then 401
# code will be returned."
USER_NOT_VISIBLE: Final = HTTPStatus.UNAUTHORIZED
# A write on a closed date is refused like one on an approved entry.
CLOSED_PERIOD: Final = HTTPStatus.BAD_REQUEST
# The code (for logs; McTime shows none) of a stop that became an invalid clocking entry.
CLOCK_TIME_NOT_SAVED: Final = "ClockTimeNotSaved"


def envelope(message: str, data: Any, *, valid: bool) -> dict[str, Any]:
    return {"items": [{"message": message, "data": data}], "valid": valid}


class McTimeDialect(Dialect):
    name = "mctime"

    def error_body(self, problem: Problem, request: Request | None) -> dict[str, Any]:
        return envelope(problem.message, problem.data, valid=False)

    def error_status(self, problem: Problem) -> int:
        # McTime refuses an entry it may not change (approved, exported) with a 400.
        return CLOSED_PERIOD if problem.code == PeriodClosed.default_code else problem.status

    def wrap_success(self, request: Request, response: Response) -> None:
        if getattr(response, "items_as_is", False):
            # GET /clock (clock status): the items are the list itself, one per user.
            response.data = {"items": response.data, "valid": True}
            return
        response.data = envelope(
            getattr(response, "message", None) or SUCCESS_MESSAGE, response.data, valid=True
        )


class McTimePagination(PageNumberPaging):
    """`page` from 1, a fixed 20 items a page; a page past the end is empty."""

    page_size = 20


class McTimeView(DialectView):
    dialect: ClassVar[Dialect] = McTimeDialect()
    pagination = McTimePagination()
