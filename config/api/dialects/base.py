"""What every wire dialect shares: error rendering hook, success envelope hook, paging maths.

A dialect is one source API's way of speaking HTTP (docs/decisions.md). A view declares it by
inheriting the dialect's view mixin (`MocoView`, `HuddleView`, `McTimeView`,
`ProSonataView`), which sets authentication, renderers, throttle, paginator and exception
handler together, so no view can mix two dialects by accident.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from django.db.models import QuerySet
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from config.api.authentication import ApiKeyAuthentication
from config.api.errors import InvalidInput, Problem, problem_from_exception
from config.api.openapi import DialectAutoSchema
from config.api.parsers import JSONBodyParser, drain_body
from config.api.throttling import ApiKeyRateThrottle, RateLimitState

logger = logging.getLogger(__name__)


class EnvelopeResponse(Response):
    """A success response that carries extra envelope fields for dialects that have one.

    `meta` is merged into ProSonata's `meta`; `message` is McTime's item message.
    """

    def __init__(
        self,
        data: Any = None,
        status: int | None = None,
        *,
        meta: dict[str, Any] | None = None,
        message: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, status=status, **kwargs)
        self.meta = meta or {}
        self.message = message


@dataclass(frozen=True)
class Page:
    items: list[Any]
    number: int
    size: int
    total: int

    @property
    def last(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def has_next(self) -> bool:
        return self.number < self.last

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def parse_positive_int(value: str | None, *, name: str, default: int, maximum: int) -> int:
    """A paging parameter; refuses what is not a whole number in 1..maximum."""
    if value in (None, ""):
        return default
    # ASCII digits only: int() also takes "٣", "1_0" and " 7 ", which would then be echoed
    # into paging links.
    digits = value.removeprefix("-")
    if not (digits.isascii() and digits.isdigit()):
        raise InvalidInput(f"{name} must be a whole number.", field=name)
    number = int(value) if len(digits) <= 18 else maximum + 1  # int() stops at 4,300 digits
    if not 1 <= number <= maximum:
        raise InvalidInput(f"{name} must be between 1 and {maximum}.", field=name)
    return number


class PageSource(Protocol):
    """Rows that are not a queryset but can be counted and windowed in one go (the ledger's
    days are computed, not stored)."""

    def window(self, offset: int, limit: int) -> tuple[int, list[Any]]:
        """The total number of rows and the rows `offset`..`offset + limit`."""
        ...


Pageable = QuerySet | Sequence[Any] | PageSource


def paginate(source: Pageable, *, number: int, size: int) -> Page:
    """One page of `source`: a COUNT and a slice, whatever the page size.

    A page past the end is an empty page, not an error.
    """
    offset = (number - 1) * size
    if isinstance(source, QuerySet | Sequence):
        total = source.count() if isinstance(source, QuerySet) else len(source)
        items = list(source[offset : offset + size]) if offset < total else []
    else:
        total, items = source.window(offset, size)
    return Page(items=items, number=number, size=size, total=total)


class PageNumberPaging:
    """`page` (from 1) and, where the source has one, a page-size parameter, in; the
    dialect's way of announcing the page (headers, envelope, links) out, in `render`."""

    page_size: ClassVar[int]
    max_page_size: ClassVar[int] = 1000
    size_param: ClassVar[str | None] = None  # None: a fixed page size

    def paginate(self, source: Pageable, request: Request) -> Page:
        params = request.query_params
        number = parse_positive_int(params.get("page"), name="page", default=1, maximum=10**9)
        size = self.page_size
        if self.size_param is not None:
            size = parse_positive_int(
                params.get(self.size_param),
                name=self.size_param,
                default=self.page_size,
                maximum=self.max_page_size,
            )
        return paginate(source, number=number, size=size)

    def render(self, data: list[Any], page: Page, request: Request, **options: Any) -> Response:
        """The response for one page of rendered items; dialects add their paging data."""
        return Response(data)


