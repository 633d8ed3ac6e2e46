"""Shared assertion of the row renderers' tests: a list page rendered from rows is what the
serializer renders, to the byte."""

from typing import Any

from rest_framework.renderers import JSONRenderer


def assert_renders_alike(got: Any, expected: Any) -> None:
    """The same data, and the same JSON bytes (so the same key order at every level, and
    the same text for every value) through DRF's renderer."""
    assert got == expected
    renderer = JSONRenderer()
    assert renderer.render(got) == renderer.render(expected)
