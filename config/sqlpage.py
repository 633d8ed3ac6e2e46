"""A page source (config.api.dialects.base.PageSource) over literal SQL, for hot list pages.

Building and compiling a queryset costs more CPU than PostgreSQL spends answering a list
page's two statements, every request. A list that is read far more often than its filters
change shape states its statements once, as text with placeholders, and hands them here:
a COUNT, then (unless the page lies past the end) the page with LIMIT and OFFSET, as tuples
in the order the SQL selects. What a page renders is pinned to the model path by the
list's byte-identity test (docs/mctime-clock.md, docs/huddle-ooo.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection


@dataclass(frozen=True)
class SqlRows:
    """`SELECT COUNT(*) {from_where}` and `SELECT {columns} {from_where} ORDER BY {order}`.

    `from_where` is the FROM and WHERE clauses with %s placeholders for `params`. The three
    texts are the code's own, never built from a request: every value is a parameter.
    """

    columns: str
    from_where: str
    order: str
    params: Sequence[Any] = ()

    def window(self, offset: int, limit: int) -> tuple[int, list[tuple[Any, ...]]]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) {self.from_where}", self.params)
            (total,) = cursor.fetchone()
            if offset >= total:
                return total, []
            cursor.execute(
                f"SELECT {self.columns} {self.from_where} ORDER BY {self.order} LIMIT %s OFFSET %s",
                [*self.params, limit, offset],
            )
            return total, cursor.fetchall()
