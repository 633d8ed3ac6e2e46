"""ProSonata: `{"meta": {...}, "data": ...}` on every response, errors included."""

from __future__ import annotations

from typing import Any, ClassVar

from rest_framework.request import Request
from rest_framework.response import Response

from config.api.authentication import is_anonymous
from config.api.dialects.base import (
    Dialect,
    DialectView,
    EnvelopeResponse,
    Page,
    PageNumberPaging,
    rate_limit_state,
)
from config.api.errors import Problem
from config.api.field_errors import WireFieldNames
from config.api.parsers import JSONBodyParser

ADMIN_GROUP = "Administrator"
MEMBER_GROUP = "Mitarbeiter"


class ProSonataDialect(Dialect):
    name = "prosonata"

    def error_body(self, problem: Problem, request: Request | None) -> dict[str, Any]:
        meta: dict[str, Any] = {"status": problem.status, "message": problem.message}
        if problem.status == 429 and problem.wait is not None:
            meta["apiLimitRemaining"] = 0
            meta["apiLimitReset"] = problem.wait
        return {"meta": meta, "data": []}

    def wrap_success(self, request: Request, response: Response) -> None:
        meta: dict[str, Any] = {"status": response.status_code}
        meta.update(getattr(response, "meta", {}))
        user = request.user
        if not is_anonymous(user):
            meta["requestUserID"] = user.pk
            meta["requestUsername"] = user.username
            meta["usergroupName"] = ADMIN_GROUP if user.is_admin else MEMBER_GROUP
        state = rate_limit_state(request)
        if state is not None:
            meta["apiLimitRemaining"] = state.remaining
            meta["apiLimitReset"] = state.reset
        response.data = {"meta": meta, "data": response.data if response.data is not None else []}


class ProSonataPagination(PageNumberPaging):
    """`page` / `perPage` (default 100, at most 1000) in; `meta.page`, `meta.perPage`,
    `meta.totalCount` out."""

    page_size = 100
    max_page_size = 1000
    size_param = "perPage"

    def render(
        self, data: list[Any], page: Page, request: Request, **options: Any
    ) -> EnvelopeResponse:
        return EnvelopeResponse(
            data, meta={"page": page.number, "perPage": page.size, "totalCount": page.total}
        )


class AnyContentTypeJSONParser(JSONBodyParser):
    """ProSonata bodies are JSON whatever the Content-Type says (some clients send none or
    form types), so a body that is not JSON is a 400 naming the problem, not a 415."""

    media_type = "*/*"


# ProSonata's endpoints read every body as JSON. Not the dialect's default: a view of this
# dialect that takes no ProSonata body keeps the shared parsers (and their 415).
ANY_CONTENT_TYPE_JSON: list = [JSONBodyParser, AnyContentTypeJSONParser]


class ProSonataView(WireFieldNames, DialectView):
    dialect: ClassVar[Dialect] = ProSonataDialect()
    pagination = ProSonataPagination()