class Dialect:
    """One source API's wire format. Subclasses fill in the three hooks."""

    name: ClassVar[str]

    def error_body(self, problem: Problem, request: Request | None) -> Any:
        raise NotImplementedError

    def error_status(self, problem: Problem) -> int:
        return problem.status

    def wrap_success(self, request: Request, response: Response) -> None:
        """Put `response.data` into the dialect's success envelope (in place)."""

    def add_headers(self, request: Request, response: Response) -> None:
        """Dialect headers on every response (rate-limit reports, …)."""

    def handle_exception(self, exc: Exception, context: dict[str, Any]) -> Response:
        problem = problem_from_exception(exc)
        if problem is None:
            logger.exception("unhandled error in API view", exc_info=exc)
            problem = Problem(500, "InternalServerError", "Internal server error.")
        auth_header = getattr(exc, "auth_header", None)
        if auth_header:
            problem.headers["WWW-Authenticate"] = auth_header
        request = context.get("request")
        if problem.status == 413 and request is not None:
            drain_body(getattr(request, "_request", request))
        return Response(
            self.error_body(problem, request),
            status=self.error_status(problem),
            headers=problem.headers,
        )


def rate_limit_state(request: Request) -> RateLimitState | None:
    return getattr(request, "rate_limit", None)


class JsonWhateverAccept(DefaultContentNegotiation):
    """The vendor APIs speak JSON only, whatever `Accept` says.

    No vendor documents another format, and clients send anything from `*/*` to a browser's
    `text/html`; a 406 would break them, and DRF's browsable page would echo the request
    URL (an `?apiKey=` included) into HTML. Request bodies are still parsed by their
    Content-Type. A vendor's own JSON media type (Huddle's `application/vnd.huddle.data+json`)
    is answered under its name when the client asks for it: it is the same JSON.
    """

    def select_renderer(self, request, renderers, format_suffix=None):  # type: ignore[no-untyped-def]
        accept = request.META.get("HTTP_ACCEPT", "")
        for renderer in renderers[1:]:
            if isinstance(renderer, JSONRenderer) and renderer.media_type in accept:
                return renderer, renderer.media_type
        return renderers[0], renderers[0].media_type


class DialectView:
    # Not a docstring: the OpenAPI description of an operation must never be this text.
    # Mixin for DRF views; the concrete dialect mixins set `dialect` and the classes.

    dialect: ClassVar[Dialect]
    authentication_classes: ClassVar[list] = [ApiKeyAuthentication]
    renderer_classes: ClassVar[list] = [JSONRenderer]
    content_negotiation_class = JsonWhateverAccept
    throttle_classes: ClassVar[list] = [ApiKeyRateThrottle]
    # JSON with the shared limits (config/api/parsers.py); form bodies as DRF reads them.
    parser_classes: ClassVar[list] = [JSONBodyParser, FormParser, MultiPartParser]
    schema = DialectAutoSchema()

    def initial(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        check_query(request)

    pagination: ClassVar[PageNumberPaging]

    def page_response(
        self,
        request: Request,
        source: Pageable,
        render: Callable[[list[Any]], list[Any]],
        **options: Any,
    ) -> Response:
        """One page of `source`, its items rendered by `render`, announced the dialect's way.

        Every list endpoint of every dialect goes through here, so a view never needs to
        know how its dialect pages. `options` are the dialect's own (Huddle's link URL and
        collection name).
        """
        page = self.pagination.paginate(source, request)
        return self.pagination.render(render(page.items), page, request, **options)

    def get_exception_handler(self):  # type: ignore[no-untyped-def]
        return self.dialect.handle_exception

    def finalize_response(self, request, response, *args, **kwargs):  # type: ignore[no-untyped-def]
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        if isinstance(response, Response):
            if not getattr(response, "exception", False) and response.status_code != 204:
                self.dialect.wrap_success(request, response)
            self.dialect.add_headers(request, response)
            response.add_post_render_callback(_keep_content_type)
        return response


def check_query(request: Request) -> None:
    """No NUL in a query parameter: PostgreSQL text cannot hold it, so a filter on it would
    fail in the database instead of finding nothing (checked after authentication)."""
    for name, values in request.query_params.lists():
        if "\x00" in name or any("\x00" in value for value in values):
            field = name.replace("\x00", "")
            raise InvalidInput(f"{field}: query parameters must not contain NUL.", field=field)


def _keep_content_type(response: Response) -> None:
    """DRF drops Content-Type when the body is empty (a 204); every response must carry one
    (docs/decisions.md: a MOCO client crashes without it)."""
    if not response.has_header("Content-Type"):
        renderer = getattr(response, "accepted_renderer", None)
        response["Content-Type"] = getattr(renderer, "media_type", None) or "application/json"
