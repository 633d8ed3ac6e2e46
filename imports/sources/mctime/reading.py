"""Reading McTime's GET /times pages (and GET /users for names): entries out of their
per-user groups, month by month."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import CommandError

from imports.client import SourceClient
from imports.sources.base import UserRef
from imports.sources.errors import RecordRejected

# Set by page_entries() on an entry whose own userId contradicts its group's.
GROUP_USER = "__groupUserId"


def page_entries(payload: Any) -> list[dict[str, Any]]:
    """The time entries of one page, each with its group's userId."""
    shape = (
        'not a McTime GET /times page: expected {"items": [{"message": …, "data": '
        '{"timeEntries": [{"userId": …, "times": […]}]}}], "valid": true}'
    )
    if not isinstance(payload, dict) or not isinstance(payload.get("items"), list):
        raise RecordRejected(shape)
    if payload.get("valid") is False:
        messages = "; ".join(str(i.get("message")) for i in payload["items"] if isinstance(i, dict))
        raise RecordRejected(f"the page is a McTime error answer: {messages}")
    entries: list[dict[str, Any]] = []
    for envelope in payload["items"]:
        data = envelope.get("data") if isinstance(envelope, dict) else None
        groups = data.get("timeEntries") if isinstance(data, dict) else None
        if not isinstance(groups, list):
            raise RecordRejected(shape)
        for group in groups:
            times = group.get("times") if isinstance(group, dict) else None
            if not isinstance(times, list):
                raise RecordRejected(f"{shape} (a group without `times`)")
            group_user = group.get("userId")
            for entry in times:
                if isinstance(entry, dict) and group_user not in (None, ""):
                    own = entry.get("userId")
                    if own in (None, ""):
                        entry = {**entry, "userId": group_user}
                    elif str(own).lower() != str(group_user).lower():
                        entry = {**entry, GROUP_USER: group_user}
                entries.append(entry)
    return entries


def window_pages(client: SourceClient, first: date, last: date) -> list[tuple[str, Any]]:
    """(label, payload) of every page of GET /times for the days first..last.

    All pages of a window are read before any is written: page numbers shift when the list
    changes in between (users still booking at the source, or the source being this very
    database), which would skip or repeat entries.
    """
    zone = ZoneInfo(settings.TIME_ZONE)
    lo = datetime.combine(first, time(), zone).isoformat()
    hi = datetime.combine(last + timedelta(days=1), time(), zone).isoformat()
    pages: list[tuple[str, Any]] = []
    seen: set[str] = set()
    page = 1
    while True:
        payload = client.get("times", page=page, **{"from": lo, "to": hi}).json()
        ids = entry_ids(payload)
        if ids is not None and not ids:
            return pages  # McTime: an empty page ends the list
        pages.append((f"{client.base_url}/times {first}..{last} page {page}", payload))
        if ids is None:
            return pages  # not a list page: the runner reports it; nothing to page on
        if ids <= seen:
            raise CommandError(
                f"{client.base_url}/times page {page} repeats earlier entries; "
                "does the server ignore `page`?"
            )
        seen |= ids
        page += 1


def month_windows(first: date, last: date) -> Iterator[tuple[date, date]]:
    """[first, last] cut at month ends (inclusive pairs). GET /times allows 366 days a
    request; a month bounds what is held in memory before it is written."""
    while first <= last:
        next_month = (first.replace(day=1) + timedelta(days=32)).replace(day=1)
        yield first, min(next_month - timedelta(days=1), last)
        first = next_month


def entry_ids(payload: Any) -> set[str] | None:
    """The entry ids of a GET /times page; None if it is not such a page."""
    try:
        return {
            str(entry.get("id"))
            for item in payload["items"]
            for group in item["data"]["timeEntries"]
            for entry in group["times"]
        }
    except (KeyError, TypeError, AttributeError):
        return None


def fetch_users(client: SourceClient) -> dict[str, UserRef]:
    """Every user GET /users lists (page from 1 until an empty page), by uuid."""
    users: dict[str, UserRef] = {}
    page = 1
    while True:
        payload = client.get("users", page=page).json()
        try:
            listed = [user for item in payload["items"] for user in item["data"]]
        except (KeyError, TypeError):
            raise CommandError(
                f"{client.base_url}/users page {page}: not a McTime user list"
            ) from None
        if not listed:
            return users
        for user in listed:
            try:
                external_id = str(uuid.UUID(str(user.get("id"))))
            except (ValueError, AttributeError):
                continue
            users[external_id] = UserRef(
                external_id=external_id,
                username=user.get("username") or "",
                first_name=user.get("firstName") or "",
                last_name=user.get("lastName") or "",
                email=user.get("email") or "",
            )
        page += 1
