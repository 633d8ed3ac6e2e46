"""Closed periods: the one question every write asks, and making and reopening closures.

`ensure_dates_open` / `ensure_span_open` are called by the write services of the four apps
under the user's row lock. `create_closure` locks every affected user's row (in id order)
the same way, so a write and a closure for one user run one after the other: the write
either lands before the closure, or sees it and is refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.utils import timezone

from accounts.models import Team, User
from closing.models import ClosedPeriod, Closure
from config.api.errors import InvalidInput, NotFound, PeriodClosed

REASON_MAX_LENGTH = 2000


def _open_periods(*, user_id: int, first: dt.date | None, last: dt.date | None):  # type: ignore[no-untyped-def]
    periods = ClosedPeriod.objects.filter(user_id=user_id, reopened_at__isnull=True)
    if last is not None:
        periods = periods.filter(from_date__lte=last)
    if first is not None:
        periods = periods.filter(to_date__gte=first)
    return periods.order_by("from_date", "id")


def _refuse(period: ClosedPeriod, day: dt.date) -> PeriodClosed:
    return PeriodClosed(
        f"{day:%Y-%m-%d} is in a closed period ({period.from_date:%Y-%m-%d} to "
        f"{period.to_date:%Y-%m-%d}, closure {period.closure_id}); nothing was changed.",
        dates=(day,),
    )


def ensure_dates_open(*, user_id: int, dates: Iterable[dt.date | None]) -> None:
    """Refuse (PeriodClosed) if any of the user's local `dates` is closed. One query."""
    days = sorted({d for d in dates if d is not None})
    if not days:
        return
    for period in _open_periods(user_id=user_id, first=days[0], last=days[-1]):
        for day in days:
            if period.from_date <= day <= period.to_date:
                raise _refuse(period, day)


def ensure_span_open(*, user_id: int, first: dt.date | None, last: dt.date | None) -> None:
    """Refuse if any date from `first` to `last` (inclusive; None: unbounded) is closed."""
    period = _open_periods(user_id=user_id, first=first, last=last).first()
    if period is not None:
        day = period.from_date if first is None else max(first, period.from_date)
        raise _refuse(period, day)


class ClosedSpans:
    """The open closed periods of some users, read in one query, to check many spans: what
    `ensure_span_open` answers for one span, for a whole import batch. Read it under the
    users' row locks, as every write does."""

    def __init__(self, user_ids: Iterable[int]) -> None:
        self._periods: dict[int, list[ClosedPeriod]] = {}
        periods = ClosedPeriod.objects.filter(
            user_id__in=sorted(set(user_ids)), reopened_at__isnull=True
        ).order_by("from_date", "id")
        for period in periods:
            self._periods.setdefault(period.user_id, []).append(period)

    def __bool__(self) -> bool:
        """Whether any of the users has a closed period (none: every span is open)."""
        return bool(self._periods)

    def ensure_open(self, *, user_id: int, first: dt.date | None, last: dt.date | None) -> None:
        """As `ensure_span_open`: the same first closed period, the same refusal."""
        for period in self._periods.get(user_id, ()):
            if (last is None or period.from_date <= last) and (
                first is None or period.to_date >= first
            ):
                day = period.from_date if first is None else max(first, period.from_date)
                raise _refuse(period, day)


def local_span(
    *, user: User, starts_at: dt.datetime, ends_at: dt.datetime | None = None
) -> tuple[dt.date, dt.date]:
    """The user's local dates an instant span touches; the end is exclusive (an entry that
    ends at midnight does not touch the next day)."""
    zone = user.zone
    first = starts_at.astimezone(zone).date()
    if ends_at is None or ends_at <= starts_at:
        return first, first
    last = (ends_at - dt.timedelta(microseconds=1)).astimezone(zone).date()
    return first, max(first, last)


def _lock_users(user_ids: Iterable[int]) -> list[int]:
    # Same lock as every write (accounts.services.lock_user), taken in id order so that two
    # closures over overlapping users cannot deadlock.
    return list(
        User.objects.select_for_update()
        .filter(pk__in=sorted(set(user_ids)))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _check_reason(reason: str, *, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(f"{field}: a reason is required.", field=field)
    if len(reason) > REASON_MAX_LENGTH:
        raise InvalidInput(f"{field}: at most {REASON_MAX_LENGTH} characters.", field=field)
    return reason


@transaction.atomic
def create_closure(
    *,
    actor: User | None,
    from_date: dt.date,
    to_date: dt.date,
    reason: str,
    user_ids: Sequence[int] | None = None,
    team: Team | None = None,
    all_users: bool = False,
) -> Closure:
    """Close `from_date`..`to_date` for the given users, a team's members, or everyone.

    The users are resolved now and kept: a user who joins the team later is not covered.
    """
    reason = _check_reason(reason)
    if to_date < from_date:
        raise InvalidInput("to: must not be before from.", field="to")
    if sum([user_ids is not None, team is not None, all_users]) != 1:
        raise InvalidInput("Give exactly one of users, team or all.", field="users")
    if all_users:
        wanted = list(User.objects.values_list("pk", flat=True))
        scope = "all"
    elif team is not None:
        wanted = list(team.members.values_list("pk", flat=True))
        scope = "team"
    else:
        wanted = list(user_ids or [])
        scope = "users"
    if not wanted:
        raise InvalidInput("users: the closure would cover no user.", field="users")
    locked = _lock_users(wanted)
    unknown = sorted(set(wanted) - set(locked))
    if unknown:
        raise InvalidInput(f"users: unknown user id {unknown[0]}.", field="users")
    closure = Closure.objects.create(
        from_date=from_date,
        to_date=to_date,
        reason=reason,
        scope=scope,
        team=team,
        created_by=actor,
    )
    for user_id in locked:
        period = ClosedPeriod(
            closure=closure, user_id=user_id, from_date=from_date, to_date=to_date
        )
        period._history_user = actor  # type: ignore[attr-defined]
        period._change_reason = f"Closed: {reason}"[:100]  # type: ignore[attr-defined]
        period.save()
    return closure


@transaction.atomic
def reopen_closure(*, closure_id: int, actor: User | None, reason: str) -> Closure:
    """Reopen a closure: its dates accept writes again; closure and reopening stay on record."""
    reason = _check_reason(reason)
    user_ids = ClosedPeriod.objects.filter(closure_id=closure_id).values_list("user_id", flat=True)
    _lock_users(user_ids)
    closure = Closure.objects.select_for_update().filter(pk=closure_id).first()
    if closure is None:
        raise NotFound(f"Closure {closure_id} not found.", field="id")
    if closure.reopened_at is not None:
        raise InvalidInput(f"Closure {closure_id} is already reopened.", field="id")
    now = timezone.now()
    closure.reopened_at, closure.reopened_by, closure.reopen_reason = now, actor, reason
    closure.save(update_fields=["reopened_at", "reopened_by", "reopen_reason"])
    for period in ClosedPeriod.objects.filter(closure=closure).order_by("user_id"):
        period.reopened_at = now
        period._history_user = actor  # type: ignore[attr-defined]
        period._change_reason = f"Reopened: {reason}"[:100]  # type: ignore[attr-defined]
        period.save(update_fields=["reopened_at"])
    return closure
