"""Reads of the clock app: whom a caller may act for, and the lists, with what they render.

Visibility (docs/decisions.md): McTime grants members nothing beyond their own records, so a member
sees and acts on their own clock and entries only; admins on everyone's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from django.db.models import Prefetch, QuerySet

from accounts.models import Organization, User
from clock.models import Clock, ClockBreak, TimeEntry, TimeEntryBreak
from config.api.errors import Forbidden, NotFound
from config.api.rows import LiteralRows


def requested_user(*, viewer: User, user_uuid: UUID | None) -> User:
    """The user a request is for: `userId` if given, else the viewer (the key's user).

    A member naming anyone else is refused with 403 whether or not that user exists (so the
    answer leaks nothing); an admin naming an unknown user gets 404.
    """
    if user_uuid is None or user_uuid == viewer.uuid:
        return viewer
    if not viewer.is_admin:
        raise Forbidden("userId: members may only act for themselves.", field="userId")
    target = User.objects.filter(uuid=user_uuid, is_active=True).first()
    if target is None:
        raise NotFound(f"userId: user {user_uuid} not found.", field="userId")
    return target


def organization_for(
    *, organization_id: UUID | None = None, organization_name: str | None = None
) -> Organization | None:
    """McTime's organization choice: the id wins over the name; a name several organizations
    share picks the oldest of them (the spec says "a random one"; ours is deterministic)."""
    if organization_id is not None:
        organization = Organization.objects.filter(pk=organization_id).first()
        if organization is None:
            raise NotFound(
                f"organizationId: organization {organization_id} not found.",
                field="organizationId",
            )
        return organization
    if organization_name:
        organization = (
            Organization.objects.filter(name=organization_name).order_by("created_at", "id").first()
        )
        if organization is None:
            raise NotFound(
                f"organizationName: no organization named {organization_name!r}.",
                field="organizationName",
            )
        return organization
    return None


def _own_unless_admin(queryset: QuerySet, viewer: User) -> QuerySet:
    return queryset if viewer.is_admin else queryset.filter(user=viewer)


def users_not_visible(viewer: User, user_ids: Sequence[UUID]) -> list[UUID]:
    """Of `user_ids`, those the caller may not see (in order, deduplicated): for a member
    everyone but themself; for an admin ids that name no user. One query at most."""
    wanted = list(dict.fromkeys(user_ids))
    if not viewer.is_admin:
        return [pk for pk in wanted if pk != viewer.uuid]
    if not wanted:
        return []
    known = set(User.objects.filter(uuid__in=wanted).values_list("uuid", flat=True))
    return [pk for pk in wanted if pk not in known]


def _organization_conditions(
    organization_ids: Sequence[UUID], organization_names: Sequence[str]
) -> dict[str, Any]:
    # McTime: "If provided together with organizationIds then organizationNames will be
    # ignored."
    if organization_ids:
        return {"organization_id__in": organization_ids}
    if organization_names:
        return {"organization__name__in": organization_names}
    return {}


def running_clocks_visible_to(
    viewer: User,
    *,
    user_ids: Sequence[UUID] = (),
    time_types: Sequence[str] = (),
    organization_ids: Sequence[UUID] = (),
    organization_names: Sequence[str] = (),
) -> QuerySet[Clock]:
    clocks = _own_unless_admin(Clock.objects.all(), viewer)
    if user_ids:
        clocks = clocks.filter(user__uuid__in=user_ids)
    if time_types:
        clocks = clocks.filter(time_type__in=time_types)
    clocks = clocks.filter(**_organization_conditions(organization_ids, organization_names))
    return (
        clocks.select_related("user", "organization")
        .prefetch_related(Prefetch("breaks", queryset=ClockBreak.objects.order_by("started_at")))
        .order_by("started_at", "id")
    )


def time_entries_visible_to(
    viewer: User,
    *,
    starts_from: datetime,
    starts_before: datetime,
    user_ids: Sequence[UUID] = (),
    time_types: Sequence[str] = (),
    approval_statuses: Sequence[str] = (),
    organization_ids: Sequence[UUID] = (),
    organization_names: Sequence[str] = (),
) -> TimeEntryRows:
    """Entries starting in [starts_from, starts_before), per user (by id) then by start, as
    rows read with literal SQL (config/api/rows.py): GET /times renders a page of them
    without model instances (`clock.serializers.render_time_entry_rows`)."""
    conditions: dict[str, Any] = {"starts_at__gte": starts_from, "starts_at__lt": starts_before}
    if not viewer.is_admin:
        conditions["user_id"] = viewer.pk
    if user_ids:
        conditions["user__uuid__in"] = user_ids
    if time_types:
        conditions["time_type__in"] = time_types
    if approval_statuses:
        conditions["approval_status__in"] = approval_statuses
    conditions.update(_organization_conditions(organization_ids, organization_names))
    return TimeEntryRows(LiteralRows(TimeEntry, conditions, ENTRY_ORDER, ENTRY_COLUMNS))


# A time entry as the list renders it (clock.serializers.render_time_entry_rows): what
# TimeEntrySerializer reads from an entry and its user and organization, in this order.
ENTRY_COLUMNS = (
    "id",
    "starts_at",
    "ends_at",
    "comment",
    "time_type",
    "organization__name",
    "user_id",
    "user__uuid",
    "user__timezone",
    "category",
    "creation_type",
    "approval_status",
    "is_valid",
)
ENTRY_ORDER = ("user_id", "starts_at", "id")
# A break of a page's entry: its entry, then what the list renders (id, from, to, automatic).
BREAK_COLUMNS = ("entry_id", "id", "starts_at", "ends_at", "automatic")
BREAK_ORDER = ("starts_at", "id")
# One item of a page: the entry's row and its breaks' rows (id, from, to, automatic).
TimeEntryWithBreaks = tuple[tuple[Any, ...], list[tuple[Any, ...]]]


@dataclass(frozen=True)
class TimeEntryRows:
    """Time entries as a page source: a COUNT, the page's rows, then their breaks (three
    statements, as the model path with its prefetch)."""

    entries: LiteralRows

    def window(self, offset: int, limit: int) -> tuple[int, list[TimeEntryWithBreaks]]:
        total, rows = self.entries.window(offset, limit)
        breaks: dict[UUID, list[tuple[Any, ...]]] = {row[0]: [] for row in rows}
        if breaks:
            page_breaks = LiteralRows(
                TimeEntryBreak, {"entry_id__in": list(breaks)}, BREAK_ORDER, BREAK_COLUMNS
            )
            for entry_id, *rest in page_breaks.rows():
                breaks[entry_id].append(tuple(rest))
        return total, [(row, breaks[row[0]]) for row in rows]


def with_render_data(entries: QuerySet[TimeEntry]) -> QuerySet[TimeEntry]:
    """What rendering an entry reads (user zone and uuid, organization name, breaks)."""
    return entries.select_related("user", "organization").prefetch_related(
        Prefetch("breaks", queryset=TimeEntryBreak.objects.order_by("starts_at", "id"))
    )


def time_entry_visible_to(viewer: User, pk: UUID) -> TimeEntry:
    entry = with_render_data(_own_unless_admin(TimeEntry.objects.all(), viewer)).filter(pk=pk)
    found = entry.first()
    if found is None:
        raise NotFound(f"Time entry {pk} not found.", field="id")
    return found


def refreshed_entries(entries: Sequence[TimeEntry]) -> list[TimeEntry]:
    """Entries just written, re-read with their render data, in the given order."""
    by_pk = {
        e.pk: e for e in with_render_data(TimeEntry.objects.filter(pk__in=[e.pk for e in entries]))
    }
    return [by_pk[e.pk] for e in entries]
