"""The query of `/days` and its exports (and of the admin's export form), parsed once.

Neutral errors (`InvalidInput`, `NotFound`) that each caller renders in its own terms: the
API as problem details, the admin as form errors.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet

from accounts.models import Team, User
from accounts.selectors import teams_visible_to
from config.api.dialects.timebridge import visible_user_ids
from config.api.errors import InvalidInput, NotFound

# `to - from` may be at most this: a leap year and one more day, so any year-long range
# (say 2028-01-01..2028-12-31, or a fiscal year across a leap day) fits.
MAX_RANGE = timedelta(days=366)
# The years every Timebridge API accepts; the edges of Python's calendar (year 1 and 9999)
# would otherwise overflow when a day's bounds are computed.
EARLIEST, LATEST = date(1900, 1, 1), date(2999, 12, 31)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ID = re.compile(r"[1-9][0-9]{0,17}")  # ids start at 1
_BOOLEANS = {"true": True, "1": True, "false": False, "0": False, "": False}


@dataclass(frozen=True)
class DaysQuery:
    users: QuerySet[User]
    first: date
    last: date
    include_empty: bool


def parse_date_param(params: Mapping[str, str], name: str) -> date | None:
    """An optional `YYYY-MM-DD` parameter (ASCII digits, 1900-2999), None when absent."""
    return None if params.get(name) in (None, "") else _date(params, name)


def parse_id_param(params: Mapping[str, str], name: str) -> int | None:
    """An optional numeric id (ASCII digits), None when absent."""
    return _id(params, name)


def _date(params: Mapping[str, str], name: str) -> date:
    value = params.get(name)
    if value is None or value == "":
        raise InvalidInput(f"{name} is required (YYYY-MM-DD).", field=name)
    if not _DATE.fullmatch(value):
        raise InvalidInput(f"{name} must be a date YYYY-MM-DD, got {value!r:.40}.", field=name)
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{name} is not a calendar date: {value}.", field=name) from None
    if not EARLIEST <= parsed <= LATEST:
        raise InvalidInput(f"{name} must lie within the years 1900 to 2999.", field=name)
    return parsed


def _id(params: Mapping[str, str], name: str) -> int | None:
    value = params.get(name)
    if value is None or value == "":
        return None
    if not _ID.fullmatch(value):
        raise InvalidInput(f"{name} must be a numeric id, got {value!r:.40}.", field=name)
    return int(value)


def parse_days_query(params: Mapping[str, str], *, viewer: User) -> DaysQuery:
    first, last = _date(params, "from"), _date(params, "to")
    if last < first:
        raise InvalidInput("to must not be before from.", field="to")
    if last - first > MAX_RANGE:
        raise InvalidInput(
            f"from and to may be at most {MAX_RANGE.days} days apart, got {(last - first).days}.",
            field="to",
        )
    raw_flag = params.get("include_empty", "")
    if raw_flag.lower() not in _BOOLEANS:
        raise InvalidInput("include_empty must be true or false.", field="include_empty")
    user_id = visible_user_ids(viewer, _id(params, "user"))
    users = User.objects.all() if user_id is None else User.objects.filter(pk=user_id)
    team_id = _id(params, "team")
    if team_id is not None:
        # A member may name only a team of their own; any other id is "not found".
        team = teams_visible_to(viewer).filter(pk=team_id).first()
        if team is None:
            raise NotFound(f"Team {team_id} not found.", field="team")
        users = users.filter(pk__in=Team.members.through.objects.filter(team=team).values("user"))
    return DaysQuery(users=users, first=first, last=last, include_empty=_BOOLEANS[raw_flag.lower()])
