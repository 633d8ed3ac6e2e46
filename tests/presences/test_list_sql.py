"""The list's literal SQL (presences.selectors.PresenceListRows) finds, counts and orders
exactly what the ORM does for the same conditions, for every list parameter and sort key,
for admins and members, on every page."""

import datetime as dt
from datetime import UTC

import pytest

from presences.filters import SORT_FIELDS, list_conditions
from presences.models import Presence
from presences.selectors import presence_list_visible_to
from presences.serializers import PAGE_COLUMNS
from tests.factories import PresenceFactory, UserFactory

DAY = dt.date(2026, 5, 4)


@pytest.fixture
def presences(db, member, other_member):  # type: ignore[no-untyped-def]
    made = []
    for n, user in enumerate([member, other_member, UserFactory(first_name="Zoë")] * 4):
        made.append(
            PresenceFactory(
                user=user,
                date=DAY + dt.timedelta(days=n % 5),
                from_time=dt.time(6 + n),
                to_time=None if n % 3 == 0 else dt.time(7 + n),
                is_home_office=n % 2 == 0,
            )
        )
    for n, presence in enumerate(made):
        stamp = dt.datetime(2026, 5, 1, tzinfo=UTC) + dt.timedelta(hours=7 * n)
        Presence.objects.filter(pk=presence.pk).update(created_at=stamp, updated_at=stamp)
    return made


def parameter_sets(presences, member):  # type: ignore[no-untyped-def]
    ids = ",".join(str(p.pk) for p in presences[::3])
    yield {}
    yield {"from": "2026-05-05", "to": "2026-05-07"}
    yield {"user_id": str(member.pk)}
    yield {"is_home_office": "true"}
    yield {"is_home_office": "false", "user_id": str(member.pk)}
    yield {"ids": ids}
    yield {"ids": f"{ids},{ids}"}  # repeated ids
    yield {"updated_after": "2026-05-02T00:00:00Z"}
    yield {"updated_after": "2026-05-02T09:30"}  # naive: the company time zone
    yield {"from": "2026-05-04", "to": "2026-05-06", "is_home_office": "1", "ids": ids}
    for name in SORT_FIELDS:
        yield {"sort_by": name}
        yield {"sort_by": f"{name} desc"}


@pytest.mark.parametrize("viewer", ["admin", "member"])
def test_literal_sql_matches_the_orm(presences, member, admin, viewer) -> None:  # type: ignore[no-untyped-def]
    user = admin if viewer == "admin" else member
    for params in parameter_sets(presences, member):
        conditions, order = list_conditions(params)
        rows = presence_list_visible_to(user, conditions, order, PAGE_COLUMNS)
        orm = Presence.objects.filter(**conditions).order_by(*order)
        if viewer == "member":
            orm = orm.filter(user=member)
        expected = list(orm.values_list(*PAGE_COLUMNS))
        for offset, limit in [(0, 100), (0, 1), (2, 3), (len(expected), 5), (50, 5)]:
            total, page = rows.window(offset, limit)
            assert total == len(expected), params
            assert page == expected[offset : offset + limit], (params, offset, limit)
