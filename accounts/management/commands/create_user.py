"""`manage.py create_user USERNAME --first-name F --last-name L …`; prints the id last."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from accounts.services import create_user


class Command(BaseCommand):
    help = "Create a Timebridge user; the new user's id is printed on the last line."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--first-name", required=True)
        parser.add_argument("--last-name", required=True)
        parser.add_argument("--email", default="")
        parser.add_argument("--role", default=User.Role.MEMBER, help="admin or member")
        parser.add_argument("--timezone", default=None, help="IANA name, e.g. Europe/Berlin")

    def handle(self, *args: object, **options: str) -> None:
        try:
            user = create_user(
                username=options["username"],
                first_name=options["first_name"],
                last_name=options["last_name"],
                email=options["email"],
                role=options["role"],
                timezone_name=options["timezone"],
            )
        except ValidationError as exc:
            messages = "; ".join(
                f"{field}: {' '.join(errors)}" for field, errors in exc.message_dict.items()
            )
            raise CommandError(messages) from exc
        self.stdout.write(f"Created {user.role} {user.username} ({user.timezone})")
        self.stdout.write(str(user.pk))
