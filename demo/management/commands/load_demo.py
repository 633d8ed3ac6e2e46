"""`manage.py load_demo`: a small, realistic demo data set; safe to run again (demo/services.py)."""

from django.core.management.base import BaseCommand

from demo.services import load_demo


class Command(BaseCommand):
    help = "Create demo users, a team, a workspace, organizations and API keys (idempotent)."

    def handle(self, *args: object, **options: object) -> None:
        load_demo(report=self.stdout.write)
