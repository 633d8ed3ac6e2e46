"""GET /times reads its pages with literal SQL (config/api/rows.py, LiteralRows; the selector
clock.selectors.time_entries_visible_to): the rows, totals and breaks are exactly what the
ORM reads for the same filters, for every filter parameter and combinations of them, for
admins and members, on every page (past the end too), with the same Python types.
"""

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from accounts.models import User
from clock.models import ApprovalStatus, TimeEntry, TimeEntryBreak
from clock.selectors import (
    BREAK_COLUMNS,
    ENTRY_COLUMNS,
    ENTRY_ORDER,
    time_entries_visible_to,
)
from config.api.rows import LiteralRows
from tests.factories import (
    OrganizationFactory,
    TimeEntryBreakFactory,
    TimeEntryFactory,
    UserFactory,
)

START = datetime(2026, 5, 4, 6, 0, tzinfo=UTC)
# Days 1..8 lie inside; `member`'s entries of day 1 and 9 start exactly at FROM and TO.
FROM = START + timedelta(days=1, microseconds=999)
TO = START + timedelta(days=9, microseconds=9 * 999)
WINDOWS = [(0, 20), (0, 1), (2, 3), (5, 20), (19, 2)]


@pytest.fixture
def setting(db, member, other_member, admin) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    alpha, beta = OrganizationFactory(name="Alpha"), OrganizationFactory(name="Beta")
    alpha_again = OrganizationFactory(name="Alpha")  # a name two organizations share
    organizations = [alpha, None, beta, alpha_again, None]
    zoned = UserFactory(timezone="America/St_Johns")
    statuses = list(ApprovalStatus.values)
    for user_index, user in enumerate([member, other_member, zoned, admin]):
        for day in range(11):  # day 0 before the window, 1..8 in it, 9 and 10 after
            index = user_index * 11 + day
            starts_at = START + timedelta(days=day, hours=user_index, microseconds=index * 999)
            entry = TimeEntryFactory(
                user=user,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=3 + index % 5),
                organization=organizations[index % 5],
                time_type=["work", "sick", "home_office", "vacation"][index % 4],
                approval_status=statuses[index % len(statuses)],
                creation_type=[None, "times", "clock"][index % 3],
                comment=["", "Überstunden", '"a" \\ b'][index % 3],
            )
            for number in range(index % 3):  # zero, one or two breaks
                TimeEntryBreakFactory(
                    entry=entry,
                    starts_at=starts_at + timedelta(minutes=40 * number + 10),
                    ends_at=starts_at + timedelta(minutes=40 * number + 30, microseconds=7),
                    automatic=number == 1,
                )
        # An invalid clocking entry starting with a valid one: the id decides their order.
        same = TimeEntry.objects.get(user=user, starts_at__date=(START + timedelta(days=4)).date())
        TimeEntryFactory(user=user, starts_at=same.starts_at, is_valid=False)
    return {"alpha": alpha, "beta": beta, "alpha_again": alpha_again, "zoned": zoned}


def orm_page(viewer: User, **filters: Any) -> list[tuple[tuple[Any, ...], list[tuple]]]:
    """The whole list as the ORM reads it: the selector's filters as filter() calls."""
    entries = TimeEntry.objects.filter(starts_at__gte=FROM, starts_at__lt=TO)
    if not viewer.is_admin:
        entries = entries.filter(user=viewer)
    if filters.get("user_ids"):
        entries = entries.filter(user__uuid__in=filters["user_ids"])
    if filters.get("time_types"):
        entries = entries.filter(time_type__in=filters["time_types"])
    if filters.get("approval_statuses"):
        entries = entries.filter(approval_status__in=filters["approval_statuses"])
    if filters.get("organization_ids"):
        entries = entries.filter(organization_id__in=filters["organization_ids"])
    elif filters.get("organization_names"):
        entries = entries.filter(organization__name__in=filters["organization_names"])
    rows = list(entries.order_by("user_id", "starts_at", "id").values_list(*ENTRY_COLUMNS))
    breaks = defaultdict(list)
    for entry_id, *rest in TimeEntryBreak.objects.order_by("starts_at", "id").values_list(
        *BREAK_COLUMNS
    ):
        breaks[entry_id].append(tuple(rest))
    return [(row, breaks[row[0]]) for row in rows]


