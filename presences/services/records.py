"""Writes of one presence: create, update, delete (the API's POST/PUT/DELETE, the admin).

Every write runs in `transaction.atomic`, locks the user's row first (`lock_user`), then
re-reads the user's presences of the day, checks the invariants and writes. The database
constraints (models.py) are the safety net behind these checks.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from accounts.models import User
from accounts.services import lock_user, reread_under_user_lock
from closing.services import ensure_dates_open
from config.api.errors import NotFound
from config.api.ids import UNSET
from presences.models import Presence
from presences.services.checks import (
    add_presence,
    check_presence_rules,
    day_home_office,
    delete,
    save,
    set_home_office_for_day,
)


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
    return add_presence(
        user=user,
        date=date,
        from_time=from_time,
        to_time=to_time,
        is_home_office=is_home_office,
        others=others,
        actor=actor,
    )


def _locked_current(presence: Presence) -> Presence:
    """The presence re-read under its user's lock: the caller's copy may be stale, or
    deleted meanwhile (then, for this request, it no longer exists)."""
    current = reread_under_user_lock(presence)
    if current is None:
        raise NotFound(f"Presence {presence.pk} not found.")
    return current


def _home_office_after_update(
    current: Presence, *, new_date: dt.date, is_home_office: bool | None, others: list[Presence]
) -> bool:
    """A presence moved to another date without its own flag adopts that day's (if the day
    has presences), so the whole day keeps one value."""
    if is_home_office is not UNSET and is_home_office is not None:
        return is_home_office
    if new_date != current.date:
        return day_home_office(others, current.is_home_office)
    return current.is_home_office


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
    """Change any subset of the fields; the result must satisfy the same rules as a create."""
    # Lock: a concurrent write for this user could slip between our check and our save.
    current = _locked_current(presence)
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
    home_office = _home_office_after_update(
        current, new_date=new_date, is_home_office=is_home_office, others=others
    )
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
    save(current, actor=actor)
    set_home_office_for_day(others=others, is_home_office=home_office, actor=actor)
    return current


@transaction.atomic
def delete_presence(*, presence: Presence, actor: User | None = None) -> None:
    # Lock: keeps a delete from interleaving with a touch deciding about this presence.
    current = _locked_current(presence)
    ensure_dates_open(user_id=current.user_id, dates=[current.date])
    delete(current, actor=actor)
