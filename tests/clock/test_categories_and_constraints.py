"""The time type → category mapping, and every database constraint, both ways."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.db import IntegrityError, transaction

from clock.models import CATEGORY_BY_TIME_TYPE, Clock, ClockBreak, TimeEntry, TimeType
from tests.clock.conftest import TIMES_URL, at
from tests.factories import (
    ClockBreakFactory,
    ClockFactory,
    TimeEntryBreakFactory,
    TimeEntryFactory,
)

# Written out on purpose (not derived from the code): this table is the contract in docs/.
EXPECTED_CATEGORIES = {
    "work": "productive",
    "home_office": "productive",
    "travel": "productive",
    "clocking": "productive",
    "worked_rest_period": "productive",
    "bad_weather": "unproductive",
    "out_office": "unproductive",
    "free_time": "unproductive",
    "flextime": "unproductive",
    "vacation": "vacation",
    "company_vacation": "vacation",
    "vacation_abroad": "vacation",
    "statutory_leave": "vacation",
    "sick": "sick",
    "medical_leave": "sick",
    "work_accident_sickness": "sick",
    "public_holiday_abroad": "paid_leave",
    "jubilee_day": "paid_leave",
    "special_leave": "paid_leave",
    "study_leave": "paid_leave",
    "military_service": "paid_leave",
    "military_exercize": "paid_leave",
    "move": "paid_leave",
    "paid_time_off": "paid_leave",
    "other_leave": "paid_leave",
    "unpaid_vacation": "unpaid_leave",
    "unpaid_time_off": "unpaid_leave",
    "parental_leave": "unpaid_leave",
    "care_leave": "unpaid_leave",
}

START = at("2026-05-04T08:00:00+02:00")


def test_all_29_spec_time_types_are_mapped():
    assert len(TimeType.values) == 29
    assert CATEGORY_BY_TIME_TYPE == EXPECTED_CATEGORIES


@pytest.mark.parametrize(("time_type", "category"), EXPECTED_CATEGORIES.items())
def test_an_entry_reports_the_category_of_its_time_type(mctime, member, time_type, category):
    body = {
        "times": [
            {"from": "2026-05-04T08:00:00+02:00", "to": "2026-05-04T16:00:00+02:00",
             "timeType": time_type}
        ]
    }  # fmt: skip
    response = mctime(member).post(TIMES_URL, body, format="json")
    assert response.status_code == HTTPStatus.OK
    assert response.json()["items"][0]["data"][0]["category"] == category
    assert TimeEntry.objects.get().category == category


def test_changing_the_time_type_rederives_the_category(member):
    entry = TimeEntryFactory(user=member, starts_at=START)
    entry.time_type = "sick"
    entry.save(update_fields=["time_type"])
    entry.refresh_from_db()
    assert entry.category == "sick"


def test_database_refuses_a_category_that_contradicts_the_time_type(member):
    entry = TimeEntryFactory(user=member, starts_at=START)
    with pytest.raises(IntegrityError), transaction.atomic():
        TimeEntry.objects.filter(pk=entry.pk).update(category="vacation")


def test_database_refuses_a_second_clock_for_a_user(member):
    ClockFactory(user=member)
    with pytest.raises(IntegrityError), transaction.atomic():
        Clock.objects.create(user=member, started_at=START)


def test_database_refuses_a_second_open_break(member):
    clock = ClockFactory(user=member, started_at=START)
    ClockBreakFactory(clock=clock)
    with pytest.raises(IntegrityError), transaction.atomic():
        ClockBreak.objects.create(clock=clock, started_at=START + timedelta(hours=1))


@pytest.mark.parametrize("hours", [0, -1])
def test_database_refuses_an_entry_that_does_not_end_after_it_starts(member, hours):
    with pytest.raises(IntegrityError), transaction.atomic():
        TimeEntryFactory(user=member, starts_at=START, ends_at=START + timedelta(hours=hours))


def test_database_refuses_a_break_that_does_not_end_after_it_starts(member):
    entry = TimeEntryFactory(user=member, starts_at=START)
    with pytest.raises(IntegrityError), transaction.atomic():
        TimeEntryBreakFactory(entry=entry, starts_at=START, ends_at=START)


@pytest.mark.postgres_only
def test_database_refuses_overlapping_valid_entries_of_a_user(member, other_member):
    TimeEntryFactory(user=member, starts_at=START)
    # Touching, another user's, or invalid: all fine.
    TimeEntryFactory(user=member, starts_at=START + timedelta(hours=8))
    TimeEntryFactory(user=other_member, starts_at=START)
    TimeEntryFactory(user=member, starts_at=START, is_valid=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        TimeEntryFactory(user=member, starts_at=START + timedelta(hours=7))


@pytest.mark.postgres_only
def test_database_refuses_overlapping_breaks_of_an_entry(member):
    entry = TimeEntryFactory(user=member, starts_at=START)
    TimeEntryBreakFactory(entry=entry, starts_at=START, ends_at=START + timedelta(hours=1))
    TimeEntryBreakFactory(
        entry=entry, starts_at=START + timedelta(hours=1), ends_at=START + timedelta(hours=2)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        TimeEntryBreakFactory(
            entry=entry,
            starts_at=START + timedelta(minutes=30),
            ends_at=START + timedelta(minutes=90),
        )
