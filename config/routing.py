"""URL helpers: every API route answers with and without a trailing slash (DESIGN §2)."""

from django.urls import URLPattern, re_path


def api_path(route: str, view, name: str | None = None) -> URLPattern:  # type: ignore[no-untyped-def]
    """`route` is a regex body without anchors or trailing slash, e.g. r"users/(?P<pk>\\d+)"."""
    return re_path(rf"^{route}/?$", view, name=name)


def moco_path(route: str, view, name: str | None = None) -> URLPattern:  # type: ignore[no-untyped-def]
    """A MOCO route: also answers with MOCO's `.json` suffix (`users/presences.json`), the
    style of MOCO's own documentation and examples."""
    return re_path(rf"^{route}(?:\.json)?/?$", view, name=name)
