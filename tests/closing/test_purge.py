"""purge_records: retention with a legal minimum, legal holds, tombstones, dry runs."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from clock.models import TimeEntry, TimeEntryBreak
from closing.models import Tombstone
from closing.verify import verify
from ooo.models import OutOfOffice
from presences import services as presence_services
from presences.models import Presence
from tests.factories import (
    OutOfOfficeFactory,
    PresenceFactory,
    TimeEntryBreakFactory,
    TimeEntryFactory,
    WorkingTimeFactory,
)
from workingtimes.models import WorkingTime

TODAY = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)
LATEST_ALLOWED = "2024-12-01"  # today minus 730 days
OLD = dt.date(2023, 6, 5)
NEW = dt.date(2026, 6, 1)


def at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)


def purge(*args: str) -> str:
    out = StringIO()
    call_command("purge_records", *args, stdout=out)
    return out.getvalue()


def records_of(user) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {
        "presences": Presence.objects.filter(user=user).count(),
        "presence history": Presence.history.filter(user_id=user.pk).count(),
        "working times": WorkingTime.objects.filter(user=user).count(),
        "time entries": TimeEntry.objects.filter(user=user).count(),
        "breaks": TimeEntryBreak.objects.filter(entry__user=user).count(),
        "out of office": OutOfOffice.objects.filter(user=user).count(),
    }


@pytest.fixture
def old_and_new(member):  # type: ignore[no-untyped-def]
    """For `member`: one old and one new record of every kind, and an old deleted presence."""
    PresenceFactory(user=member, date=OLD)
    gone = PresenceFactory(user=member, date=OLD, from_time=dt.time(13), to_time=dt.time(14))
    presence_services.delete_presence(presence=gone)
    PresenceFactory(user=member, date=NEW)
    WorkingTimeFactory(user=member, working_date=OLD)
    WorkingTimeFactory(user=member, working_date=NEW)
    old_entry = TimeEntryFactory(user=member, starts_at=at(OLD, 8), ends_at=at(OLD, 16))
    TimeEntryBreakFactory(entry=old_entry)
    TimeEntryFactory(user=member, starts_at=at(NEW, 8), ends_at=at(NEW, 16))
    OutOfOfficeFactory(user=member, start_date=at(OLD, 8), end_date=at(OLD, 18))
    OutOfOfficeFactory(user=member, start_date=at(OLD, 8), end_date=None)  # never ends: kept
    return member


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("before", ["2024-12-02", "2026-01-01", "2026-12-01"])
def test_a_cutoff_younger_than_two_years_is_refused(old_and_new, before):
    counts = records_of(old_and_new)
    with pytest.raises(CommandError, match="latest allowed cut-off is 2024-12-01"):
        purge("--before", before)
    assert records_of(old_and_new) == counts


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(("minimum_days", "latest"), [(30, "2024-12-01"), (1000, "2024-03-06")])
def test_the_minimum_is_a_setting_never_below_two_years(db, settings, minimum_days, latest):
    settings.RETENTION_MINIMUM_DAYS = minimum_days
    later = dt.date.fromisoformat(latest) + dt.timedelta(days=1)
    with pytest.raises(CommandError, match=f"latest allowed cut-off is {latest}"):
        purge("--before", later.isoformat())
    purge("--before", latest)


@time_machine.travel(TODAY, tick=False)
def test_purge_removes_old_records_and_their_history_and_keeps_chains_verifiable(old_and_new):
    member = old_and_new
    output = purge("--before", LATEST_ALLOWED)

    assert records_of(member) == {
        "presences": 1,
        "presence history": 1,
        "working times": 1,
        "time entries": 1,
        "breaks": 0,
        "out of office": 1,
    }
    assert Presence.history.filter(user_id=member.pk, date=OLD).count() == 0
    assert f"user {member.pk}: removed 1 presences, 1 working times, 1 time entries" in output
    # The deleted presence is no record any more, but its two history rows go too.
    assert "Removed 4 records and 7 history rows before 2024-12-01." in output
    tombstone = Tombstone.objects.get(user_id=member.pk)
    assert tombstone.before == dt.date(2024, 12, 1)
    assert len(tombstone.removed) == 7  # the history rows' positions and hashes
    assert verify() == []


@time_machine.travel(TODAY, tick=False)
def test_a_tombstone_edited_afterwards_is_detected(old_and_new):
    purge("--before", LATEST_ALLOWED)
    tombstone = Tombstone.objects.get()
    Tombstone.objects.filter(pk=tombstone.pk).update(removed=tombstone.removed[1:])
    assert verify(old_and_new.pk) != []


@time_machine.travel(TODAY, tick=False)
def test_users_under_legal_hold_are_skipped(old_and_new, other_member):
    member = old_and_new
    member.legal_hold = True
    member.save()
    PresenceFactory(user=other_member, date=OLD)
    counts = records_of(member)

    output = purge("--before", LATEST_ALLOWED)

    assert records_of(member) == counts
    assert f"user {member.pk}: skipped (legal hold)" in output
    assert not Presence.objects.filter(user=other_member).exists()
    assert not Tombstone.objects.filter(user_id=member.pk).exists()
    assert verify() == []


@time_machine.travel(TODAY, tick=False)
def test_dry_run_prints_what_would_go_and_removes_nothing(old_and_new):
    counts = records_of(old_and_new)
    output = purge("--before", LATEST_ALLOWED, "--dry-run")
    assert f"user {old_and_new.pk}: would remove 1 presences" in output
    assert "Would remove 4 records and 7 history rows" in output
    assert records_of(old_and_new) == counts
    assert not Tombstone.objects.exists()


def test_a_malformed_date_is_refused(db):
    with pytest.raises(CommandError, match="not a date"):
        purge("--before", "2024-13-01")


@pytest.mark.parametrize(
    ("today", "latest"),
    [
        # Two calendar years across a 29 February are 731 days, not 730.
        (dt.date(2025, 3, 1), dt.date(2023, 3, 1)),
        (dt.date(2028, 2, 29), dt.date(2026, 2, 28)),
        (dt.date(2026, 12, 1), dt.date(2024, 12, 1)),
    ],
)
def test_the_legal_minimum_is_two_calendar_years(db, today, latest):
    from closing.purge import RetentionRefused, check_cutoff

    check_cutoff(latest, today=today)
    with pytest.raises(RetentionRefused, match=f"latest allowed cut-off is {latest}"):
        check_cutoff(latest + dt.timedelta(days=1), today=today)
