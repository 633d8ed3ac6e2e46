"""Query parameters of GET /workingtimes: ProSonata's filters and `orderBy`.

Every parameter that cannot be understood is a 400 naming it, never silently ignored.
"""

from __future__ import annotations

import re
from datetime import date

import django_filters
from django.db.models import QuerySet

from config.api.errors import InvalidInput
from config.api.fields import is_ascii_number, parse_day
from config.api.ids import MAX_ID
from workingtimes.models import DayType, WorkingTime

# `>` from that date on, `<` up to it, both inclusive (spec); `>=`, `<=`, `=` read the same.
_DATE = re.compile(r"^\s*(?P<op>>=|<=|>|<|=)?\s*(?P<date>\S+)\s*$")
_DATE_LOOKUPS = {None: "exact", "=": "exact", ">": "gte", ">=": "gte", "<": "lte", "<=": "lte"}
_FLAGS = {"0": False, "1": True, "false": False, "true": True}
# orderBy names (case-insensitive) -> model fields.
ORDER_FIELDS = {"workingtimeid": "id", "userid": "user_id", "workingdate": "working_date"}


def parse_date_filter(name: str, value: str) -> tuple[str, date]:
    """`2021-03-02`, `>2021-03-02` or `<2021-03-02` -> (lookup, date)."""
    match = _DATE.match(value)
    try:
        if match is None:
            raise ValueError
        # YYYY-MM-DD, ASCII digits, years 1900-2999 (the range every API shares).
        day = parse_day(match["date"])
        if day is None:
            raise ValueError
    except ValueError:
        raise InvalidInput(
            f"{name}: expected a date YYYY-MM-DD (1900-2999), optionally preceded by > (from) or "
            f"< (up to), got {value!r}.",
            field=name,
        ) from None
    return _DATE_LOOKUPS[match["op"]], day


def parse_order(value: str) -> list[str]:
    """`workingDate DESC,userID` -> ["-working_date", "user_id", "id"]."""
    keys: list[str] = []
    for part in value.split(","):
        tokens = part.split()
        if not tokens:
            continue
        field = ORDER_FIELDS.get(tokens[0].lower())
        if field is None:
            raise InvalidInput(
                f"orderBy: cannot sort by {tokens[0]!r}; use workingTimeID, userID or "
                "workingDate, each optionally followed by ASC or DESC.",
                field="orderBy",
            )
        direction = tokens[1].upper() if len(tokens) > 1 else "ASC"
        if len(tokens) > 2 or direction not in ("ASC", "DESC"):
            raise InvalidInput(
                f"orderBy: expected 'field [ASC|DESC]', got {part.strip()!r}.", field="orderBy"
            )
        keys.append(f"-{field}" if direction == "DESC" else field)
    # The id breaks ties, so that paging through a sorted list never skips or repeats.
    if not any(key.lstrip("-") == "id" for key in keys):
        keys.append("id")
    return keys


class WorkingTimeFilter(django_filters.FilterSet):
    userID = django_filters.CharFilter(method="filter_user_id")
    username = django_filters.CharFilter(field_name="user__username", lookup_expr="iexact")
    workingDate = django_filters.CharFilter(method="filter_working_date")
    workingDate2 = django_filters.CharFilter(method="filter_working_date")
    dayType = django_filters.CharFilter(method="filter_day_type")
    halfHoliday = django_filters.CharFilter(field_name="half_holiday", method="filter_flag")
    homeOffice = django_filters.CharFilter(field_name="home_office", method="filter_flag")
    orderBy = django_filters.CharFilter(method="filter_order")

    class Meta:
        model = WorkingTime
        fields: list[str] = []

    def filter_user_id(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if value.lower() == "myself":
            return queryset.filter(user=self.request.user)
        if not is_ascii_number(value):
            raise InvalidInput(
                f"userID: expected a user id or 'myself', got {value!r}.", field="userID"
            )
        user_id = int(value)
        if user_id > MAX_ID:
            return queryset.none()  # no such user; SQLite would overflow on the comparison
        return queryset.filter(user_id=user_id)

    def filter_working_date(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        lookup, day = parse_date_filter(name, value)
        return queryset.filter(**{f"working_date__{lookup}": day})

    def filter_day_type(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not (is_ascii_number(value) and len(value) <= 3 and int(value) in DayType.values):
            raise InvalidInput(f"dayType: must be from 0 to 6, got {value!r}.", field="dayType")
        return queryset.filter(day_type=int(value))

    def filter_flag(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        flag = _FLAGS.get(value.strip().lower())
        if flag is None:
            wire = "halfHoliday" if name == "half_holiday" else "homeOffice"
            raise InvalidInput(f"{wire}: must be 0 or 1, got {value!r}.", field=wire)
        return queryset.filter(**{name: flag})

    def filter_order(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.order_by(*parse_order(value))


# The query parameters WorkingTimeFilter reads.
FILTER_NAMES = frozenset(WorkingTimeFilter.base_filters)
