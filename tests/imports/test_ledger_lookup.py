"""The import ledger: what a batch's lookup finds, how PostgreSQL finds it, and what a
re-import writes back."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from imports.bulk import bulk_insert
from imports.known import imported_records
from imports.models import ImportedRecord
from tests.imports.test_moco_import import EXPORT, john, presence  # noqa: F401

pytestmark = pytest.mark.django_db


def entries(source: str, source_ids: range) -> None:
    bulk_insert(
        ImportedRecord,
        [
            {"source": source, "source_id": str(n), "object_id": str(n), "checksum": "c"}
            for n in source_ids
        ],
        history=False,
        keys=False,
    )


def test_the_lookup_finds_the_sources_entries_by_source_id():
    entries("moco", range(1, 3))
    entries("prosonata", range(1, 4))

    found = imported_records("moco", ["1", "3", "2"])

    assert sorted(found) == ["1", "2"]
    assert {entry.source for entry in found.values()} == {"moco"}
    assert found["2"] == ImportedRecord.objects.get(source="moco", source_id="2")
    assert imported_records("moco", []) == {}


@pytest.mark.postgres_only
def test_the_lookup_probes_the_index_per_id_even_with_stale_statistics():
    """Analysed while the ledger held only another source's entries, the statistics call
    the source rare; the lookup must still probe the index once per id, not read every
    entry of the source (a cost that grew with the ledger during big first imports)."""
    entries("prosonata", range(1, 3001))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE imports_importedrecord")
    entries("moco", range(1, 3001))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT most_common_vals::text FROM pg_stats "
            "WHERE tablename = 'imports_importedrecord' AND attname = 'source'"
        )
        (known,) = cursor.fetchone()
    assert "moco" not in known  # the statistics are stale

    with CaptureQueriesContext(connection) as queries:
        found = imported_records("moco", [str(n) for n in range(1, 1001)])
    assert len(found) == 1000
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF) {queries.captured_queries[-1]['sql']}")
        plan = "\n".join(line for (line,) in cursor.fetchall())

    # Every ledger row read is one of the ids: none read only to be filtered out.
    assert "Index Scan using imports_importedrecord_unique" in plan, plan
    assert "Rows Removed by" not in plan, plan
    assert "Seq Scan on imports_importedrecord" not in plan, plan


def test_a_reimported_change_updates_its_ledger_entry(john, run_import, write_json):  # noqa: F811
    run_import("moco", write_json("presences.json", EXPORT))
    before = ImportedRecord.objects.get(source="moco", source_id="3")

    changed = [*EXPORT[:2], presence(3, "2018-07-04", "08:00", "16:30")]
    run_import("moco", write_json("presences.json", changed))

    after = ImportedRecord.objects.get(source="moco", source_id="3")
    assert after.checksum != before.checksum
    assert after.updated_at > before.updated_at
    assert after.imported_at == before.imported_at
    unchanged = ImportedRecord.objects.get(source="moco", source_id="1")
    assert unchanged.updated_at < after.updated_at


def test_rows_without_keys_are_numbered_by_the_table():
    before = ImportedRecord.objects.count()

    returned = bulk_insert(
        ImportedRecord,
        [{"source": "moco", "source_id": "k1", "object_id": "1", "checksum": "c"}],
        history=False,
        keys=False,
    )

    assert returned == []
    assert ImportedRecord.objects.count() == before + 1
    assert ImportedRecord.objects.get(source_id="k1").pk is not None
    with pytest.raises(ValueError, match="history rows need the records' keys"):
        bulk_insert(ImportedRecord, [{"source": "moco"}], keys=False)
