"""Instants the database could store but the API could not read back are refused; whole
seconds only; a malformed entry id is bad input; approval waits for a running stop."""

import threading
import time
from datetime import UTC, datetime, timedelta
from http import HTTPStatus

import pytest
from django.db import connection, transaction

from accounts.services import lock_user
from clock.models import ApprovalStatus, Clock, TimeEntry
from clock.services import set_approval_status
from tests.clock.conftest import CLOCK_URL, TIMES_URL, snapshot
from tests.factories import AdminFactory, TimeEntryFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "date_time",
    [
        "0001-01-01T00:00:00+05:00",  # before year 1 in UTC
        "9999-12-31T23:59:59-05:00",  # past year 9999 in UTC
        "1850-01-01T00:00:00+00:00",
        "3000-01-01T00:00:00+00:00",
    ],
)
def test_clock_refuses_instants_outside_the_supported_years(api_client, member, date_time):
    client = api_client(member, "mctime")
    before = snapshot(member)

    response = client.post(CLOCK_URL, {"action": "start", "dateTime": date_time}, format="json")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["valid"] is False
    assert "dateTime" in response.json()["items"][0]["message"]
    assert snapshot(member) == before
    # The list of running clocks still answers for everyone.
    assert api_client(AdminFactory(), "mctime").get(CLOCK_URL).status_code == HTTPStatus.OK


def test_offsets_beyond_14_hours_are_refused(api_client, member):
    response = api_client(member, "mctime").post(
        CLOCK_URL, {"action": "start", "dateTime": "2026-05-04T09:00:00+20:00"}, format="json"
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["items"][0]["message"] == (
        "dateTime: Datetime offset must lie between -14:00 and +14:00."
    )
    assert not Clock.objects.filter(user=member).exists()


def test_fractions_of_seconds_are_dropped_so_read_back_values_match(api_client, member):
    client = api_client(member, "mctime")
    body = {"times": [{"from": "2026-05-04T08:00:00.400+02:00", "to": "2026-05-04T12:00:00.700Z"}]}

    response = client.post(TIMES_URL, body, format="json")

    assert response.status_code == HTTPStatus.OK, response.json()
    entry = TimeEntry.objects.get(user=member)
    assert (entry.starts_at.microsecond, entry.ends_at.microsecond) == (0, 0)
    data = response.json()["items"][0]["data"]
    stored = data["timeEntries"][0]["times"][0] if "timeEntries" in data else data[0]
    assert stored["from"] == "2026-05-04T08:00:00+02:00"


def test_default_now_is_whole_seconds(api_client, member):
    api_client(member, "mctime").post(CLOCK_URL, {"action": "start"}, format="json")

    assert Clock.objects.get(user=member).started_at.microsecond == 0


def test_deleting_a_malformed_entry_id_is_bad_input(api_client, member):
    response = api_client(member, "mctime").delete(f"{TIMES_URL}/not-a-uuid")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["valid"] is False


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_approval_waits_for_a_write_holding_the_users_lock():
    """A stop deletes overlapped unapproved entries under the user's lock; an approval in
    between must wait for it, not approve an entry that is about to be deleted."""
    user = UserFactory()
    start = datetime(2026, 5, 4, 8, tzinfo=UTC)
    entry = TimeEntryFactory(user=user, starts_at=start, ends_at=start + timedelta(hours=2))
    locked, done = threading.Event(), []

    def stop_like_writer() -> None:
        try:
            with transaction.atomic():
                lock_user(user_id=user.pk)
                locked.set()
                time.sleep(0.5)
                TimeEntry.objects.filter(pk=entry.pk).delete()
                done.append(time.monotonic())
        finally:
            connection.close()

    writer = threading.Thread(target=stop_like_writer)
    writer.start()
    assert locked.wait(5)

    changed = set_approval_status(entries=[entry], status=ApprovalStatus.APPROVED)
    approved_at = time.monotonic()
    writer.join()

    assert changed == 0  # it waited, then found the entry gone
    assert approved_at >= done[0]
    assert not TimeEntry.objects.filter(pk=entry.pk).exists()
