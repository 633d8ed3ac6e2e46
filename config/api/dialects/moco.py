"""MOCO: bare JSON bodies, `{"message": …}` errors, 422 for bad input, header paging."""

from __future__ import annotations

from typing import Any, ClassVar

from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from config.api.authentication import ImpersonatingApiKeyAuthentication
from config.api.dialects.base import Dialect, DialectView, Page, PageNumberPaging
from config.api.errors import PeriodClosed, Problem
from config.api.field_errors import WireFieldNames
from config.links import request_url


class MocoDialect(Dialect):
    name = "moco"

    def error_body(self, problem: Problem, request: Request | None) -> dict[str, Any]:
        return {"message": problem.message}

    def error_status(self, problem: Problem) -> int:
        if problem.code == PeriodClosed.default_code:
            return 423  # MOCO's "Locked", as for a touch that cannot be applied
        # MOCO answers every validation failure (and a conflicting write) with 422.
        return 422 if problem.status in (400, 409) else problem.status


class MocoPagination(PageNumberPaging):
    """`page` / `per_page` in; `X-Page`, `X-Per-Page`, `X-Total` and `Link` out."""

    page_size = 100
    max_page_size = 1000
    size_param = "per_page"

    def render(self, data: list[Any], page: Page, request: Request, **options: Any) -> Response:
        return Response(data, headers=self.headers(page, request))

    @staticmethod
    def headers(page: Page, request: Request) -> dict[str, str]:
        url = request_url(request)

        def page_url(number: int) -> str:
            # Query values are percent-encoded, so no comma of `ids=1,2` ends up in a URL
            # (Link separates its entries with commas).
            if number == 1:
                return remove_query_param(url, "page")
            return replace_query_param(url, "page", number)

        # As Rails' api-pagination writes them (and MOCO clients read them): `first` and
        # `prev` only after the first page, `next` and `last` only before the last one.
        # moco-wrapper stops paging when `rel="last"` is absent.
        links = []
        if page.has_previous:
            links.append((page_url(1), "first"))
            links.append((page_url(min(page.number - 1, page.last)), "prev"))
        if page.has_next:
            links.append((page_url(page.number + 1), "next"))
            links.append((page_url(page.last), "last"))
        headers = {
            "X-Page": str(page.number),
            "X-Per-Page": str(page.size),
            "X-Total": str(page.total),
        }
        if links:
            headers["Link"] = ", ".join(f'<{href}>; rel="{rel}"' for href, rel in links)
        return headers


class MocoView(WireFieldNames, DialectView):
    dialect: ClassVar[Dialect] = MocoDialect()
    authentication_classes: ClassVar[list] = [ImpersonatingApiKeyAuthentication]
    pagination = MocoPagination()
