"""Timebridge's own API (`/api/timebridge/v1/`): plain JSON, RFC 9457 problem details,
DRF page-number paging.

- Authentication: every API-key form the project accepts (documented as
  `Authorization: Bearer KEY`); an admin's key may add `X-IMPERSONATE-USER-ID` to act as
  (and see exactly what is visible to) another user.
- Errors: `application/problem+json` with `type`, `title`, `status`, `detail` (and `field`
  when one input is at fault) for every neutral error and DRF exception.
- Paging: `page` and `page_size` (default 100, at most 1000) in;
  `{"count", "next", "previous", "results"}` out.
- Always JSON, whatever `Accept` says: the API has one representation, and a client that
  asks for something else still gets a parseable answer rather than a 406.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from accounts.models import User
from config.api.authentication import ImpersonatingApiKeyAuthentication
from config.api.dialects.base import (
    Dialect,
    DialectView,
    Page,
    PageNumberPaging,
    rate_limit_state,
)
from config.api.errors import NotFound, Problem
from config.links import request_url

# A URN, not a URL: problem types are identifiers here, documented in docs/ledger.md.
PROBLEM_TYPE_BASE = "urn:timebridge:problem:"
TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    409: "Conflict",
    415: "Unsupported Media Type",
    423: "Locked",
    429: "Too Many Requests",
    500: "Internal Server Error",
}


def _kebab(code: str) -> str:
    """`ValidationFailed` -> `validation-failed`: the problem type's last path segment."""
    out = []
    for index, char in enumerate(code):
        if char.isupper() and index:
            out.append("-")
        out.append(char.lower())
    return "".join(out) or "error"


class ProblemJSONRenderer(JSONRenderer):
    media_type = "application/problem+json"
    format = "problem+json"


class TimebridgeDialect(Dialect):
    name = "timebridge"
    error_content_type = "application/problem+json"

    def error_body(self, problem: Problem, request: Request | None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": PROBLEM_TYPE_BASE + _kebab(problem.code),
            "title": TITLES.get(problem.status, "Error"),
            "status": problem.status,
            "detail": problem.message,
        }
        if problem.field:
            body["field"] = problem.field
        if request is not None:
            body["instance"] = request.path
        return body

    def handle_exception(self, exc: Exception, context: dict[str, Any]) -> Response:
        response = super().handle_exception(exc, context)
        # RFC 9457 §3: problem details carry their own media type.
        response.accepted_renderer = ProblemJSONRenderer()
        response.accepted_media_type = ProblemJSONRenderer.media_type
        response.content_type = ProblemJSONRenderer.media_type
        return response

    def add_headers(self, request: Request, response: Response) -> None:
        state = rate_limit_state(request)
        if state is not None:
            response["RateLimit-Limit"] = str(state.limit)
            response["RateLimit-Remaining"] = str(state.remaining)
            response["RateLimit-Reset"] = str(state.reset)


class AlwaysJSON(BaseContentNegotiation):
    """JSON regardless of `Accept` (and of `?format=`)."""

    def select_parser(self, request, parsers):  # type: ignore[no-untyped-def]
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):  # type: ignore[no-untyped-def]
        renderer = renderers[0]
        return renderer, renderer.media_type


class TimebridgePagination(PageNumberPaging):
    """`page` / `page_size` (default 100, at most 1000) in; DRF's envelope out."""

    page_size = 100
    max_page_size = 1000
    size_param = "page_size"

    def render(self, data: list[Any], page: Page, request: Request, **options: Any) -> Response:
        url = request_url(request)  # never repeats ?apiKey= in a link
        next_url = replace_query_param(url, "page", page.number + 1) if page.has_next else None
        previous_url = None
        if page.has_previous:
            number = min(page.number - 1, page.last)
            previous_url = (
                remove_query_param(url, "page")
                if number == 1
                else replace_query_param(url, "page", number)
            )
        return Response(
            {"count": page.total, "next": next_url, "previous": previous_url, "results": data}
        )


def visible_user_ids(viewer: User, requested: int | None) -> int | None:
    """The user filter a Timebridge list applies: members see only themselves.

    Returns the one user id to restrict to, or None for "everyone" (admins without a
    filter). A member asking for another user's id gets 404 (never "forbidden": that would
    confirm the id exists).
    """
    if viewer.is_admin:
        if requested is not None and not User.objects.filter(pk=requested).exists():
            raise NotFound(f"User {requested} not found.", field="user")
        return requested
    if requested is not None and requested != viewer.pk:
        raise NotFound(f"User {requested} not found.", field="user")
    return viewer.pk


class TimebridgeApiKeyAuthentication(ImpersonatingApiKeyAuthentication):
    """Every key form the project accepts, plus admins' `X-IMPERSONATE-USER-ID`; its own
    class so that the OpenAPI schema documents the Timebridge form (`Bearer`)."""


class TimebridgeView(DialectView):
    dialect: ClassVar[Dialect] = TimebridgeDialect()
    authentication_classes: ClassVar[list] = [TimebridgeApiKeyAuthentication]
    renderer_classes: ClassVar[list] = [JSONRenderer]
    content_negotiation_class = AlwaysJSON
    pagination = TimebridgePagination()
