"""`manage.py load_demo`: a small, realistic demo data set; safe to run again.

Users, a team, a workspace and organizations are created once. API keys are created (and
their raw value printed) only for demo users that have no active demo key yet, since a raw
key cannot be shown again later.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import Organization, Team, User, Workspace
from accounts.services import create_api_key, create_user

DEMO_LABEL = "demo"
DEMO_USERS = [
    # username, first, last, role
    ("alice", "Alice", "Admin", User.Role.ADMIN),
    ("bob", "Bob", "Baker", User.Role.MEMBER),
    ("carol", "Carol", "Clark", User.Role.MEMBER),
]


class Command(BaseCommand):
    help = "Create demo users, a team, a workspace, organizations and API keys (idempotent)."

    @transaction.atomic
    def handle(self, *args: object, **options: object) -> None:
        users = []
        for username, first, last, role in DEMO_USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = create_user(
                    username=username,
                    first_name=first,
                    last_name=last,
                    email=f"{username}@example.com",
                    role=role,
                )
                self.stdout.write(f"created user {username} (id {user.pk}, {role})")
            users.append(user)

        team, _ = Team.objects.get_or_create(
            name="Platform team", defaults={"created_by": users[0]}
        )
        team.members.add(*users)
        workspace, _ = Workspace.objects.get_or_create(
            name="Timebridge rollout", defaults={"created_by": users[0]}
        )
        workspace.members.add(*users)
        for name in ("Internal", "Client project"):
            Organization.objects.get_or_create(name=name)

        for user in users:
            if user.api_keys.filter(label=DEMO_LABEL, revoked_at__isnull=True).exists():
                self.stdout.write(f"{user.username}: demo key exists (shown when it was created)")
                continue
            _, raw_key = create_api_key(user=user, label=DEMO_LABEL)
            self.stdout.write(f"{user.username}: API key {raw_key}")
        self.stdout.write("demo data ready")
