"""manage.py chain_history: chain history written before the chains existed (once)."""

from typing import Any

from django.core.management.base import BaseCommand

from closing.adopt import adopt


class Command(BaseCommand):
    help = "Append unchained history rows to their users' chains (run once after upgrading)."

    def handle(self, *args: Any, **options: Any) -> None:
        adopt(report=self.stdout.write)
