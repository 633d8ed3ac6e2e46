"""A queryset paged as rows of chosen columns: the page source of the list endpoints that
render rows, not model instances (docs/architecture.md, "List pages")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet


@dataclass(frozen=True)
class QueryRows:
    """`queryset` as a page source (config/api/dialects/base.py, `PageSource`): its COUNT
    and one page of `values_list(*columns)` rows, in the queryset's order.

    The COUNT runs on `queryset` itself, so it joins no table that only the page's columns
    need; no page query is sent for a page past the end (as for a queryset source).
    """

    queryset: QuerySet
    columns: Sequence[str]

    def window(self, offset: int, limit: int) -> tuple[int, list[tuple[Any, ...]]]:
        total = self.queryset.count()
        if offset >= total:
            return total, []
        return total, list(self.queryset.values_list(*self.columns)[offset : offset + limit])
