"""Writes for presences: create, update, delete, and the touch time clock.

Every write runs in `transaction.atomic`, locks the user's row first (`lock_user`), then
re-reads the user's presences of the day, checks the invariants and writes. The database
constraints (models.py) are the safety net behind these checks.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.services import lock_user
from closing.services import ensure_dates_open
from config.api.errors import Conflict, InvalidInput, Locked, NotFound
from config.api.fields import MAX_YEAR, MIN_YEAR
from config.api.ids import UNSET
from config.timeutil import local_now
from presences import rules
from presences.models import Presence

# Sentinel for "field not given" in update_presence (`to_time=None` means "reopen").


def _hm(value: dt.time | None) -> str:
    return rules.hm(value)


def _span(from_time: dt.time, to_time: dt.time | None) -> str:
    if to_time is None:
        return f"{_hm(from_time)} (open)"
    return f"{_hm(from_time)}-{_hm(to_time)}"


def _describe(presence: Presence) -> str:
    if presence.to_time is None:
        return f"presence {presence.pk} (open since {_hm(presence.from_time)})"
    return f"presence {presence.pk} ({_span(presence.from_time, presence.to_time)})"


def _day_span(presence: Presence) -> rules.DaySpan:
    return rules.DaySpan(presence.pk, presence.from_time, presence.to_time, presence.is_home_office)


def _overlapping(
    day: list[Presence], *, from_time: dt.time, to_time: dt.time | None
) -> Presence | None:
    """The first presence of `day` whose half-open interval meets [from, to)."""
    new = rules.DaySpan(None, from_time, to_time)
    return next((other for other in day if rules.overlaps(new, _day_span(other))), None)


def _day_presences(*, user_id: int, date: dt.date, exclude_pk: int | None = None) -> list:
    presences = Presence.objects.filter(user_id=user_id, date=date).order_by("from_time", "id")
    if exclude_pk is not None:
        presences = presences.exclude(pk=exclude_pk)
    return list(presences)


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
    Field names in errors are MOCO's wire names (`from`, `to`).
    """
    for name, value in (("from", from_time), ("to", to_time)):
        if value is not None and (value.second or value.microsecond):
            raise InvalidInput(f"{name}: must be a whole minute (HH:MM).", field=name)
    end_error = rules.end_error(from_time, to_time)
    if end_error is not None:
        raise InvalidInput(f"to: {end_error}", field="to")
    others = _day_presences(user_id=user_id, date=date, exclude_pk=exclude_pk)
    if to_time is None:
        already_open = next((p for p in others if p.to_time is None), None)
        if already_open is not None:
            raise Conflict(
                f"to: {date:%Y-%m-%d} already has {_describe(already_open)}; "
                "only one presence per day may be left without an end.",
                field="to",
            )
    clash = _overlapping(others, from_time=from_time, to_time=to_time)
    if clash is not None:
        raise Conflict(
            f"from: {_span(from_time, to_time)} overlaps {_describe(clash)} on {date:%Y-%m-%d}.",
            field="from",
        )
    return others


def _save(presence: Presence, *, actor: User | None, update_fields: list[str] | None = None):
    # django-simple-history records `_history_user` as who made the change: the real actor
    # (the admin behind an X-IMPERSONATE-USER-ID request), not only the impersonated user.
    if actor is not None:
        presence._history_user = actor  # type: ignore[attr-defined]
    presence.save(update_fields=update_fields)


def _set_home_office_for_day(
    *, others: list[Presence], is_home_office: bool, actor: User | None
) -> None:
    """MOCO: `is_home_office` "sets the whole day" — every presence of the user and date.

    Saved one by one (a day holds a handful) so that each change lands in the history.
    """
    for other in others:
        if other.is_home_office != is_home_office:
            other.is_home_office = is_home_office
            _save(other, actor=actor, update_fields=["is_home_office", "updated_at"])


def _day_home_office(others: list[Presence], default: bool = False) -> bool:
    """The day's current home-office flag (what a presence joining the day inherits)."""
    return rules.day_home_office([_day_span(p) for p in others], default)


@transaction.atomic
def create_presence(
    *,
    user: User,
    date: dt.date,
    from_time: dt.time,
    to_time: dt.time | None = None,
    is_home_office: bool | None = None,
    actor: User | None = None,
) -> Presence:
    """A new presence of `user`. Without `is_home_office` it joins the day's current value."""
    # Lock: two concurrent creates for one user could both pass the overlap check.
    lock_user(user_id=user.pk)
    ensure_dates_open(user_id=user.pk, dates=[date])
    others = check_presence_rules(user_id=user.pk, date=date, from_time=from_time, to_time=to_time)
    home_office = _day_home_office(others) if is_home_office is None else is_home_office
    presence = Presence(
        user=user,
        date=date,
        from_time=from_time,
        to_time=to_time,
        is_home_office=home_office,
    )
    _save(presence, actor=actor)
    _set_home_office_for_day(others=others, is_home_office=home_office, actor=actor)
    return presence


