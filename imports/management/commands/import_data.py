"""`manage.py import_data SOURCE …`: bring a source system's records into Timebridge.

    import_data moco export/presences.json            # a file in the list endpoint's shape
    import_data prosonata exports/workingtimes/       # a directory of page files
    import_data mctime --url https://api.example/api/v2/auth --api-key KEY \\
        --from 2024-01-01 --to 2024-12-31             # the live API, every page
    import_data huddle --url https://huddle.example --api-key KEY --workspace 7
    … --dry-run        validate everything, write nothing
    … --create-users   create members for source users that match nobody

Re-running is safe: records already imported are updated or left unchanged. The exit
status is 1 when any record failed or was skipped.
"""

import sys
from argparse import ArgumentTypeError
from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from imports.client import SourceClient
from imports.pages import file_batches
from imports.runner import ImportRunner
from imports.sources import SOURCES, get_source


def parse_ids(value: str) -> list[int]:
    try:
        return [int(part) for part in value.split(",") if part.strip()]
    except ValueError:
        raise ArgumentTypeError(f"{value!r} is not a comma-separated list of ids.") from None


def parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD).") from None


class Command(BaseCommand):
    help = (
        "Import MOCO presences, Huddle OOO presences, McTime time entries or ProSonata "
        "working times, from export files or a live API."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", choices=sorted(SOURCES))
        parser.add_argument("paths", nargs="*", help="JSON files or directories of JSON files")
        parser.add_argument("--url", help="base URL of the source's live API")
        parser.add_argument("--api-key", help="API key for --url")
        parser.add_argument("--from", dest="date_from", type=parse_date, help="YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", type=parse_date, help="YYYY-MM-DD")
        parser.add_argument("--dry-run", action="store_true", help="validate, write nothing")
        parser.add_argument(
            "--create-users", action="store_true", help="create users that match nobody"
        )
        # Huddle has no list of all presences; a live Huddle import names whose it wants.
        parser.add_argument("--team", type=int, help="huddle --url: a team's members")
        parser.add_argument("--workspace", type=int, help="huddle --url: a workspace's members")
        parser.add_argument(
            "--users", type=parse_ids, default=[], help="huddle --url: user ids, comma-separated"
        )

    def handle(self, *args: object, **options) -> None:  # type: ignore[no-untyped-def]
        source = get_source(options["source"])
        paths, url = options["paths"], options["url"]
        if bool(paths) == bool(url):
            raise CommandError("Give either files/directories or --url (not both).")
        if url and not options["api_key"]:
            raise CommandError("--url needs --api-key.")
        date_from, date_to = options["date_from"], options["date_to"]
        if date_from and date_to and date_from > date_to:
            raise CommandError("--from must not be after --to.")

        scope = {k: options[k] for k in ("team", "workspace", "users") if options[k]}
        if scope and source.name != "huddle":
            raise CommandError("--team, --workspace and --users are for huddle imports.")
        for key, value in scope.items():
            setattr(source, key, value)

        client = None
        if url:
            client = SourceClient(base_url=url, api_key=options["api_key"], dialect=source.name)
            batches = source.api_pages(client, date_from=date_from, date_to=date_to)
        else:
            batches = file_batches(paths)

        interactive = hasattr(self.stdout, "isatty") and self.stdout.isatty()
        bar = tqdm(unit=" records", desc=source.label, disable=not interactive, file=sys.stderr)

        def report(line: str) -> None:
            if interactive:
                bar.write(line, file=sys.stdout)
            else:
                self.stdout.write(line)

        runner = ImportRunner(
            source,
            dry_run=options["dry_run"],
            create_users=options["create_users"],
            client=client,
            report=report,
            progress=bar.update,
        )
        counts = runner.run(batches)
        bar.close()
        prefix = "DRY RUN, nothing written: " if options["dry_run"] else ""
        self.stdout.write(f"{prefix}{source.label}: {counts.summary()}")
        if counts.failed or counts.skipped:
            raise CommandError(
                f"{counts.failed} failed, {counts.skipped} skipped — see the lines above.",
                returncode=1,
            )
