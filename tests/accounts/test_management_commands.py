"""The management commands are a stable interface: scripts parse their last line."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import ApiKey, Organization, Team, User, Workspace
from accounts.services import find_active_api_key
from clock.models import Clock, TimeEntry
from ooo.models import OutOfOffice
from presences.models import Presence
from workingtimes.models import WorkingTime

pytestmark = pytest.mark.django_db


def run(*args: str) -> list[str]:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().splitlines()


def test_create_user_prints_the_new_id_on_its_last_line():
    lines = run(
        "create_user",
        "dora",
        "--first-name",
        "Dora",
        "--last-name",
        "Day",
        "--email",
        "dora@example.com",
        "--role",
        "admin",
        "--timezone",
        "America/New_York",
    )
    user = User.objects.get(username="dora")
    assert lines[-1] == str(user.pk)
    assert (user.first_name, user.last_name, user.email, user.role, user.timezone) == (
        "Dora",
        "Day",
        "dora@example.com",
        "admin",
        "America/New_York",
    )


def test_create_user_defaults_to_member_in_the_company_time_zone(settings):
    run("create_user", "eve", "--first-name", "Eve", "--last-name", "E")
    user = User.objects.get(username="eve")
    assert (user.role, user.timezone) == ("member", settings.TIME_ZONE)
    assert not user.has_usable_password()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--role", "boss"], "role"),
        (["--timezone", "Mars/Olympus"], "timezone"),
    ],
)
def test_create_user_refuses_bad_role_or_timezone(extra, message):
    with pytest.raises(CommandError, match=message):
        run("create_user", "fred", "--first-name", "F", "--last-name", "F", *extra)
    assert not User.objects.filter(username="fred").exists()


def test_create_user_refuses_a_duplicate_username(member):
    with pytest.raises(CommandError, match="already exists"):
        run("create_user", member.username.upper(), "--first-name", "X", "--last-name", "Y")
    assert User.objects.filter(username__iexact=member.username).count() == 1


def test_create_api_key_prints_a_working_raw_key_on_its_last_line(member):
    lines = run("create_api_key", member.username, "--label", "terminal 1")
    raw_key = lines[-1]
    api_key = find_active_api_key(raw_key)
    assert api_key is not None
    assert (api_key.user, api_key.label) == (member, "terminal 1")
    assert raw_key not in {api_key.key_hash, api_key.prefix}


def test_create_api_key_refuses_an_unknown_user():
    with pytest.raises(CommandError, match="Unknown user 'nobody'"):
        run("create_api_key", "nobody")
    assert not ApiKey.objects.exists()


def test_create_api_key_refuses_an_inactive_user(member):
    member.is_active = False
    member.save()
    with pytest.raises(CommandError, match="inactive"):
        run("create_api_key", member.username)


def test_load_demo_creates_the_demo_set_and_prints_each_key_once():
    first = run("load_demo")
    keys = [line.split("API key ")[1] for line in first if "API key " in line]
    assert len(keys) == 3
    assert all(find_active_api_key(key) is not None for key in keys)
    assert User.objects.filter(username__in=["alice", "bob", "carol"]).count() == 3
    assert User.objects.get(username="alice").is_admin
    assert Team.objects.get().members.count() == 3
    assert Workspace.objects.get().members.count() == 3
    assert Organization.objects.count() == 2

    records = (Presence, WorkingTime, TimeEntry, OutOfOffice, Clock)
    # Each member: a week of presences (2 a day), working times and time entries;
    # Carol is away next week, Bob's clock runs.
    assert [model.objects.count() for model in records] == [20, 10, 10, 1, 1]
    assert Presence.objects.filter(user__username="alice").count() == 0

    second = run("load_demo")
    assert not any("API key " in line for line in second)
    assert (User.objects.count(), ApiKey.objects.count(), Team.objects.count()) == (3, 3, 1)
    assert Organization.objects.count() == 2
    assert [model.objects.count() for model in records] == [20, 10, 10, 1, 1]
