"""Huddle: bodies with `links` [{rel, href}], coded errors, `X-RateLimit-*` headers."""

from __future__ import annotations

from typing import Any, ClassVar

from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from config.api.dialects import huddle_codes as codes
from config.api.dialects.base import (
    Dialect,
    DialectView,
    Page,
    PageNumberPaging,
    rate_limit_state,
)
from config.api.dialects.huddle_codes import huddle_code
from config.api.errors import Problem
from config.api.parsers import JSONBodyParser
from config.links import request_url

DEFAULT_CODES = {
    400: codes.BAD_REQUEST,
    401: "AccessTokenInvalid",
    403: codes.INSUFFICIENT_PERMISSIONS,
    404: "NotFound",
    409: "Conflict",
    429: "TooManyRequests",
    500: "InternalServerError",
}


def link(rel: str, href: str) -> dict[str, str]:
    return {"rel": rel, "href": href}


class HuddleDialect(Dialect):
    name = "huddle"

    def error_body(self, problem: Problem, request: Request | None) -> dict[str, Any]:
        return {
            "statusCode": problem.status,
            # Neutral errors (a field and a reason) become the spec's codes here.
            "errorCode": huddle_code(problem.field, problem.code)
            if problem.code
            else DEFAULT_CODES.get(problem.status, "Error"),
            "errorMessages": [problem.message],
        }

    def add_headers(self, request: Request, response: Response) -> None:
        state = rate_limit_state(request)
        if state is not None:
            response["X-RateLimit-Limit"] = str(state.limit)
            response["X-RateLimit-Remaining"] = str(state.remaining)
            if state.remaining == 0:
                response["Retry-After"] = str(state.reset)


class HuddlePagination(PageNumberPaging):
    """`page` / `pageSize` in; `first` / `previous` / `next` links out (those that apply)."""

    page_size = 50
    max_page_size = 500
    size_param = "pageSize"

    def render(
        self,
        data: list[Any],
        page: Page,
        request: Request,
        *,
        collection: str = "presenceEntities",
        url: str | None = None,
        self_href: str | None = None,
        extra_links: list[dict[str, str]] = (),  # type: ignore[assignment]
        **options: Any,
    ) -> Response:
        """`{"links": [self, first, previous?, next?], collection: data}`.

        `url` is the URL the paging links page (default: the request's own; a POST query
        pages the GET URL that carries its body's parameters); `self_href` the `self` link
        (default: `url`); `extra_links` follow `self` (an audit list's `parent`).
        """
        url = url or request_url(request)
        links = [link("self", self_href or url), *extra_links, *self.links(page, request, url)]
        return Response({"links": links, collection: data})

    @staticmethod
    def links(page: Page, request: Request, url: str | None = None) -> list[dict[str, str]]:
        """Paging links of `url` (default: the request's own URL; a POST query pages the
        GET URL that carries its body's parameters)."""
        url = url or request_url(request)
        links = [link("first", replace_query_param(url, "page", 1))]
        if page.has_previous:
            links.append(
                link("previous", replace_query_param(url, "page", min(page.number - 1, page.last)))
            )
        if page.has_next:
            links.append(link("next", replace_query_param(url, "page", page.number + 1)))
        return links


# Huddle's own media type for its JSON documents; its clients send it in `Accept` and
# `Content-Type`. It is JSON, parsed and rendered as such (and answered under that name).
HUDDLE_MEDIA_TYPE = "application/vnd.huddle.data+json"


class HuddleJSONParser(JSONBodyParser):
    media_type = HUDDLE_MEDIA_TYPE


class HuddleJSONRenderer(JSONRenderer):
    media_type = HUDDLE_MEDIA_TYPE


class HuddleView(DialectView):
    dialect: ClassVar[Dialect] = HuddleDialect()
    pagination = HuddlePagination()
    parser_classes: ClassVar[list] = [
        *DialectView.parser_classes[:1],
        HuddleJSONParser,
        *DialectView.parser_classes[1:],
    ]
    renderer_classes: ClassVar[list] = [JSONRenderer, HuddleJSONRenderer]
