"""manage.py purge_records --before YYYY-MM-DD [--dry-run]: remove working-time records and
their history older than the date (never younger than the legal minimum; users under a
legal hold are skipped), leaving a tombstone in each affected history chain."""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from closing.purge import RetentionRefused, purge


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--before: {value!r} is not a date YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = "Purge records and their history older than --before (retention)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--before", required=True, help="Cut-off date YYYY-MM-DD.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Print what would go; remove nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        before = _date(options["before"])
        try:
            results = purge(before=before, dry_run=options["dry_run"], report=self.stdout.write)
        except RetentionRefused as exc:
            raise CommandError(str(exc)) from None
        total = sum(r.history_rows for r in results)
        records = sum(sum(r.records.values()) for r in results)
        verb = "Would remove" if options["dry_run"] else "Removed"
        self.stdout.write(f"{verb} {records} records and {total} history rows before {before}.")
