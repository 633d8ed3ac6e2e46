"""`manage.py create_api_key USERNAME [--label L]`; prints the raw key on the last line."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from accounts.services import create_api_key


class Command(BaseCommand):
    help = "Create an API key for a user; the raw key is printed once, on the last line."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--label", default="")

    def handle(self, *args: object, **options: str) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"Unknown user {options['username']!r}.")
        if not user.is_active:
            raise CommandError(f"User {user.username!r} is inactive.")
        api_key, raw_key = create_api_key(user=user, label=options["label"])
        self.stdout.write(f"API key {api_key.prefix}… for {user.username} (shown only once):")
        self.stdout.write(raw_key)
