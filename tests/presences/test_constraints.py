"""The invariants hold in the database itself, not only in the services.

Each rule is tested both ways: the API (services) refuses it with a clear 422, and a direct
ORM write that skips the services is refused by the database (IntegrityError).
"""

import datetime as dt
from http import HTTPStatus

import pytest
from django.db import IntegrityError, transaction

from presences.models import Presence
from tests.factories import PresenceFactory
from tests.presences.conftest import LIST_URL, snapshot

DAY = dt.date(2026, 5, 4)


def t(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


def direct_write(user, from_time, to_time, date=DAY):  # type: ignore[no-untyped-def]
    with transaction.atomic():
        Presence.objects.create(user=user, date=date, from_time=from_time, to_time=to_time)


@pytest.mark.parametrize(
    ("from_time", "to_time"),
    [("12:00", "12:00"), ("12:00", "11:59"), ("23:59", "00:00")],
)
def test_database_refuses_to_not_after_from(member, from_time, to_time):
    with pytest.raises(IntegrityError, match="presences_presence_to_after_from"):
        direct_write(member, t(from_time), t(to_time))


@pytest.mark.parametrize(
    ("from_time", "to_time"),
    [
        (dt.time(8, 0, 30), dt.time(9, 0)),
        (dt.time(8, 0), dt.time(9, 0, 1)),
        (dt.time(8, 0, 0, 500000), None),
    ],
)
def test_database_refuses_times_that_are_not_whole_minutes(member, from_time, to_time):
    with pytest.raises(IntegrityError, match="presences_presence_whole_minutes"):
        direct_write(member, from_time, to_time)


def test_database_refuses_second_open_presence_on_a_date(member):
    PresenceFactory(user=member, date=DAY, from_time=t("08:00"), to_time=None)
    with pytest.raises(IntegrityError):
        direct_write(member, t("13:00"), None)


def test_database_allows_open_presences_on_different_dates_and_users(member, other_member):
    PresenceFactory(user=member, date=DAY, from_time=t("08:00"), to_time=None)
    direct_write(member, t("08:00"), None, date=DAY + dt.timedelta(days=1))
    direct_write(other_member, t("08:00"), None)
    assert Presence.objects.filter(to_time__isnull=True).count() == 3


@pytest.mark.postgres_only
@pytest.mark.parametrize(
    ("existing", "new"),
    [
        (("08:00", "12:00"), ("11:00", "13:00")),  # overlaps the end
        (("08:00", "12:00"), ("07:00", "08:01")),  # overlaps the start
        (("08:00", "12:00"), ("09:00", "10:00")),  # inside
        (("08:00", "12:00"), ("07:00", "13:00")),  # around
        (("08:00", "12:00"), ("10:00", None)),  # open, starts inside
        (("08:00", "12:00"), ("07:00", None)),  # open, runs over a later presence
        (("08:00", None), ("20:00", "21:00")),  # inside the rest of an open presence's day
    ],
)
def test_database_refuses_overlapping_presences(member, existing, new):
    PresenceFactory(
        user=member, date=DAY, from_time=t(existing[0]), to_time=existing[1] and t(existing[1])
    )
    with pytest.raises(IntegrityError, match="presences_presence_no_overlap"):
        direct_write(member, t(new[0]), new[1] and t(new[1]))


@pytest.mark.postgres_only
def test_database_allows_touching_intervals_and_other_users_and_dates(member, other_member):
    PresenceFactory(user=member, date=DAY, from_time=t("08:00"), to_time=t("12:00"))
    direct_write(member, t("12:00"), t("13:00"))  # half-open: 12:00 is free again
    direct_write(member, t("07:00"), t("08:00"))
    direct_write(member, t("13:00"), None)  # open: the rest of the day
    direct_write(other_member, t("09:00"), t("10:00"))
    direct_write(member, t("09:00"), t("10:00"), date=DAY - dt.timedelta(days=1))
    assert Presence.objects.count() == 6


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {"date": "2026-05-04", "from": "12:00", "to": "12:00"},
            "to: must be later than from (12:00 is not after 12:00).",
        ),
        (
            {"date": "2026-05-04", "from": "11:00", "to": "13:00"},
            "from: 11:00-13:00 overlaps presence {pk} (08:00-12:00) on 2026-05-04.",
        ),
        (
            {"date": "2026-05-04", "from": "07:00"},
            "from: 07:00 (open) overlaps presence {pk} (08:00-12:00) on 2026-05-04.",
        ),
    ],
)
def test_service_refuses_what_the_database_would(moco, member, body, message):
    existing = PresenceFactory(user=member, date=DAY)
    before = snapshot()

    response = moco(member).post(LIST_URL, body, format="json")

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert response.json() == {"message": message.format(pk=existing.pk)}
    assert snapshot() == before


def test_service_refuses_a_second_open_presence(moco, member):
    existing = PresenceFactory(user=member, date=DAY, from_time=t("08:00"), to_time=None)
    PresenceFactory(user=member, date=DAY, from_time=t("06:00"), to_time=t("07:00"))
    before = snapshot()

    response = moco(member).post(
        LIST_URL, {"date": "2026-05-04", "from": "05:00", "to": None}, format="json"
    )

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert response.json() == {
        "message": f"to: 2026-05-04 already has presence {existing.pk} (open since 08:00); "
        "only one presence per day may be left without an end."
    }
    assert snapshot() == before
