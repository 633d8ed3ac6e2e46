"""The day row: every source, union not sum, breaks, absences, flags (whole bodies)."""

from datetime import date, datetime, time
from decimal import Decimal
from http import HTTPStatus
from zoneinfo import ZoneInfo

import pytest

from tests.factories import (
    PresenceFactory,
    TimeEntryBreakFactory,
    TimeEntryFactory,
    WorkingTimeFactory,
)

BERLIN = ZoneInfo("Europe/Berlin")
DAY = date(2026, 3, 2)


def at(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=BERLIN)


@pytest.mark.django_db
def test_day_row_merges_three_sources_into_one_answer(days, member):
    presence = PresenceFactory(user=member, date=DAY, from_time=time(8), to_time=time(16))
    entry = TimeEntryFactory(user=member, starts_at=at(8), ends_at=at(16, 15))
    pause = TimeEntryBreakFactory(entry=entry, starts_at=at(12), ends_at=at(12, 30))
    record = WorkingTimeFactory(
        user=member,
        working_date=DAY,
        daily_time_start=time(8),
        daily_time_end=time(16, 15),
        break1_start=time(12),
        break1_end=time(12, 30),
        daily_time_total=Decimal("7.75"),
    )

    response = days(member, **{"from": "2026-03-02", "to": "2026-03-02"})

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "count": 1,
        "next": None,
        "previous": None,
        "results": [
            {
                "user": {"id": member.pk, "username": "bob", "name": "Bob Member"},
                "date": "2026-03-02",
                "timezone": "Europe/Berlin",
                "work_minutes": 465,
                "break_minutes": 30,
                "first_start": "2026-03-02T08:00:00+01:00",
                "last_end": "2026-03-02T16:15:00+01:00",
                "open": False,
                "intervals": [
                    {
                        "start": "2026-03-02T08:00:00+01:00",
                        "end": "2026-03-02T16:00:00+01:00",
                        "kind": "work",
                        "source": "moco",
                        "ref": f"moco:presence:{presence.pk}",
                    },
                    {
                        "start": "2026-03-02T08:00:00+01:00",
                        "end": "2026-03-02T16:15:00+01:00",
                        "kind": "work",
                        "source": "mctime",
                        "ref": f"mctime:time_entry:{entry.pk}",
                    },
                    {
                        "start": "2026-03-02T08:00:00+01:00",
                        "end": "2026-03-02T16:15:00+01:00",
                        "kind": "work",
                        "source": "prosonata",
                        "ref": f"prosonata:working_time:{record.pk}",
                    },
                    {
                        "start": "2026-03-02T12:00:00+01:00",
                        "end": "2026-03-02T12:30:00+01:00",
                        "kind": "break",
                        "source": "mctime",
                        "ref": f"mctime:time_entry_break:{pause.pk}",
                    },
                    {
                        "start": "2026-03-02T12:00:00+01:00",
                        "end": "2026-03-02T12:30:00+01:00",
                        "kind": "break",
                        "source": "prosonata",
                        "ref": f"prosonata:working_time:{record.pk}:break1",
                    },
                ],
                "absences": [],
                "sources": {"moco": 480, "mctime": 465, "prosonata": 465},
                "flags": [],
                "violations": [],
            }
        ],
    }
