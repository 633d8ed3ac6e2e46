"""JSON answers for requests that never reach an API view: an unknown path (404) or an
error outside any view (500, e.g. in a middleware). Django's defaults are HTML pages, which
no API client parses. Wired in `config/urls.py` as `handler404` / `handler500`.

The dialect is chosen by the path's base URL (docs/decisions.md); the admin keeps Django's pages.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults

from config.api.dialects.base import Dialect
from config.api.dialects.huddle import HuddleDialect
from config.api.dialects.mctime import McTimeDialect
from config.api.dialects.moco import MocoDialect
from config.api.dialects.prosonata import ProSonataDialect
from config.api.dialects.timebridge import TimebridgeDialect
from config.api.errors import Problem

# Most specific prefix first; ProSonata and MOCO share the base URL /api/v1.
_PREFIXES: list[tuple[str, Dialect]] = [
    ("/api/timebridge/", TimebridgeDialect()),
    ("/api/v2/auth/", McTimeDialect()),
    ("/api/v1/workingtimes", ProSonataDialect()),
    ("/api/v1/", MocoDialect()),
]
_HUDDLE = HuddleDialect()


def dialect_for_path(path: str) -> Dialect | None:
    """The dialect spoken under `path`; None for the admin (HTML pages)."""
    if path.startswith("/admin/"):
        return None
    return next((d for prefix, d in _PREFIXES if path.startswith(prefix)), _HUDDLE)


def _answer(request: HttpRequest, problem: Problem) -> HttpResponse | None:
    dialect = dialect_for_path(request.path)
    if dialect is None:
        return None
    return JsonResponse(
        dialect.error_body(problem, None),
        status=dialect.error_status(problem),
        safe=False,
        content_type=getattr(dialect, "error_content_type", "application/json"),
    )


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    problem = Problem(404, "NotFound", f"No such endpoint: {request.path}")
    return _answer(request, problem) or defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    problem = Problem(500, "InternalServerError", "Internal server error.")
    return _answer(request, problem) or defaults.server_error(request)
