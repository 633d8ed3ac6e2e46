"""Closed periods in tests: a March 2026 closure for `member`, and a state snapshot."""

import datetime as dt

import pytest

from clock.models import Clock, TimeEntry
from closing.services import create_closure
from ooo.models import OutOfOffice
from presences.models import Presence
from workingtimes.models import WorkingTime

MARCH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
CLOSURES_URL = "/api/timebridge/v1/closures"


@pytest.fixture
def close(admin):  # type: ignore[no-untyped-def]
    """close(user, first=2026-03-01, last=2026-03-31) -> the closure."""

    def make(*users, first: dt.date = MARCH[0], last: dt.date = MARCH[1]):  # type: ignore[no-untyped-def]
        return create_closure(
            actor=admin,
            from_date=first,
            to_date=last,
            reason="March payroll",
            user_ids=[u.pk for u in users],
        )

    return make


def snapshot() -> dict[str, list]:
    """Every record and its history count: a refused write must change neither."""
    models = [Presence, WorkingTime, TimeEntry, OutOfOffice, Clock]
    state: dict[str, list] = {}
    for model in models:
        state[model.__name__] = sorted(map(str, model.objects.values_list()))
        state[f"{model.__name__} history"] = [model.history.count()]
    return state
