"""The floor of an import that keeps the product's rules: what every imported record costs
at least, measured beside the import and the bare COPY (bench/copy_floor.py).

After an import run, the same files are imported again into the emptied tables by the
import's own writing path and nothing else: each page read and parsed, each record
validated by the API's rules (`Source.prepare`, the function the import and the API share,
with the ledger checksum it computes), then written as the import writes it (`insert_rows`:
binary COPY of the records and of their history rows, chained and hashed per user; COPY of
the import ledger), one durable transaction per page; the next page is read while the
database checks this one's rows, as the import reads it.

Left out, because a floor has no need of them: the ledger lookup that makes an import
idempotent, user resolution and the user locks, closed periods, the day and overlap checks
against stored rows, counting and reporting. The import's rate over this one shows what
they cost; this one's rate over the bare COPY shows what parsing, validating and hashing
cost — the part no implementation of the product's rules can leave out.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from copy_floor import LEDGER, RECORD_TABLES
from django.db import connection, transaction


def import_floor(source_name: str, folder: Path) -> tuple[int, float]:
    """(records, seconds) for writing `folder`'s pages through the import's writing path
    alone, into the emptied tables, for the users the last import mapped."""
    from imports.bulk import bulk_insert
    from imports.collector import collector_paused
    from imports.copying import in_spare_time
    from imports.models import ExternalUser, ImportedRecord
    from imports.pages import ReadAhead
    from imports.sources import get_source
    from imports.sources.writing import insert_rows

    source = get_source(source_name)
    users = {
        mapping.external_id: mapping.user
        for mapping in ExternalUser.objects.filter(source=source_name).select_related("user")
    }
    if not users:
        raise SystemExit("import_floor needs the users a previous import mapped")
    tables = ", ".join(map(connection.ops.quote_name, (*RECORD_TABLES[source_name], LEDGER)))
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables}")
        cursor.execute("CHECKPOINT")  # the run does not pay for the previous run's writes

    def read(page: Path) -> list:
        items = source.items(json.loads(page.read_text(encoding="utf-8")))
        return [source.source_record(item) for item in items]

    records = 0
    started = time.perf_counter()
    pages = ReadAhead(sorted(folder.glob("*.json")), read)
    for page in pages:  # as the import reads: the next page while this one is checked
        with collector_paused(), in_spare_time(pages.read_next), transaction.atomic():
            prepared = [source.prepare(r, users[r.user.external_id]) for r in page]
            ids = insert_rows(source.model, prepared, **source.inserted_with)
            bulk_insert(
                ImportedRecord,
                [
                    {
                        "source": source_name,
                        "source_id": p.record.source_id,
                        "object_id": ids[p.record.source_id],
                        "checksum": p.checksum,
                    }
                    for p in prepared
                ],
                history=False,
            )
        records += len(page)
    elapsed = time.perf_counter() - started
    if source.model._default_manager.count() != records:
        raise SystemExit(f"import_floor wrote {source.model._default_manager.count()} rows")
    return records, elapsed
