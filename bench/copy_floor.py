"""The database's floor for an import: a bare binary COPY of the rows the import wrote.

After an import run, every row it wrote to the record table, its history table and the
import ledger is read back as Python values and the three tables are emptied; then the same
rows are written again with binary COPY, in batches of the import's size, each batch in its
own (durable) transaction, into the same tables with every constraint, index and foreign key
in place. No parsing, no lookups, no checks: what is left is what PostgreSQL needs. The
import's rate over this one is the ratio issue 18 asks for (goal: at least 0.5).
"""

from __future__ import annotations

import time

from django.db import connection, transaction

BATCH = 1000  # the import's batch: one source page per transaction
LEDGER = "imports_importedrecord"
RECORD_TABLES = {
    "moco": ("presences_presence", "presences_historicalpresence"),
    "prosonata": ("workingtimes_workingtime", "workingtimes_historicalworkingtime"),
}


def _columns(table: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname, atttypid FROM pg_attribute WHERE attrelid = %s::regclass "
            "AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
            [table],
        )
        pairs = cursor.fetchall()
    return tuple(name for name, _ in pairs), tuple(oid for _, oid in pairs)


def _read(table: str, columns: tuple[str, ...]) -> list[tuple]:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(map(quote, columns))} FROM {quote(table)} ORDER BY 1")  # noqa: S608
        return cursor.fetchall()


def bare_copy(source: str) -> tuple[int, float]:
    """(records, seconds) for COPYing back what the last import of `source` wrote."""
    tables = (*RECORD_TABLES[source], LEDGER)
    quote = connection.ops.quote_name
    prepared = {}
    for table in tables:
        columns, types = _columns(table)
        prepared[table] = (columns, types, _read(table, columns))
    records = len(prepared[tables[0]][2])
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(map(quote, tables))}")
        cursor.execute("CHECKPOINT")  # the run does not pay for the previous run's writes
    started = time.perf_counter()
    for start in range(0, records, BATCH):
        with transaction.atomic(), connection.cursor() as cursor:
            for table in tables:
                columns, types, rows = prepared[table]
                sql = (
                    f"COPY {quote(table)} ({', '.join(map(quote, columns))}) "
                    "FROM STDIN WITH (FORMAT BINARY)"
                )
                # History and ledger rows are one per record, in record order.
                with cursor.cursor.copy(sql) as copy:
                    copy.set_types(types)
                    for row in rows[start : start + BATCH]:
                        copy.write_row(row)
    return records, time.perf_counter() - started
