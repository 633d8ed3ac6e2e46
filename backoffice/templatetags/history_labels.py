"""Filters of the back office's history page: field labels and choice labels."""

from typing import Any

from django import template

register = template.Library()


@register.filter
def label_for(labels: dict[str, str] | None, column: str) -> str:
    return (labels or {}).get(column, column)


@register.filter
def display_value(record: Any, column: str) -> Any:
    """A history row's value for the column, as the choice's label where it has choices."""
    getter = getattr(record, f"get_{column}_display", None)
    return getter() if callable(getter) else getattr(record, column, None)
