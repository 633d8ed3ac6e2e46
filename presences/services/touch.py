"""MOCO's time clock: a touch closes the day's open presence at "now", or opens one."""

from __future__ import annotations

import datetime as dt
from http import HTTPStatus

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.services import lock_user
from closing.services import ensure_dates_open
from config.api.errors import Locked
from config.api.field_errors import FieldErrors
from config.api.fields import MAX_YEAR, MIN_YEAR
from config.timeutil import local_now
from presences.models import Presence
from presences.services.checks import (
    add_presence,
    day_presences,
    delete,
    describe,
    hm,
    overlapping,
    save,
    set_home_office_for_day,
)

OVERRIDE = "override"  # the touch's input field that sets "now"


def parse_override(value: str) -> dt.datetime:
    """Touch `override`: local wall time "YYYY-MM-DD HH:MM" (a `T` separator is accepted)."""
    text = value.strip() if isinstance(value, str) else ""
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"):
        try:
            parsed = dt.datetime.strptime(text, fmt)  # noqa: DTZ007 - a local wall time by design
        except ValueError:
            continue
        # strptime also reads non-ASCII digits; dates stay within the one documented range.
        if text.isascii() and MIN_YEAR <= parsed.year <= MAX_YEAR:
            return parsed
    raise FieldErrors.one(OVERRIDE, f'{value!r} is not a local time "YYYY-MM-DD HH:MM".')


def _now(user: User, at_local: dt.datetime | None) -> dt.datetime:
    if at_local is None:
        return local_now(user)
    if timezone.is_aware(at_local):
        return at_local.astimezone(user.zone)
    return at_local


def _close(
    open_presence: Presence,
    *,
    at: dt.time,
    overridden: bool,
    others: list[Presence],
    is_home_office: bool | None,
    actor: User | None,
) -> Presence | None:
    """Close the open presence at `at`, or discard it when a touch opened it this minute."""
    if at == open_presence.from_time and open_presence.opened_by_touch:
        # MOCO: "started and stopped by touch within the same minute" → discarded.
        delete(open_presence, actor=actor)
        return None
    if at <= open_presence.from_time:
        # An override in the past, an open presence entered with a later start, or one
        # entered (not touched) in this very minute: a conflicting touch, which MOCO
        # answers with 423 whatever the reason.
        raise FieldErrors.one(
            OVERRIDE if overridden else None,
            f"{hm(at)} is not after the start of {describe(open_presence)}; "
            "it cannot be closed there, nothing was changed.",
            status=HTTPStatus.LOCKED,
            code=Locked.default_code,
        )
    clash = overlapping(others, from_time=open_presence.from_time, to_time=at)
    if clash is not None:
        raise Locked(
            f"Closing {describe(open_presence)} at {hm(at)} would overlap "
            f"{describe(clash)}; nothing was changed."
        )
    open_presence.to_time = at
    if is_home_office is not None:
        open_presence.is_home_office = is_home_office
    save(open_presence, actor=actor)
    if is_home_office is not None:
        set_home_office_for_day(others=others, is_home_office=is_home_office, actor=actor)
    return open_presence


def _open(
    user: User,
    *,
    day: dt.date,
    at: dt.time,
    presences: list[Presence],
    is_home_office: bool | None,
    actor: User | None,
) -> Presence:
    """Open a presence at `at`, which then runs to the end of its day."""
    # So it must not meet any presence that ends after `at` (one containing `at`, or one
    # starting later).
    clash = overlapping(presences, from_time=at, to_time=None)
    if clash is not None:
        raise Locked(
            f"A presence opened at {hm(at)} would overlap {describe(clash)} "
            f"on {day:%Y-%m-%d}; nothing was changed."
        )
    return add_presence(
        user=user,
        date=day,
        from_time=at,
        to_time=None,
        is_home_office=is_home_office,
        others=presences,
        actor=actor,
        opened_by_touch=True,
    )


@transaction.atomic
def touch_presence(
    *,
    user: User,
    at_local: dt.datetime | None = None,
    is_home_office: bool | None = None,
    actor: User | None = None,
) -> Presence | None:
    """MOCO's time clock: close the day's open presence at "now", or open one at "now".

    "Now" is `at_local` (a wall time in the user's zone; an aware value is converted) or the
    current time in the user's zone, to the minute; the day is now's date. Returns the
    opened or closed presence, or None when a presence opened in the same minute was
    discarded (MOCO: "started and stopped by touch within the same minute").
    Refuses (423 Locked) every conflicting touch: one that would overlap another presence
    of the day, or close the open presence at or before its start (unless a touch opened it
    in that same minute). Open presences of earlier days (forgotten clock-outs) are left
    alone.
    """
    now = _now(user, at_local)
    # Lock: a double tap must see the first tap's result (otherwise both would open).
    lock_user(user_id=user.pk)
    day, at = now.date(), now.time().replace(second=0, microsecond=0, tzinfo=None)
    ensure_dates_open(user_id=user.pk, dates=[day])
    presences = day_presences(user_id=user.pk, date=day)
    open_presence = next((p for p in presences if p.to_time is None), None)
    if open_presence is None:
        return _open(
            user, day=day, at=at, presences=presences, is_home_office=is_home_office, actor=actor
        )
    return _close(
        open_presence,
        at=at,
        overridden=at_local is not None,
        others=[p for p in presences if p.pk != open_presence.pk],
        is_home_office=is_home_office,
        actor=actor,
    )