@transaction.atomic
def update_presence(
    *,
    presence: Presence,
    date: dt.date = UNSET,
    from_time: dt.time = UNSET,
    to_time: dt.time | None = UNSET,
    is_home_office: bool | None = UNSET,
    actor: User | None = None,
) -> Presence:
    """Change any subset of the fields; the result must satisfy the same rules as a create.

    Moving a presence to another date without `is_home_office` makes it adopt that day's
    flag (if the day has presences), so the whole day keeps one value.
    """
    # Lock: a concurrent write for this user could slip between our check and our save.
    lock_user(user_id=presence.user_id)
    # Re-read under the lock: the caller's copy may be stale, or deleted meanwhile.
    current = Presence.objects.filter(pk=presence.pk).first()
    if current is None:
        raise NotFound(f"Presence {presence.pk} not found.")
    new_date = current.date if date is UNSET else date
    new_from = current.from_time if from_time is UNSET else from_time
    new_to = current.to_time if to_time is UNSET else to_time
    others = check_presence_rules(
        user_id=current.user_id,
        date=new_date,
        from_time=new_from,
        to_time=new_to,
        exclude_pk=current.pk,
    )
    if is_home_office is UNSET or is_home_office is None:
        moved = new_date != current.date
        home_office = (
            _day_home_office(others, current.is_home_office) if moved else current.is_home_office
        )
    else:
        home_office = is_home_office
    if (new_date, new_from, new_to, home_office) == (
        current.date,
        current.from_time,
        current.to_time,
        current.is_home_office,
    ):
        # Nothing changes: no save, so `updated_at` stays and `updated_after` syncs see no
        # phantom change (and the history gets no empty entry).
        return current
    # Moving a presence changes its old date as well as the new one. (A write that changes
    # nothing is no change to a closed date either: it succeeded above, as in every API.)
    ensure_dates_open(user_id=current.user_id, dates=[current.date, new_date])
    if (new_date, new_from) != (current.date, current.from_time):
        # A start set by hand is no longer the touch's: the next touch closes, never discards.
        current.opened_by_touch = False
    current.date, current.from_time, current.to_time = new_date, new_from, new_to
    current.is_home_office = home_office
    _save(current, actor=actor)
    _set_home_office_for_day(others=others, is_home_office=home_office, actor=actor)
    return current


@transaction.atomic
def delete_presence(*, presence: Presence, actor: User | None = None) -> None:
    # Lock: keeps a delete from interleaving with a touch deciding about this presence.
    lock_user(user_id=presence.user_id)
    current = Presence.objects.filter(pk=presence.pk).first()
    if current is None:
        # A concurrent request deleted it first: for this one, it no longer exists.
        raise NotFound(f"Presence {presence.pk} not found.")
    ensure_dates_open(user_id=current.user_id, dates=[current.date])
    if actor is not None:
        current._history_user = actor  # type: ignore[attr-defined]
    current.delete()


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
    raise InvalidInput(
        f'override: {value!r} is not a local time "YYYY-MM-DD HH:MM".', field="override"
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
    if at_local is None:
        now = local_now(user)
    elif timezone.is_aware(at_local):
        now = at_local.astimezone(user.zone)
    else:
        now = at_local
    # Lock: a double tap must see the first tap's result (otherwise both would open).
    lock_user(user_id=user.pk)
    day, at = now.date(), now.time().replace(second=0, microsecond=0, tzinfo=None)
    ensure_dates_open(user_id=user.pk, dates=[day])
    presences = _day_presences(user_id=user.pk, date=day)
    open_presence = next((p for p in presences if p.to_time is None), None)

    if open_presence is not None:
        others = [p for p in presences if p.pk != open_presence.pk]
        if at == open_presence.from_time and open_presence.opened_by_touch:
            # MOCO: "started and stopped by touch within the same minute" → discarded.
            if actor is not None:
                open_presence._history_user = actor  # type: ignore[attr-defined]
            open_presence.delete()
            return None
        if at <= open_presence.from_time:
            # An override in the past, an open presence entered with a later start, or one
            # entered (not touched) in this very minute: a conflicting touch, which MOCO
            # answers with 423 whatever the reason.
            field = "override" if at_local is not None else None
            raise Locked(
                f"{field + ': ' if field else ''}{_hm(at)} is not after the start of "
                f"{_describe(open_presence)}; it cannot be closed there, nothing was changed.",
                field=field,
            )
        clash = _overlapping(others, from_time=open_presence.from_time, to_time=at)
        if clash is not None:
            raise Locked(
                f"Closing {_describe(open_presence)} at {_hm(at)} would overlap "
                f"{_describe(clash)}; nothing was changed."
            )
        open_presence.to_time = at
        if is_home_office is not None:
            open_presence.is_home_office = is_home_office
        _save(open_presence, actor=actor)
        if is_home_office is not None:
            _set_home_office_for_day(others=others, is_home_office=is_home_office, actor=actor)
        return open_presence

    # An open presence runs to the end of its day, so opening at `at` must not meet any
    # presence that ends after `at` (one containing `at`, or one starting later).
    clash = _overlapping(presences, from_time=at, to_time=None)
    if clash is not None:
        raise Locked(
            f"A presence opened at {_hm(at)} would overlap {_describe(clash)} "
            f"on {day:%Y-%m-%d}; nothing was changed."
        )
    home_office = _day_home_office(presences) if is_home_office is None else is_home_office
    presence = Presence(
        user=user,
        date=day,
        from_time=at,
        to_time=None,
        is_home_office=home_office,
        opened_by_touch=True,
    )
    _save(presence, actor=actor)
    _set_home_office_for_day(others=presences, is_home_office=home_office, actor=actor)
    return presence
