"""factory-boy factories for every model the tests need."""

import factory
from factory.django import DjangoModelFactory

from accounts.models import Organization, Team, User, Workspace
from accounts.services import create_api_key


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    role = User.Role.MEMBER
    timezone = "Europe/Berlin"


class AdminFactory(UserFactory):
    role = User.Role.ADMIN


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = Team
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Team {n}")

    @factory.post_generation
    def members(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create and extracted:
            self.members.add(*extracted)


class WorkspaceFactory(DjangoModelFactory):
    class Meta:
        model = Workspace
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Workspace {n}")

    @factory.post_generation
    def members(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create and extracted:
            self.members.add(*extracted)


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n}")


def raw_api_key(user: User, label: str = "test") -> str:
    """A fresh API key for `user`, raw (as a client would send it)."""
    return create_api_key(user=user, label=label)[1]


class OutOfOfficeFactory(DjangoModelFactory):
    """A Huddle OOO presence (ooo app); dates are open unless given."""

    class Meta:
        model = "ooo.OutOfOffice"

    user = factory.SubFactory(UserFactory)
    is_active = True
    start_date = None
    end_date = None
    message = "out of office"


# --- clock (McTime) ---------------------------------------------------------------------


def _clock_now():  # type: ignore[no-untyped-def]
    from django.utils import timezone

    return timezone.now()


def _clock_minutes(minutes: int):  # type: ignore[no-untyped-def]
    from datetime import timedelta

    return timedelta(minutes=minutes)


class ClockFactory(DjangoModelFactory):
    class Meta:
        model = "clock.Clock"

    user = factory.SubFactory(UserFactory)
    started_at = factory.LazyFunction(_clock_now)
    time_type = "work"


class ClockBreakFactory(DjangoModelFactory):
    class Meta:
        model = "clock.ClockBreak"

    clock = factory.SubFactory(ClockFactory)
    started_at = factory.LazyAttribute(lambda b: b.clock.started_at)
    ended_at = None


class TimeEntryFactory(DjangoModelFactory):
    class Meta:
        model = "clock.TimeEntry"

    user = factory.SubFactory(UserFactory)
    starts_at = factory.LazyFunction(_clock_now)
    ends_at = factory.LazyAttribute(lambda e: e.starts_at + _clock_minutes(8 * 60))
    time_type = "work"
    creation_type = "times"


class TimeEntryBreakFactory(DjangoModelFactory):
    class Meta:
        model = "clock.TimeEntryBreak"

    entry = factory.SubFactory(TimeEntryFactory)
    starts_at = factory.LazyAttribute(lambda b: b.entry.starts_at)
    ends_at = factory.LazyAttribute(lambda b: b.starts_at + _clock_minutes(30))


# --- workingtimes (ProSonata) -------------------------------------------------------------


def _working_day(n: int):  # type: ignore[no-untyped-def]
    from datetime import date, timedelta

    return date(2021, 1, 4) + timedelta(days=n)


def _wall_clock(hour: int, minute: int = 0):  # type: ignore[no-untyped-def]
    from datetime import time

    return time(hour, minute)


def _hours(value: str):  # type: ignore[no-untyped-def]
    from decimal import Decimal

    return Decimal(value)


class WorkingTimeFactory(DjangoModelFactory):
    """A ProSonata work day (workingtimes app): 08:00-16:30, break 12:00-12:30, 8.00 h."""

    class Meta:
        model = "workingtimes.WorkingTime"

    user = factory.SubFactory(UserFactory)
    working_date = factory.Sequence(_working_day)
    daily_time_start = factory.LazyFunction(lambda: _wall_clock(8))
    daily_time_end = factory.LazyFunction(lambda: _wall_clock(16, 30))
    break1_start = factory.LazyFunction(lambda: _wall_clock(12))
    break1_end = factory.LazyFunction(lambda: _wall_clock(12, 30))
    daily_time_total = factory.LazyFunction(lambda: _hours("8.00"))


# --- presences (MOCO) ---------------------------------------------------------------------


def _presence_time(hour: int, minute: int = 0):  # type: ignore[no-untyped-def]
    from datetime import time

    return time(hour, minute)


def _presence_day():  # type: ignore[no-untyped-def]
    from datetime import date

    return date(2026, 5, 4)


class PresenceFactory(DjangoModelFactory):
    """A closed MOCO presence 08:00-12:00 on Monday 2026-05-04; `to_time=None` leaves it open.

    Writes the row directly (no service checks), so tests can also build states the
    services would refuse.
    """

    class Meta:
        model = "presences.Presence"

    user = factory.SubFactory(UserFactory)
    date = factory.LazyFunction(_presence_day)
    from_time = factory.LazyFunction(lambda: _presence_time(8))
    to_time = factory.LazyFunction(lambda: _presence_time(12))
    is_home_office = False
