"""URL helpers: every API route answers with and without a trailing slash (docs/decisions.md)."""

from django.urls import URLPattern, re_path


def api_path(route: str, view, name: str | None = None) -> URLPattern:  # type: ignore[no-untyped-def]
    """`route` is a regex body without anchors or trailing slash, e.g. r"users/(?P<pk>\\d+)".

    `\\d` means ASCII digits here: Python's `\\d` also matches Arabic-Indic or fullwidth
    digits, which int() reads, so one record would answer under many spellings of its id.
    """
    return re_path(rf"^{_ascii_digits(route)}/?$", view, name=name)


def moco_path(route: str, view, name: str | None = None) -> URLPattern:  # type: ignore[no-untyped-def]
    """A MOCO route: also answers with MOCO's `.json` suffix (`users/presences.json`), the
    style of MOCO's own documentation and examples."""
    return re_path(rf"^{_ascii_digits(route)}(?:\.json)?/?$", view, name=name)


def _ascii_digits(route: str) -> str:
    return route.replace(r"\d", "[0-9]")
