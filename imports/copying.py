"""Binary COPY into a table, with Python work done while the server still checks the rows.

A COPY's rows reach the server as fast as psycopg can send them; then the client waits while
the server checks what it received (for a presence, its GiST no-overlap constraint: most of
an import's database time). `copy_rows(…, meanwhile=f)` ends the COPY without waiting, runs
`f` in that otherwise idle time (the import hashes the batch's history rows there) and only
then reads the server's answer. Work registered with `in_spare_time` (the import reads its
next file there) runs in the first such wait of its block. The connection is used by nothing
else meanwhile: that work must not touch the database.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextvars import ContextVar
from typing import Any

from django.db import connection
from psycopg import errors, pq
from psycopg.copy import LibpqWriter
from psycopg.generators import fetch_many
from psycopg.waiting import Wait

# Work for the next wait of a COPY's check (a one-element list: taken by the first COPY).
_spare_work: ContextVar[list[Callable[[], None]] | None] = ContextVar("spare_work", default=None)


@contextlib.contextmanager
def in_spare_time(work: Callable[[], None]) -> Iterator[None]:
    """Run `work` while the server checks the first COPY made in this block (after that
    COPY's own `meanwhile`); if the block makes none, `work` does not run. `work` must not
    touch the database and should not raise: its error would fail the COPY's transaction."""
    token = _spare_work.set([work])
    try:
        yield
    finally:
        _spare_work.reset(token)


def copy_rows(
    table: str,
    columns: Sequence[str],
    types: Sequence[int],
    rows: Iterable[Sequence[Any]],
    *,
    meanwhile: Callable[[], None] | None = None,
) -> None:
    """COPY `rows` (values in `columns` order, of the type oids `types`) into `table`.

    Errors are Django's (`django.db.IntegrityError` for a constraint), as for any query."""
    quote = connection.ops.quote_name
    sql = f"COPY {quote(table)} ({', '.join(map(quote, columns))}) FROM STDIN WITH (FORMAT BINARY)"
    work = [meanwhile] if meanwhile is not None else []
    spare = _spare_work.get()
    if spare:
        work.append(spare.pop())
    with connection.wrap_database_errors, connection.cursor() as cursor:
        raw = cursor.cursor
        writer = _WorkWhileChecked(raw, work) if work else None
        with raw.copy(sql, writer=writer) as copy:
            copy.set_types(types)
            for row in rows:
                copy.write_row(row)


class _WorkWhileChecked(LibpqWriter):
    """Sends the COPY's end, does the work, then reads the result. The result is read even
    when the work fails, so that the connection is left in a known state (and the COPY's
    own error, if any, is raised in place of the work's: the data is what failed first)."""

    def __init__(self, cursor: Any, work: list[Callable[[], None]]) -> None:
        super().__init__(cursor)
        self.work = work

    def finish(self, exc: BaseException | None = None) -> None:
        if exc is not None:  # the rows could not be written: abort as psycopg does
            super().finish(exc)
            return
        self.connection.wait(_send_end(self._pgconn))
        try:
            for work in self.work:
                work()
        finally:
            (result,) = self.connection.wait(fetch_many(self._pgconn))
            if result.status != pq.ExecStatus.COMMAND_OK:
                raise errors.error_from_result(result, encoding=self.connection.info.encoding)
        self.cursor._results = [result]


def _send_end(pgconn: Any) -> Any:
    """Queue the end-of-COPY message and flush it to the server (psycopg's copy_end without
    its wait for the result)."""
    while pgconn.put_copy_end(None) == 0:
        while not (yield Wait.W):
            continue
    while True:
        while not (yield Wait.W):
            continue
        if pgconn.flush() == 0:
            return
