"""The demo data set behind `manage.py load_demo`: small, realistic, safe to load again.

Users, a team, a workspace and organizations are created once. API keys are created (and
their raw value printed) only for demo users that have no active demo key yet, since a raw
key cannot be shown again later. Each member gets last week's presences, working times and
clocked time entries, Carol an out-of-office note for next week and Bob a running clock —
all through the apps' services, so the demo obeys the same rules as the APIs — unless that
member already has records of that kind.
"""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Organization, Team, User, Workspace
from accounts.services import create_api_key, create_user
from clock.models import Clock, TimeEntry
from clock.services.clocks import start_clock
from clock.services.entries import Span, TimeInput, save_time_entries
from ooo.models import OutOfOffice
from ooo.services import create_out_of_office
from presences.models import Presence
from presences.services import create_presence
from workingtimes.models import WorkingTime
from workingtimes.services import replace_working_day

DEMO_LABEL = "demo"
DEMO_USERS = [
    # username, first, last, role
    ("alice", "Alice", "Admin", User.Role.ADMIN),
    ("bob", "Bob", "Baker", User.Role.MEMBER),
    ("carol", "Carol", "Clark", User.Role.MEMBER),
]


@transaction.atomic
def load_demo(*, report: Callable[[str], object]) -> None:
    """Create what is missing of the demo set; `report` receives one line per step."""
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
            report(f"created user {username} (id {user.pk}, {role})")
        users.append(user)

    team, _ = Team.objects.get_or_create(name="Platform team", defaults={"created_by": users[0]})
    team.members.add(*users)
    workspace, _ = Workspace.objects.get_or_create(
        name="Timebridge rollout", defaults={"created_by": users[0]}
    )
    workspace.members.add(*users)
    organizations = [
        Organization.objects.get_or_create(name=name)[0] for name in ("Internal", "Client project")
    ]
    for user in users[1:]:
        _demo_records(user, organizations[1])
        report(f"{user.username}: demo records ready")

    for user in users:
        if user.api_keys.filter(label=DEMO_LABEL, revoked_at__isnull=True).exists():
            report(f"{user.username}: demo key exists (shown when it was created)")
            continue
        _, raw_key = create_api_key(user=user, label=DEMO_LABEL)
        report(f"{user.username}: API key {raw_key}")
    report("demo data ready")


def _demo_records(user: User, organization: Organization) -> None:
    today = timezone.localdate(timezone=user.zone)
    monday = today - dt.timedelta(days=today.weekday() + 7)
    week = [monday + dt.timedelta(days=n) for n in range(5)]
    at = lambda day, h, m: dt.datetime.combine(day, dt.time(h, m), tzinfo=user.zone)  # noqa: E731
    if not Presence.objects.filter(user=user).exists():
        for day in week:
            create_presence(
                user=user,
                date=day,
                from_time=dt.time(8, 30),
                to_time=dt.time(12, 0),
                is_home_office=day.weekday() == 4,
            )
            create_presence(user=user, date=day, from_time=dt.time(12, 30), to_time=dt.time(17, 0))
    if not WorkingTime.objects.filter(user=user).exists():
        for day in week:
            replace_working_day(
                user=user,
                actor=user,
                via_api=False,
                data={
                    "working_date": day,
                    "daily_time_start": dt.time(8, 30),
                    "daily_time_end": dt.time(17, 0),
                    "break1_start": dt.time(12, 0),
                    "break1_end": dt.time(12, 30),
                    "daily_time_total": Decimal("8.00"),
                    "home_office": day.weekday() == 4,
                },
            )
    if not TimeEntry.objects.filter(user=user).exists():
        save_time_entries(
            user=user,
            times=[
                TimeInput(
                    starts_at=at(day, 8, 30),
                    ends_at=at(day, 17, 0),
                    breaks=[Span(at(day, 12, 0), at(day, 12, 30))],
                    organization=organization,
                )
                for day in week
            ],
        )
    if user.username == "carol" and not OutOfOffice.objects.filter(user=user).exists():
        next_monday = monday + dt.timedelta(days=14)
        create_out_of_office(
            user=user,
            is_active=True,
            start_date=at(next_monday, 0, 0),
            end_date=at(next_monday + dt.timedelta(days=4), 23, 59),
            message="Carol is on holiday; please ask Bob.",
        )
    if user.username == "bob" and not Clock.objects.filter(user=user).exists():
        start_clock(user=user, at=timezone.now() - dt.timedelta(hours=1), organization=organization)
