"""manage.py verify_history [--user ID]: exit 0 when every history chain is intact and every
current row matches its latest history row; otherwise exit 1, naming the first broken row."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from closing.verify import verify


class Command(BaseCommand):
    help = "Verify the per-user history chains and the current rows against them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", type=int, help="Verify only this user's chain.")

    def handle(self, *args: Any, **options: Any) -> None:
        problems = verify(options["user"])
        if problems:
            for problem in problems:
                self.stderr.write(f"BROKEN {problem}")
            # SystemExit, not CommandError: the exit status is the interface (scripts, cron).
            raise SystemExit(1)
        scope = f"user {options['user']}" if options["user"] else "all users"
        self.stdout.write(f"OK: history of {scope} is intact.")
