"""The rules every presence write (API, admin, touch) checks under the user's lock.

Refusals name model fields (`to_time`, `from_time`); the MOCO API words them as `to:` and
`from:`, the admin puts them next to its form fields.
"""

from __future__ import annotations

import datetime as dt

from accounts.models import User
from config.api.field_errors import FieldErrors
from presences import rules
from presences.models import Presence

CONFLICT = "Conflict"  # the error code of a write that contradicts the day's presences


def hm(value: dt.time | None) -> str:
    return rules.hm(value)


def span(from_time: dt.time, to_time: dt.time | None) -> str:
    if to_time is None:
        return f"{hm(from_time)} (open)"
    return f"{hm(from_time)}-{hm(to_time)}"


def describe(presence: Presence) -> str:
    if presence.to_time is None:
        return f"presence {presence.pk} (open since {hm(presence.from_time)})"
    return f"presence {presence.pk} ({span(presence.from_time, presence.to_time)})"


def day_span(presence: Presence) -> rules.DaySpan:
    return rules.DaySpan(presence.pk, presence.from_time, presence.to_time, presence.is_home_office)


def overlapping(
    day: list[Presence], *, from_time: dt.time, to_time: dt.time | None
) -> Presence | None:
    """The first presence of `day` whose half-open interval meets [from, to)."""
    new = rules.DaySpan(None, from_time, to_time)
    return next((other for other in day if rules.overlaps(new, day_span(other))), None)


def day_presences(*, user_id: int, date: dt.date, exclude_pk: int | None = None) -> list:
    presences = Presence.objects.filter(user_id=user_id, date=date).order_by("from_time", "id")
    if exclude_pk is not None:
        presences = presences.exclude(pk=exclude_pk)
    return list(presences)


def day_home_office(others: list[Presence], default: bool = False) -> bool:
    """The day's current home-office flag (what a presence joining the day inherits)."""
    return rules.day_home_office([day_span(p) for p in others], default)


def _ensure_whole_minutes(from_time: dt.time, to_time: dt.time | None) -> None:
    for name, value in (("from_time", from_time), ("to_time", to_time)):
        if value is not None and (value.second or value.microsecond):
            raise FieldErrors.one(name, "must be a whole minute (HH:MM).")


def check_presence_rules(
    *,
    user_id: int,
    date: dt.date,
    from_time: dt.time,
    to_time: dt.time | None,
    exclude_pk: int | None = None,
) -> list[Presence]:
    """Refuse a presence that breaks an invariant; returns the day's other presences.

    Called by the services under the user's lock, and by the admin form (without the lock,
    for friendly field errors; the service re-checks under the lock when saving).
    """
    _ensure_whole_minutes(from_time, to_time)
    end_error = rules.end_error(from_time, to_time)
    if end_error is not None:
        raise FieldErrors.one("to_time", end_error)
    others = day_presences(user_id=user_id, date=date, exclude_pk=exclude_pk)
    already_open = next((p for p in others if p.to_time is None), None)
    if to_time is None and already_open is not None:
        raise FieldErrors.one(
            "to_time",
            f"{date:%Y-%m-%d} already has {describe(already_open)}; "
            "only one presence per day may be left without an end.",
            code=CONFLICT,
        )
    clash = overlapping(others, from_time=from_time, to_time=to_time)
    if clash is not None:
        raise FieldErrors.one(
            "from_time",
            f"{span(from_time, to_time)} overlaps {describe(clash)} on {date:%Y-%m-%d}.",
            code=CONFLICT,
        )
    return others


def save(presence: Presence, *, actor: User | None, update_fields: list[str] | None = None):
    # django-simple-history records `_history_user` as who made the change: the actor (the
    # admin behind an X-IMPERSONATE-USER-ID request), not only the user the presence is of.
    if actor is not None:
        presence._history_user = actor  # type: ignore[attr-defined]
    presence.save(update_fields=update_fields)


def delete(presence: Presence, *, actor: User | None) -> None:
    if actor is not None:
        presence._history_user = actor  # type: ignore[attr-defined]
    presence.delete()


def set_home_office_for_day(
    *, others: list[Presence], is_home_office: bool, actor: User | None
) -> None:
    """MOCO: `is_home_office` "sets the whole day" — every presence of the user and date.

    Saved one by one (a day holds a handful) so that each change lands in the history.
    """
    for other in others:
        if other.is_home_office != is_home_office:
            other.is_home_office = is_home_office
            save(other, actor=actor, update_fields=["is_home_office", "updated_at"])


def add_presence(
    *,
    user: User,
    date: dt.date,
    from_time: dt.time,
    to_time: dt.time | None,
    is_home_office: bool | None,
    others: list[Presence],
    actor: User | None,
    opened_by_touch: bool = False,
) -> Presence:
    """Save a new presence (already checked) that joins the day's home-office flag unless
    it brings its own, which then becomes the whole day's."""
    home_office = day_home_office(others) if is_home_office is None else is_home_office
    presence = Presence(
        user=user,
        date=date,
        from_time=from_time,
        to_time=to_time,
        is_home_office=home_office,
        opened_by_touch=opened_by_touch,
    )
    save(presence, actor=actor)
    set_home_office_for_day(others=others, is_home_office=home_office, actor=actor)
    return presence