def parameter_sets(setting: dict[str, Any], member: User, other: User) -> list[dict[str, Any]]:
    alpha, beta, alpha_again = setting["alpha"].pk, setting["beta"].pk, setting["alpha_again"].pk
    zoned = setting["zoned"].uuid
    return [
        {},
        {"user_ids": [member.uuid]},
        {"user_ids": [other.uuid, zoned, other.uuid]},  # repeated
        {"time_types": ["work"]},
        {"time_types": ["sick", "home_office"]},
        {"approval_statuses": ["approved"]},
        {"approval_statuses": ["not_approved_yet", "disapproved", "exported"]},
        {"organization_ids": [alpha]},
        {"organization_ids": [alpha, alpha_again, beta]},
        {"organization_names": ["Alpha"]},  # both organizations of that name
        {"organization_names": ["Beta", "Nobody"]},
        {"organization_ids": [beta], "organization_names": ["Alpha"]},  # the ids win
        {"user_ids": [member.uuid, zoned], "time_types": ["work", "home_office"]},
        {
            "user_ids": [member.uuid, other.uuid],
            "time_types": ["work", "sick", "vacation"],
            "approval_statuses": ["not_approved_yet", "approved", "under_approval"],
            "organization_names": ["Alpha", "Beta"],
        },
        {"approval_statuses": ["approved"], "organization_ids": [alpha_again]},
    ]


@pytest.mark.parametrize("viewer", ["admin", "member"])
def test_literal_sql_matches_the_orm(setting, member, other_member, admin, viewer) -> None:  # type: ignore[no-untyped-def]
    user = admin if viewer == "admin" else member
    for filters in parameter_sets(setting, member, other_member):
        expected = orm_page(user, **filters)
        source = time_entries_visible_to(user, starts_from=FROM, starts_before=TO, **filters)
        for offset, limit in [*WINDOWS, (len(expected), 5), (len(expected) - 1, 5)]:
            total, page = source.window(max(offset, 0), limit)
            wanted = expected[max(offset, 0) : max(offset, 0) + limit]
            assert total == len(expected), filters
            assert page == wanted, (filters, offset, limit)
            assert types(page) == types(wanted), filters
    # The comparisons covered entries with breaks, without organization, and other users'.
    everything = orm_page(user)
    assert any(breaks for _, breaks in everything)
    assert any(row[5] is None for row, _ in everything)
    assert len({row[6] for row, _ in everything}) == (4 if viewer == "admin" else 1)


def types(page: list[tuple[tuple[Any, ...], list[tuple]]]) -> list[list[type]]:
    """Each value's type: the ORM's converters give UUIDs, booleans and aware datetimes."""
    return [
        [type(value) for value in row] + [type(value) for brk in breaks for value in brk]
        for row, breaks in page
    ]


def test_a_page_reads_three_statements_and_past_the_end_one(
    setting, admin, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    source = time_entries_visible_to(admin, starts_from=FROM, starts_before=TO)
    with django_assert_num_queries(3):
        total, page = source.window(0, 20)
    assert len(page) == 20 < total
    with django_assert_num_queries(1):
        assert source.window(total, 20) == (total, [])


def test_conditions_mean_what_filter_means(setting, member) -> None:  # type: ignore[no-untyped-def]
    """LiteralRows itself, condition by condition, against filter() (including what the
    list never sends: an empty or None-holding `in`, exact matches on joined fields)."""
    alpha = setting["alpha"]
    for conditions in [
        {"user_id": member.pk},
        {"user": member.pk},
        {"user__uuid": member.uuid},
        {"organization": alpha.pk},
        {"organization": None},
        {"organization__name": "Alpha"},
        {"organization__name__in": ["Alpha", None]},
        {"time_type__in": []},
        {"starts_at__gt": FROM, "starts_at__lte": TO},
        {"starts_at__lt": FROM},
        {"is_valid": False},
    ]:
        rows = LiteralRows(TimeEntry, conditions, ENTRY_ORDER, ENTRY_COLUMNS)
        expected = list(
            TimeEntry.objects.filter(**conditions)
            .order_by(*ENTRY_ORDER)
            .values_list(*ENTRY_COLUMNS)
        )
        assert rows.window(0, 1000) == (len(expected), expected), conditions
        assert rows.rows() == expected, conditions
